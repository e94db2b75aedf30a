import type { Logger } from "../../platform/logger.js";
import { ThrottledError } from "../../runtime/types.js";
import { sendToArn } from "../arn-targets.js";
import { routedVersion } from "./async-invoke.js";
import type { EventSourceMappingRecord } from "./event-source-records.js";
import type { LambdaStore } from "./store.js";

// What the pollers of event source mappings share: a synchronous invocation of the
// mapping's function, its outcome, and the partial batch response.

export interface MappingInvokeResult {
  ok: boolean;
  payload?: Buffer;
  executedVersion?: string;
  functionError?: string;
  /** No concurrency was left (TooManyRequestsException): the function did not run. */
  throttled?: boolean;
}

/** Invokes the mapping's function with one batch; throttles and errors count as failures. */
export async function invokeForMapping(store: LambdaStore, mapping: EventSourceMappingRecord, event: unknown, logger?: Logger): Promise<MappingInvokeResult> {
  try {
    const resolved = store.resolve(mapping.FunctionArn);
    const version = routedVersion(resolved);
    const spec = store.spec(resolved.fn, resolved.fn.versions[version]);
    const result = await store.runtime.executor().invoke(spec, Buffer.from(JSON.stringify(event, eventJson)), {
      invokedFunctionArn: mapping.FunctionArn,
    });
    const current = store.mappings.get(mapping.UUID);
    const note = result.functionError ? "PROBLEM: Function call failed" : "OK";
    if (current && current.LastProcessingResult !== note) store.mappings.put(current.UUID, { ...current, LastProcessingResult: note });
    return { ok: !result.functionError, payload: result.payload, executedVersion: version, functionError: result.functionError };
  } catch (error) {
    if (!(error instanceof ThrottledError)) logger?.debug("event source invoke failed", { uuid: mapping.UUID, message: (error as Error).message });
    if (error instanceof ThrottledError) return { ok: false, throttled: true };
    return { ok: false, functionError: "Unhandled" };
  }
}

/** Event JSON as Lambda writes it: dates as epoch seconds, bytes as base64. */
function eventJson(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString("base64");
  return value;
}

/**
 * The item identifiers a partial batch response names ("Reporting batch item
 * failures"): an empty set for success, undefined when the response is not a valid
 * one (then the whole batch failed).
 */
export function batchItemFailures(payload: Buffer | undefined, ids: Set<string>): Set<string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload?.toString("utf8") || "null");
  } catch {
    return new Set();
  }
  if (parsed === null || typeof parsed !== "object") return new Set();
  const list = (parsed as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return undefined;
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || id === "" || !ids.has(id)) return undefined;
    failed.add(id);
  }
  return failed;
}

/** One message to an SQS queue or SNS topic, by ARN (an OnFailure destination). */
export async function sendToDestination(store: LambdaStore, arn: string, body: string): Promise<void> {
  await sendToArn(store.invoke, arn, { body }, ["sqs", "sns"]);
}
