// The contract between the Lambda service (control plane) and the execution engine.

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** One function version as the engine runs it. */
export interface FunctionSpec {
  /** The unqualified function ARN. */
  arn: string;
  name: string;
  /** "$LATEST" or a published version number. */
  version: string;
  runtime: string;
  handler: string;
  /** The extracted deployment package (becomes LAMBDA_TASK_ROOT and the cwd). */
  codeDir: string;
  /** Extracted layer directories, in the function's layer order (later ones win, as in /opt). */
  layers: string[];
  memoryMb: number;
  timeoutS: number;
  /** Environment.Variables. */
  environment: Record<string, string>;
  /** Workers this version may run at once (reserved concurrency, or what the account has left). */
  concurrencyLimit: number;
  /** True when concurrencyLimit is the function's reserved concurrency (names the throttle reason). */
  reservedConcurrency?: boolean;
  /** For a function without reserved concurrency: the account and region's unreserved
   *  concurrency, shared by the invocations of every such function beyond their provisioned
   *  concurrency (the account limit, ConcurrentInvocationLimitExceeded). Unchecked when absent. */
  unreservedConcurrency?: number;
  region: string;
  account: string;
  /** Credentials of the execution role; the executor's defaults otherwise. */
  credentials?: Credentials;
  /** Changes whenever code or configuration changes (e.g. RevisionId): a new value starts fresh workers. */
  revision?: string;
}

export interface InvokeOptions {
  requestId?: string;
  /** The ARN the caller used (qualified with a version or alias); defaults to the function ARN. */
  invokedFunctionArn?: string;
  /** The decoded X-Amz-Client-Context (a JSON text). */
  clientContext?: string;
  /** Cognito identity JSON, for Lambda-Runtime-Cognito-Identity. */
  cognitoIdentity?: string;
  /** X-Amzn-Trace-Id; one is generated when absent. */
  traceId?: string;
}

export interface InvokeResult {
  requestId: string;
  payload: Buffer;
  /** X-Amz-Function-Error. */
  functionError?: "Unhandled" | "Handled";
  /** The errorType of a failed invocation (Runtime.ExitError, Sandbox.Timedout, the handler's error type...). */
  errorType?: string;
  /** The whole log of this invocation (START ... REPORT), newline separated. */
  log: string;
  /** The last 4 KB of `log`, raw bytes as text; the service base64-encodes it for LogType=Tail. */
  logTail: string;
  durationMs: number;
  billedDurationMs: number;
  /** Present on a cold start. */
  initDurationMs?: number;
  maxMemoryUsedMb: number;
}

/** One line of function output, for CloudWatch Logs (/aws/lambda/<name>, one stream per worker). */
export interface LogEvent {
  /** The function's account and region (the Logs state it belongs to). */
  account?: string;
  region?: string;
  logGroupName: string;
  logStreamName: string;
  timestamp: number;
  message: string;
}

/** Invocation refused because the concurrency limit is reached: TooManyRequestsException. */
export class ThrottledError extends Error {
  constructor(
    readonly functionName: string,
    /** The Reason member of TooManyRequestsException. */
    readonly reason: "ReservedFunctionConcurrentInvocationLimitExceeded" | "ConcurrentInvocationLimitExceeded",
  ) {
    super("Rate Exceeded.");
    this.name = "ThrottledError";
  }
}
