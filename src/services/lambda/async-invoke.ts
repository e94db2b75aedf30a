import type { Logger } from "../../platform/logger.js";
import type { InvokeResult } from "../../runtime/types.js";
import type { EventInvokeConfigRecord } from "./records.js";
import { LambdaLimits } from "./limits.js";
import type { LambdaStore, Resolved } from "./store.js";
import { sqsQueueOfArn } from "../../platform/arn.js";

// Asynchronous invocation (InvocationType Event): the event is queued and run soon
// after; a failed run (a function error or a throttle) is retried twice by default,
// one minute and then two minutes later (Lambda developer guide, "Error handling and
// automatic retries in Lambda"), on Terrarium's clock. MaximumRetryAttempts and
// MaximumEventAgeInSeconds come from the EventInvokeConfig; the final outcome goes to
// its OnSuccess / OnFailure destination, and a discarded event to the DeadLetterConfig.

export interface AsyncJob {
  functionName: string;
  qualifier?: string;
  payload: Buffer;
  requestId: string;
  enqueuedAt: number;
  attempts: number;
}

const RETRY_DELAYS_MS = [60_000, 120_000];

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
  job.attempts += 1;
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
  await deliver(store, logger, config?.DestinationConfig?.OnFailure?.Destination, job, version, condition, result);
  const dlq = fn.versions[version]?.deadLetterTargetArn;
  if (dlq) await send(store, dlq, job.payload.toString("utf8"), job);
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
    await send(store, destination, JSON.stringify(record), job, condition);
  } catch (error) {
    logger.warn("lambda destination delivery failed", { destination, message: (error as Error).message });
  }
}

/** One message to an SQS queue, SNS topic, Lambda function or EventBridge bus, by ARN. */
async function send(store: LambdaStore, arn: string, body: string, job: AsyncJob, condition = "RetriesExhausted"): Promise<void> {
  const [, , service, region, account] = arn.split(":");
  const scope = { account, region };
  switch (service) {
    case "sqs":
      await store.invoke("sqs", "SendMessage", { QueueUrl: sqsQueueOfArn(arn)?.url, MessageBody: body }, scope);
      return;
    case "sns":
      await store.invoke("sns", "Publish", { TopicArn: arn, Message: body }, scope);
      return;
    case "lambda":
      await store.invoke("lambda", "Invoke", { FunctionName: arn, InvocationType: "Event", Payload: Buffer.from(body) }, scope);
      return;
    case "events": {
      const detailType = condition === "Success" ? "Lambda Function Invocation Result - Success" : "Lambda Function Invocation Result - Failure";
      await store.invoke("events", "PutEvents", {
        Entries: [{ Source: "lambda", DetailType: detailType, Detail: body, EventBusName: arn, Resources: [] }],
      }, scope);
      return;
    }
    default:
      throw new Error(`unsupported destination ${arn} for ${job.functionName}`);
  }
}
