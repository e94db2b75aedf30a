import { invalidParameter } from "./errors.js";

// Function names as the API takes them: a name, a partial ARN (123456789012:function:name)
// or a full ARN, each optionally qualified (":1", ":alias", ":$LATEST").

const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:(?:[a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

/** Splits a FunctionName; a Qualifier parameter must agree with one in the name. */
export function parseFunctionName(value: string, qualifier?: string): FunctionRef {
  const m = FUNCTION_NAME.exec(value);
  if (!m) throw invalidParameter(`Unable to parse function name: ${value}`);
  const fromName = m[4];
  if (fromName !== undefined && qualifier !== undefined && fromName !== qualifier) {
    throw invalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
  }
  return { name: m[3], qualifier: fromName ?? qualifier };
}

export function functionArn(region: string, account: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}${qualifier ? `:${qualifier}` : ""}`;
}

export function layerArn(region: string, account: string, name: string, version?: number | string): string {
  return `arn:aws:lambda:${region}:${account}:layer:${name}${version !== undefined ? `:${version}` : ""}`;
}

/** Layer name and version from a layer version ARN. */
export function parseLayerVersionArn(arn: string): { account: string; region: string; name: string; version: number } | undefined {
  const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(arn);
  return m ? { region: m[1], account: m[2], name: m[3], version: Number(m[4]) } : undefined;
}

/** Lambda's timestamp format: "2024-01-01T00:00:00.000+0000". */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}
