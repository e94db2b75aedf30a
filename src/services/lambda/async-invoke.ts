import type { Logger } from "../../platform/logger.js";
import { ThrottledError, type InvokeResult } from "../../runtime/types.js";
import { sendToArn } from "../arn-targets.js";
import type { EventInvokeConfigRecord, FunctionRecord } from "./records.js";
import { LambdaLimits } from "./limits.js";
import type { LambdaStore, Resolved } from "./store.js";

// Asynchronous invocation (InvocationType Event): the event is queued and run soon
// after; a failed run (a function error or a throttle) is retried twice by default,
// one minute and then two minutes later (Lambda developer guide, "Error handling and
// automatic retries in Lambda"), on Terrarium's clock. MaximumRetryAttempts and
// MaximumEventAgeInSeconds come from the EventInvokeConfig; the final outcome goes to
// its OnSuccess / OnFailure destination, and a discarded event to the DeadLetterConfig.
// A throttled attempt (no concurrency left) is not a retry: the event goes back to the
// queue and is tried again 1 second later, then at doubling intervals up to 5 minutes,
// until MaximumEventAgeInSeconds (same guide).

export interface AsyncJob {
  functionName: string;
  qualifier?: string;
  payload: Buffer;
  requestId: string;
  enqueuedAt: number;
  attempts: number;
  /** Throttled attempts so far (they set the backoff, not the retry count). */
  throttles?: number;
}

const RETRY_DELAYS_MS = [60_000, 120_000];
const THROTTLE_FIRST_DELAY_MS = 1000;
const THROTTLE_MAX_DELAY_MS = 300_000;

/** Picks the version an alias routes this invocation to (RoutingConfig weights). */
export function routedVersion(resolved: Resolved, random: () => number = Math.random): string {
  const { alias, config } = resolved;
  if (alias?.weights) {
    let r = random();
    for (const [version, weight] of Object.entries(alias.weights)) {
      if (r < weight) return version;
      r -= weight;
    }
  }
  return config.version;
}

export function enqueueAsync(store: LambdaStore, logger: Logger, job: AsyncJob): void {
  setImmediate(() => void attempt(store, logger, job).catch((error) => logger.error("lambda async invoke failed", error)));
}

async function attempt(store: LambdaStore, logger: Logger, job: AsyncJob): Promise<void> {
  if (store.runtime.stopped) return;
  let resolved: Resolved;
  try {
    resolved = store.resolve(job.functionName, job.qualifier);
  } catch {
    return; // deleted meanwhile: the event is dropped, as on AWS
  }
  const { fn } = resolved;
  const config: EventInvokeConfigRecord | undefined = fn.eventInvokeConfigs[job.qualifier ?? "$LATEST"];
  const maxRetries = config?.MaximumRetryAttempts ?? LambdaLimits.defaultMaximumRetryAttempts;
  const maxAgeMs = (config?.MaximumEventAgeInSeconds ?? LambdaLimits.defaultMaximumEventAgeSeconds) * 1000;
  const version = routedVersion(resolved);
  let result: InvokeResult | undefined;
  let error: unknown;
  try {
    result = await store.runtime.executor().invoke(store.spec(fn, fn.versions[version]), job.payload, {
      requestId: job.requestId,
      invokedFunctionArn: store.arn(fn.name, job.qualifier),
    });
  } catch (e) {
    error = e;
  }
  if (store.runtime.stopped) return;
  if (error instanceof ThrottledError) {
    const throttles = (job.throttles = (job.throttles ?? 0) + 1);
    const delay = Math.min(THROTTLE_MAX_DELAY_MS, THROTTLE_FIRST_DELAY_MS * 2 ** Math.min(throttles - 1, 20));
    if (store.clock.now() + delay - job.enqueuedAt <= maxAgeMs) {
      store.clock.after(delay, () => void attempt(store, logger, job).catch((e) => logger.error("lambda async invoke failed", e)));
      return;
    }
    await discard(store, logger, job, fn, version, config, "EventAgeExceeded", undefined, error);
    return;
  }
  job.attempts += 1;
  if (result && !result.functionError) {
    await deliver(store, logger, config?.DestinationConfig?.OnSuccess?.Destination, job, version, "Success", result);
    return;
  }
  const delay = RETRY_DELAYS_MS[Math.min(job.attempts - 1, RETRY_DELAYS_MS.length - 1)];
  if (job.attempts <= maxRetries) {
    if (store.clock.now() + delay - job.enqueuedAt <= maxAgeMs) {
      store.clock.after(delay, () => void attempt(store, logger, job).catch((e) => logger.error("lambda async invoke failed", e)));
      return;
    }
  }
  const condition = job.attempts <= maxRetries ? "EventAgeExceeded" : "RetriesExhausted";
  if (error && !result) logger.debug("lambda async invoke error", { message: (error as Error).message });
  await discard(store, logger, job, fn, version, config, condition, result, error);
}

/** An event Lambda gives up on: to the OnFailure destination and the dead-letter queue. */
async function discard(
  store: LambdaStore,
  logger: Logger,
  job: AsyncJob,
  fn: FunctionRecord,
  version: string,
  config: EventInvokeConfigRecord | undefined,
  condition: "RetriesExhausted" | "EventAgeExceeded",
  result: InvokeResult | undefined,
  error: unknown,
): Promise<void> {
  await deliver(store, logger, config?.DestinationConfig?.OnFailure?.Destination, job, version, condition, result);
  const dlq = fn.versions[version]?.deadLetterTargetArn;
  if (dlq) {
    try {
      await sendToDeadLetter(store, dlq, job, result, error);
    } catch (e) {
      logger.warn("lambda dead-letter delivery failed", { dlq, message: (e as Error).message });
    }
  }
}

/**
 * A discarded event to the DeadLetterConfig's queue or topic: the event as it came, with
 * the attributes the developer guide lists (RequestID; ErrorCode, the 3-digit HTTP
 * status; ErrorMessage, truncated to 1 KB).
 */
async function sendToDeadLetter(store: LambdaStore, arn: string, job: AsyncJob, result: InvokeResult | undefined, error: unknown): Promise<void> {
  let errorMessage = error instanceof Error ? error.message : "";
  let errorCode = error ? "500" : "200";
  if (error && (error as Error).name === "ThrottledError") errorCode = "429";
  if (result?.functionError) {
    try {
      const body = JSON.parse(result.payload.toString("utf8")) as { errorMessage?: unknown };
      if (typeof body.errorMessage === "string") errorMessage = body.errorMessage;
    } catch {
      errorMessage = result.payload.toString("utf8");
    }
  }
  const attributes = {
    RequestID: { DataType: "String", StringValue: job.requestId },
    ErrorCode: { DataType: "Number", StringValue: errorCode },
    ErrorMessage: { DataType: "String", StringValue: Buffer.from(errorMessage).subarray(0, 1024).toString("utf8") || "Unknown" },
  };
  await sendToArn(store.invoke, arn, { body: job.payload.toString("utf8"), attributes }, ["sqs", "sns"]);
}

async function deliver(
  store: LambdaStore,
  logger: Logger,
  destination: string | undefined,
  job: AsyncJob,
  version: string,
  condition: "Success" | "RetriesExhausted" | "EventAgeExceeded",
  result: InvokeResult | undefined,
): Promise<void> {
  if (!destination) return;
  let requestPayload: unknown = job.payload.toString("utf8");
  try {
    requestPayload = JSON.parse(requestPayload as string);
  } catch {
    // not JSON: passed on as text
  }
  let responsePayload: unknown = result?.payload.toString("utf8");
  try {
    if (responsePayload !== undefined) responsePayload = JSON.parse(responsePayload as string);
  } catch {
    // not JSON
  }
  // The invocation record (Lambda developer guide, "Capturing records of asynchronous invocations").
  const record = {
    version: "1.0",
    timestamp: new Date(store.clock.now()).toISOString(),
    requestContext: {
      requestId: job.requestId,
      functionArn: store.arn(job.functionName.split(":").at(-1)!, job.qualifier ?? "$LATEST"),
      condition,
      approximateInvokeCount: job.attempts,
    },
    requestPayload,
    responseContext: {
      statusCode: 200,
      executedVersion: version,
      ...(result?.functionError ? { functionError: result.functionError } : {}),
    },
    responsePayload,
  };
  try {
    await send(store, destination, JSON.stringify(record), condition);
  } catch (error) {
    logger.warn("lambda destination delivery failed", { destination, message: (error as Error).message });
  }
}

/** One invocation record to an SQS queue, SNS topic, Lambda function or EventBridge bus, by ARN. */
async function send(store: LambdaStore, arn: string, body: string, condition: string): Promise<void> {
  const detailType = condition === "Success" ? "Lambda Function Invocation Result - Success" : "Lambda Function Invocation Result - Failure";
  await sendToArn(store.invoke, arn, { body, event: { source: "lambda", detailType, resources: [] } }, ["sqs", "sns", "lambda", "events"]);
}
