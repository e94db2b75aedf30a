import type { Target } from "@aws-sdk/client-eventbridge";
import { matchPattern } from "../../engines/event-patterns/index.js";
import { isServiceError } from "../../protocols/service-error.js";
import { targetInput } from "./input-transform.js";
import type { EventEnvelope, RuleRecord } from "./records.js";
import type { EventsStore } from "./store.js";
import { sqsQueueOfArn } from "../../platform/arn.js";
import { sendToArn } from "../arn-targets.js";
import { DeliveryFailure, invokeApiDestination } from "./api-destination-delivery.js";
import { policyAllowsPutEvents } from "./cross-account.js";

// Routing and delivery: an event on a bus goes to every enabled rule whose pattern
// matches, and from each rule to its targets, through ctx.invoke (the target
// service's own handler). A failed delivery is retried with backoff on the shared
// clock within the target's RetryPolicy (default 185 attempts, 24 hours), except for
// errors AWS does not retry (the target does not exist, is not served, refuses the
// input); then it goes to the target's DeadLetterConfig queue, with the attributes
// AWS documents (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE...), or is dropped.
// API destinations are real HTTP requests (api-destination-delivery.ts); another
// account's bus takes the event only if its policy allows it (cross-account.ts).

export interface RouteOptions {
  /** Replays: only these rules (Destination.FilterArns), and no archiving. */
  replay?: { name: string; filterArns?: string[] };
}

/** Delivers an accepted event; archives it unless it is a replay. Resolves once every first attempt finished. */
export function routeEvent(store: EventsStore, busName: string, event: EventEnvelope, options: RouteOptions = {}): Promise<void> | undefined {
  let deliveries: Promise<void>[] | undefined;
  let eventJson: string | undefined;
  const ingestion = store.clock.now();
  for (const { rule, pattern } of store.routesOf(busName)) {
    if (options.replay?.filterArns && options.replay.filterArns.length > 0 && !options.replay.filterArns.includes(rule.arn)) continue;
    if (!matchPattern(pattern, event as unknown as Record<string, unknown>)) continue;
    eventJson ??= JSON.stringify(event);
    for (const target of rule.targets) {
      const delivery = deliverToTarget(store, rule, target, event, eventJson, ingestion);
      // An HTTP endpoint answers in its own time (up to 5 s): PutEvents does not wait for it.
      if (isApiDestination(target)) void delivery.catch(() => undefined);
      else (deliveries ??= []).push(delivery);
    }
  }
  if (!options.replay) {
    const bus = store.bus(busName);
    if (bus) {
      for (const { archive, pattern } of store.archivesOf(bus.arn)) {
        if (pattern && !matchPattern(pattern, event as unknown as Record<string, unknown>)) continue;
        eventJson ??= JSON.stringify(event);
        store.keep({ archive: archive.name, time: Date.parse(event.time), archivedAt: ingestion, event, size: Buffer.byteLength(eventJson) });
      }
    }
  }
  return deliveries && Promise.all(deliveries).then(() => undefined);
}

function isApiDestination(target: Target): boolean {
  return /^arn:[^:]+:events:[^:]*:[^:]*:api-destination\//.test(target.Arn ?? "");
}

/** A scheduled rule's firing: "Scheduled Event" from aws.events to each target. */
export function fireScheduledRule(store: EventsStore, rule: RuleRecord, dueMs: number): Promise<void> {
  const event: EventEnvelope = {
    version: "0", id: crypto.randomUUID(), "detail-type": "Scheduled Event", source: "aws.events", account: store.account,
    time: isoSeconds(dueMs), region: store.region, resources: [rule.arn], detail: {},
  };
  const json = JSON.stringify(event);
  return Promise.all(rule.targets.map((t) => deliverToTarget(store, rule, t, event, json, store.clock.now()))).then(() => undefined);
}

/** An event's time: ISO 8601 to the second. Events come many to a second: the last
 *  second's text is kept (a pure function's result, so no state of any store). */
let lastSecond = NaN;
let lastSecondText = "";

export function isoSeconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecondText = new Date(second * 1000).toISOString().replace(".000Z", "Z");
    lastSecond = second;
  }
  return lastSecondText;
}

const DEFAULT_ATTEMPTS = 185;
const RETRYABLE_PUT_EVENTS_ERRORS = new Set(["InternalFailure", "ThrottlingException"]);
const DEFAULT_MAX_AGE_S = 86_400;

async function deliverToTarget(store: EventsStore, rule: RuleRecord, target: Target, event: EventEnvelope, eventJson: string, ingestion: number): Promise<void> {
  const payload = targetInput(target, event, eventJson, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime: isoSeconds(ingestion) });
  const attempt = async (n: number): Promise<void> => {
    try {
      await sendToTarget(store, target, payload, event);
    } catch (error) {
      const maxAttempts = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_ATTEMPTS;
      const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
      // An API destination's Retry-After, when longer than the backoff, is waited instead.
      const delay = Math.max(Math.min(1000 * 2 ** n, 300_000), error instanceof DeliveryFailure ? error.retryAfterMs ?? 0 : 0);
      const retryable = isRetryable(error);
      if (retryable && n < maxAttempts && store.clock.now() + delay - ingestion <= maxAgeMs) {
        store.clock.after(delay, () => void attempt(n + 1));
        return;
      }
      const exhausted = !retryable ? undefined : n >= maxAttempts ? "MaximumRetryAttempts" : "MaximumEventAgeInSeconds";
      await toDeadLetterQueue(store, rule, target, eventJson, error, n, exhausted);
    }
  };
  await attempt(0);
}

/** AWS does not retry a target that is missing, not allowed, or refuses the request. */
function isRetryable(error: unknown): boolean {
  if (error instanceof DeliveryFailure) return error.retryable;
  if ((error as { nonRetryable?: boolean }).nonRetryable) return false;
  if (!isServiceError(error)) return true;
  if (error.code === "NotImplemented") return false;
  return !error.senderFault || error.status === 429;
}

async function sendToTarget(store: EventsStore, target: Target, payload: string, event: EventEnvelope): Promise<void> {
  const arn = target.Arn ?? "";
  const [, , service, region, account, ...rest] = arn.split(":");
  const resource = rest.join(":");
  const scope = { account, region };
  switch (service) {
    case "sqs":
    case "sns":
    case "lambda":
    case "states":
      // AWS deduplicates FIFO deliveries by event id (content-based dedup aside).
      await sendToArn(store.invoke, arn, { body: payload, fifo: { groupId: target.SqsParameters?.MessageGroupId, deduplicationId: event.id } });
      return;
    case "events": {
      if (resource.startsWith("api-destination/")) {
        if (account !== store.account || region !== store.region) {
          throw new DeliveryFailure("NO_RESOURCE", `The API destination ${arn} is not in the rule's account and region.`, false);
        }
        await invokeApiDestination(store, target, payload, event);
        return;
      }
      if (account !== store.account) {
        // "Sending and receiving events between AWS accounts": an event another account
        // sent here is not passed on to a third account.
        if (event.account !== store.account && account !== event.account) {
          throw new DeliveryFailure("THIRD_ACCOUNT_HOP_DETECTED", `Event ${event.id} came from account ${event.account} and cannot be sent on to account ${account}.`, false);
        }
        await requireCrossAccountPermission(store, target, arn, scope);
      }
      // Bus to bus: the event travels as it is (its detail-type, source, detail, resources),
      // still naming the account it came from.
      const result = await store.invoke("events", "PutEvents", {
        Entries: [{
          EventBusName: arn, Source: event.source, DetailType: event["detail-type"], Detail: JSON.stringify(event.detail), Resources: event.resources,
          Time: new Date(event.time), ForwardedFromAccount: event.account,
        }],
      }, scope);
      const failed = (result.Entries as Array<{ ErrorCode?: string; ErrorMessage?: string }> | undefined)?.find((e) => e.ErrorCode);
      // PutEventsResultEntry: only InternalFailure and ThrottlingException are retryable.
      if (failed) throw new DeliveryFailure(failed.ErrorCode!, failed.ErrorMessage ?? "", RETRYABLE_PUT_EVENTS_ERRORS.has(failed.ErrorCode!));
      return;
    }
    case "logs": {
      const group = resource.replace(/^log-group:/, "").replace(/:\*$/, "");
      const stream = event.id;
      await store.invoke("logs", "CreateLogStream", { logGroupName: group, logStreamName: stream }, scope).catch((e) => {
        if (!(isServiceError(e) && e.code === "ResourceAlreadyExistsException")) throw e;
      });
      await store.invoke("logs", "PutLogEvents", { logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: Date.parse(event.time), message: payload }] }, scope);
      return;
    }
    default:
      throw Object.assign(new Error(`Terrarium cannot deliver to ${arn} yet.`), { code: "NotImplemented", nonRetryable: true });
  }
}

/** Another account's bus takes the event only if its policy lets this account (or the
 *  target's role) call events:PutEvents on it; otherwise the delivery fails, unretried. */
async function requireCrossAccountPermission(store: EventsStore, target: Target, busArn: string, scope: { account: string; region: string }): Promise<void> {
  const bus = await store.invoke("events", "DescribeEventBus", { Name: busArn }, scope);
  if (!policyAllowsPutEvents(bus.Policy as string | undefined, busArn, store.account, target.RoleArn)) {
    throw new DeliveryFailure("NO_PERMISSIONS", `Account ${store.account} is not authorized to put events to ${busArn}.`, false);
  }
}

async function toDeadLetterQueue(store: EventsStore, rule: RuleRecord, target: Target, eventJson: string, error: unknown, retries: number, exhausted: string | undefined): Promise<void> {
  const dlq = target.DeadLetterConfig?.Arn;
  if (!dlq) return;
  const queue = sqsQueueOfArn(dlq);
  if (!queue) return;
  const code = (error as { code?: string }).code ?? "InternalError";
  const message = error instanceof Error ? error.message : String(error);
  const attributes: Record<string, { DataType: string; StringValue: string }> = {
    RULE_ARN: { DataType: "String", StringValue: rule.arn },
    TARGET_ARN: { DataType: "String", StringValue: target.Arn ?? "" },
    ERROR_CODE: { DataType: "String", StringValue: code },
    ERROR_MESSAGE: { DataType: "String", StringValue: message.slice(0, 1000) },
    RETRY_ATTEMPTS: { DataType: "Number", StringValue: String(retries) },
  };
  if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = { DataType: "String", StringValue: exhausted };
  try {
    await store.invoke("sqs", "SendMessage", { QueueUrl: queue.url, MessageBody: eventJson, MessageAttributes: attributes }, queue);
  } catch {
    // The dead-letter queue itself is gone: the event is dropped, as on AWS.
  }
}
