import { createHash, randomUUID } from "node:crypto";
import type { TimerHandle } from "../../platform/clock.js";
import { isServiceError } from "../../protocols/service-error.js";
// The schedule grammar is shared with EventBridge rules; it is pure (no state) and
// belongs in engines/ (see the issue notes), so it is imported rather than copied.
import { fromLocal, nextCron, parseScheduleExpression, type ScheduleExpression } from "../../engines/schedule-expressions/index.js";
import type { ScheduleRecord, Target } from "./records.js";
import type { SchedulerStore } from "./store.js";
import { sqsQueueOfArn } from "../../platform/arn.js";
import { sendToArn, targetKindOf } from "../arn-targets.js";

// Schedules on the shared clock: the next invocation time of an at(), rate() or
// cron() expression in its time zone, within StartDate/EndDate, shifted inside the
// flexible time window; each invocation calls the target through ctx.invoke
// (templated targets by their ARN's service, universal targets
// arn:aws:scheduler:::aws-sdk:<service>:<apiAction> with Input as the API's input),
// retries within the RetryPolicy, then the DeadLetterConfig queue; and a schedule
// with ActionAfterCompletion DELETE is deleted after its last invocation.

export function parseExpression(schedule: Pick<ScheduleRecord, "scheduleExpression">): ScheduleExpression | undefined {
  return parseScheduleExpression(schedule.scheduleExpression, true);
}

/** The next invocation strictly after `afterMs` (undefined: none left). */
export function nextInvocation(schedule: ScheduleRecord, afterMs: number, now: number): number | undefined {
  const parsed = parseExpression(schedule);
  if (!parsed) return undefined;
  const zone = schedule.scheduleExpressionTimezone ?? "UTC";
  let due: number | undefined;
  if (parsed.kind === "at") {
    const at = fromLocal(parsed.local, zone);
    // A one-time schedule fires once: at its time, or at once if that has passed.
    due = afterMs >= Math.max(at, schedule.creationDate) ? undefined : Math.max(at, now);
  } else if (parsed.kind === "rate") {
    // "If you do not provide a StartDate for a rate-based schedule, your schedule starts
    // invoking the target immediately" (Schedule types, rate-based): the first invocation
    // is at StartDate, or at creation, then one every period.
    const origin = schedule.startDate ?? schedule.creationDate;
    if (afterMs < origin) due = origin;
    else due = origin + (Math.floor((afterMs - origin) / parsed.periodMs) + 1) * parsed.periodMs;
  } else {
    const from = schedule.startDate !== undefined ? Math.max(afterMs, schedule.startDate - 1) : afterMs;
    due = nextCron(parsed.cron, from, zone);
  }
  if (due !== undefined && schedule.endDate !== undefined && due > schedule.endDate) return undefined;
  return due;
}

/** FLEXIBLE: a deterministic point inside the window (a hash of the schedule and time). */
function flexOffset(schedule: ScheduleRecord, due: number): number {
  const window = schedule.flexibleTimeWindow.Mode === "FLEXIBLE" ? (schedule.flexibleTimeWindow.MaximumWindowInMinutes ?? 0) * 60_000 : 0;
  if (window <= 0) return 0;
  const h = createHash("sha1").update(`${schedule.arn}@${due}`).digest().readUInt32BE(0);
  return Math.floor((h / 0x100000000) * window / 1000) * 1000;
}

export function armSchedule(store: SchedulerStore, schedule: ScheduleRecord, afterMs?: number): TimerHandle | undefined {
  const now = store.clock.now();
  // A schedule just created counts from its creation (a rate() without StartDate invokes
  // at once); one re-armed later (updated, restored after a restart) from now, so that
  // invocations it missed are not made up.
  const fresh = schedule.lastModificationDate === schedule.creationDate && now - schedule.creationDate < 1000;
  const due = nextInvocation(schedule, afterMs ?? (fresh ? schedule.creationDate - 1 : now - 1), now);
  if (due === undefined) {
    if (schedule.actionAfterCompletion === "DELETE") store.clock.after(0, () => store.isCurrent(schedule) && store.deleteSchedule(schedule));
    return undefined;
  }
  return store.clock.at(due + flexOffset(schedule, due), () => {
    if (!store.isCurrent(schedule) || schedule.state !== "ENABLED") return;
    void invokeTarget(store, schedule, due).catch(() => undefined);
    const next = armSchedule(store, schedule, due);
    store.setTimer(schedule, next);
  });
}

/** Aws-sdk service names of universal targets -> Terrarium's model names. */
const SDK_SERVICES: Record<string, string> = {
  sfn: "stepfunctions", eventbridge: "events", cloudwatchlogs: "logs", cloudwatchevents: "events", lambda: "lambda", dynamodb: "dynamodb",
  sqs: "sqs", sns: "sns", s3: "s3", iam: "iam", sts: "sts", kms: "kms", ssm: "ssm", secretsmanager: "secretsmanager",
  cloudwatch: "cloudwatch", cloudformation: "cloudformation", apigateway: "apigateway", apigatewayv2: "apigatewayv2", xray: "xray", sagemaker: "sagemaker",
};

function contextInput(text: string | undefined, schedule: ScheduleRecord, due: number, executionId: string, attempt: number): string | undefined {
  if (text === undefined) return undefined;
  return text
    .replaceAll("<aws.scheduler.schedule-arn>", schedule.arn)
    .replaceAll("<aws.scheduler.scheduled-time>", new Date(due).toISOString().replace(".000Z", "Z"))
    .replaceAll("<aws.scheduler.execution-id>", executionId)
    .replaceAll("<aws.scheduler.attempt-number>", String(attempt));
}

async function invokeTarget(store: SchedulerStore, schedule: ScheduleRecord, due: number): Promise<void> {
  const target = schedule.target;
  const executionId = randomUUID();
  const maxAttempts = target.RetryPolicy?.MaximumRetryAttempts ?? 185;
  const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400) * 1000;
  const attempt = async (n: number): Promise<void> => {
    const input = contextInput(target.Input, schedule, due, executionId, n + 1);
    try {
      await send(store, target, input, executionId);
    } catch (error) {
      const delay = Math.min(1000 * 2 ** n, 300_000);
      const retryable = isRetryable(error);
      if (retryable && n < maxAttempts && store.clock.now() + delay - due <= maxAgeMs) {
        store.clock.after(delay, () => void attempt(n + 1));
        return;
      }
      await deadLetter(store, schedule, input, error, n, retryable ? (n >= maxAttempts ? "MaximumRetryAttempts" : "MaximumEventAgeInSeconds") : undefined);
    }
  };
  await attempt(0);
}

/** Scheduler does not retry a target that is missing, not served, not allowed or that
 *  refuses the input; throttling and server-side failures are retried. */
function isRetryable(error: unknown): boolean {
  const explicit = (error as { retryable?: unknown }).retryable;
  if (typeof explicit === "boolean") return explicit;
  if ((error as { code?: unknown }).code === "NotImplemented") return false;
  if (!isServiceError(error)) return true;
  return !error.senderFault || error.status === 429;
}

async function send(store: SchedulerStore, target: Target, input: string | undefined, executionId: string): Promise<void> {
  const arn = target.Arn ?? "";
  const parts = arn.split(":");
  if (parts[2] === "scheduler" && parts[5] === "aws-sdk") {
    const sdkService = parts[6] ?? "";
    const action = parts[7] ?? "";
    const operation = action.charAt(0).toUpperCase() + action.slice(1);
    let params: Record<string, unknown> = {};
    try {
      if (input !== undefined) params = JSON.parse(input) as Record<string, unknown>;
    } catch {
      throw Object.assign(new Error("The target's Input is not valid JSON."), { code: "INVALID_JSON", retryable: false });
    }
    try {
      await store.invoke(SDK_SERVICES[sdkService] ?? sdkService, operation, params, { account: store.account, region: store.region });
    } catch (error) {
      if (isServiceError(error)) throw error;
      // No model or handler for it (a service Terrarium does not know): not retried.
      throw Object.assign(new Error(`Terrarium cannot call ${sdkService}:${action} yet.`), { code: "NotImplemented", retryable: false });
    }
    return;
  }
  const kind = targetKindOf(arn);
  if (!kind) throw Object.assign(new Error(`Terrarium cannot invoke ${arn} yet.`), { code: "NotImplemented" });
  const out = await sendToArn(store.invoke, arn, {
    body: input ?? "{}",
    fifo: { groupId: target.SqsParameters?.MessageGroupId, deduplicationId: executionId },
    event: { source: target.EventBridgeParameters?.Source, detailType: target.EventBridgeParameters?.DetailType },
  });
  const failed = (out.Entries as Array<{ ErrorCode?: string; ErrorMessage?: string }> | undefined)?.find((e) => e.ErrorCode);
  // PutEventsResultEntry: only InternalFailure and ThrottlingException are retryable.
  if (failed) {
    throw Object.assign(new Error(failed.ErrorMessage), { code: failed.ErrorCode, retryable: failed.ErrorCode === "InternalFailure" || failed.ErrorCode === "ThrottlingException" });
  }
}

async function deadLetter(store: SchedulerStore, schedule: ScheduleRecord, input: string | undefined, error: unknown, retries: number, exhausted: string | undefined): Promise<void> {
  const dlq = schedule.target.DeadLetterConfig?.Arn;
  if (!dlq) return;
  const queue = sqsQueueOfArn(dlq);
  if (!queue) return;
  const attr = (v: string) => ({ DataType: "String", StringValue: v });
  const attributes: Record<string, { DataType: string; StringValue: string }> = {
    ERROR_CODE: attr((error as { code?: string }).code ?? "InternalError"),
    ERROR_MESSAGE: attr((error instanceof Error ? error.message : String(error)).slice(0, 1000)),
    RETRY_ATTEMPTS: { DataType: "Number", StringValue: String(retries) },
    SCHEDULE_ARN: attr(schedule.arn),
    TARGET_ARN: attr(schedule.target.Arn ?? ""),
  };
  if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = attr(exhausted);
  try {
    await store.invoke("sqs", "SendMessage", { QueueUrl: queue.url, MessageBody: input ?? "{}", MessageAttributes: attributes }, queue);
  } catch {
    // The dead-letter queue itself is gone: dropped, as on AWS.
  }
}
