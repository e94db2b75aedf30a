// The environment a function sees, as AWS sets it (Lambda developer guide,
// "Defined runtime environment variables"), with the paths that are /opt, /var/task
// and /var/runtime on AWS pointing at this machine's directories instead.

import { randomBytes } from "node:crypto";
import { delimiter, join } from "node:path";
import type { RuntimeInfo } from "./runtimes.js";
import type { Credentials, FunctionSpec } from "./types.js";

/** Keys AWS reserves: Environment.Variables may not set them (the service rejects them). */
export const RESERVED_ENVIRONMENT_KEYS = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
] as const;

export interface EnvironmentInput {
  spec: FunctionSpec;
  info: RuntimeInfo;
  runtimeApi: string;
  runtimeDir: string;
  optDir: string;
  logStreamName: string;
  endpointUrl: string;
  credentials: Credentials;
  initializationType?: "on-demand" | "provisioned-concurrency";
  /** The host's PATH, so interpreters and tools (curl) installed here are found. */
  hostPath?: string;
}

/** "2024/01/31/[$LATEST]0123456789abcdef0123456789abcdef", one per worker. */
export function logStreamName(version: string, now: number): string {
  const day = new Date(now).toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[${version}]${randomBytes(16).toString("hex")}`;
}

export function lambdaEnvironment(input: EnvironmentInput): Record<string, string> {
  const { spec, info, optDir } = input;
  const taskRoot = spec.codeDir;
  const paths = (...list: string[]) => list.join(delimiter);

  // Variables the function may override through Environment.Variables.
  const defaults: Record<string, string> = {
    LANG: "en_US.UTF-8",
    PATH: paths(input.hostPath ?? process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", join(optDir, "bin")),
    LD_LIBRARY_PATH: paths(join(taskRoot, "lib"), join(optDir, "lib")),
  };
  if (info.family === "nodejs") {
    defaults.NODE_PATH = paths(
      join(optDir, "nodejs", `node${info.version}`, "node_modules"),
      join(optDir, "nodejs", "node_modules"),
      input.runtimeDir,
      taskRoot,
    );
  }
  if (info.family === "python") {
    defaults.PYTHONPATH = paths(join(optDir, "python", "lib", `python${info.version}`, "site-packages"), join(optDir, "python"));
  }

  // Variables Lambda always sets; the function cannot change them.
  const reserved: Record<string, string> = {
    _HANDLER: spec.handler,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: input.initializationType ?? "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName,
    AWS_LAMBDA_RUNTIME_API: input.runtimeApi,
    AWS_ACCESS_KEY_ID: input.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: input.credentials.secretAccessKey,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: input.runtimeDir,
    TZ: ":UTC",
  };
  if (input.credentials.sessionToken) reserved.AWS_SESSION_TOKEN = input.credentials.sessionToken;
  // Custom runtimes get no AWS_EXECUTION_ENV on AWS.
  if (info.family !== "provided") reserved.AWS_EXECUTION_ENV = `AWS_Lambda_${info.name}`;

  return {
    ...defaults,
    // Every SDK honours AWS_ENDPOINT_URL, so a function's SDK calls come back to
    // Terrarium with no change to its code; the function may still override it.
    AWS_ENDPOINT_URL: input.endpointUrl,
    ...spec.environment,
    ...reserved,
  };
}
