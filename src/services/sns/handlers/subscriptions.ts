import type {
  ConfirmSubscriptionInput, ConfirmSubscriptionResponse, GetSubscriptionAttributesInput, GetSubscriptionAttributesResponse,
  ListSubscriptionsByTopicInput, ListSubscriptionsByTopicResponse, ListSubscriptionsInput, ListSubscriptionsResponse,
  SetSubscriptionAttributesInput, SubscribeInput, SubscribeResponse, Subscription, UnsubscribeInput,
} from "@aws-sdk/client-sns";
import { randomBytes, randomUUID } from "node:crypto";
import { sendConfirmation, sendUnsubscribeConfirmation } from "../delivery.js";
import { checkArnParameter, invalidParameter } from "../errors.js";
import { SnsLimits } from "../limits.js";
import { page } from "../pagination.js";
import type { SubscriptionRecord } from "../records.js";
import type { SnsStore } from "../store.js";
import { subscriptionAttributes, validateSubscriptionAttribute, validateSubscriptionAttributes } from "../subscription-attributes.js";
import type { SnsHandler } from "../types.js";

// Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic) and
// Get/SetSubscriptionAttributes, as the SNS API reference describes them.

const PROTOCOLS = new Set(["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"]);
/** Endpoints that must confirm before they receive anything. */
const CONFIRMED_BY_ENDPOINT = new Set(["http", "https", "email", "email-json"]);

function checkEndpoint(protocol: string, endpoint: string): void {
  const arnOf = (service: string) => new RegExp(`^arn:aws[\\w-]*:${service}:[\\w-]+:\\d{12}:.+$`).test(endpoint);
  switch (protocol) {
    case "sqs":
      if (!arnOf("sqs")) throw invalidParameter("SQS endpoint ARN");
      break;
    case "lambda":
      if (!arnOf("lambda")) throw invalidParameter("Lambda endpoint ARN");
      break;
    case "firehose":
      if (!arnOf("firehose")) throw invalidParameter("Firehose endpoint ARN");
      break;
    case "application":
      if (!arnOf("sns")) throw invalidParameter("Application endpoint arn invalid:" + endpoint);
      break;
    case "http":
    case "https":
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) throw invalidParameter("Endpoint must match the specified protocol");
      break;
    case "email":
    case "email-json":
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalidParameter("Email address");
      break;
    case "sms":
      if (!/^\+?[0-9 ()-]{5,20}$/.test(endpoint)) throw invalidParameter(`Invalid SMS endpoint: ${endpoint}`);
      break;
  }
}

export const Subscribe: SnsHandler<SubscribeInput, SubscribeResponse> = (input, ctx) => {
  const protocol = input.Protocol ?? "";
  const topic = ctx.store.requireTopic(input.TopicArn);
  if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  const endpoint = input.Endpoint ?? "";
  checkEndpoint(protocol, endpoint);
  // FIFO topics deliver to SQS queues only (FIFO or standard); a FIFO queue takes only a FIFO topic.
  if (topic.fifo && protocol !== "sqs") throw invalidParameter(`Invalid protocol type: ${protocol}`);
  if (!topic.fifo && protocol === "sqs" && endpoint.endsWith(".fifo")) {
    throw invalidParameter("Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
  }
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.Attributes ?? {})) attributes[k] = String(v);
  validateSubscriptionAttributes(attributes, { protocol, endpoint, topicArn: topic.arn });
  if (attributes.RawMessageDelivery) attributes.RawMessageDelivery = attributes.RawMessageDelivery.toLowerCase();
  const host = ctx.http?.host ?? new URL(ctx.endpoint).host;
  const existing = ctx.store.subscriptionsOf(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  if (existing) {
    for (const [k, v] of Object.entries(attributes)) {
      if ((existing.attributes[k] ?? "") !== v) throw invalidParameter("Attributes Reason: Subscription already exists with different attributes");
    }
    // Subscribing a pending endpoint again sends it the confirmation again (what the
    // console's "Request confirmation" does), with the same token, so that an earlier
    // SubscribeURL still confirms; the answer is the same "pending confirmation".
    if (existing.pendingConfirmation && existing.token !== undefined) sendConfirmation(ctx.store, existing, host);
    return { SubscriptionArn: answerArn(existing, input.ReturnSubscriptionArn) };
  }
  // The quota refuses the policy, not the subscription: without one it is made.
  if (attributes.FilterPolicy) ctx.store.checkFilterPolicyQuota(topic.arn);
  const pending = CONFIRMED_BY_ENDPOINT.has(protocol);
  const sub: SubscriptionRecord = {
    arn: `${topic.arn}:${randomUUID()}`, topicArn: topic.arn, protocol, endpoint, owner: ctx.store.account, attributes,
    pendingConfirmation: pending, ...(pending ? { token: randomBytes(64).toString("hex"), pendingSince: ctx.clock.now() } : {}),
  };
  ctx.store.saveSubscription(sub);
  if (pending) {
    ctx.store.expireUnconfirmedAfter(sub);
    sendConfirmation(ctx.store, sub, host);
  }
  return { SubscriptionArn: answerArn(sub, input.ReturnSubscriptionArn) };
};

/** Until confirmed, AWS answers "pending confirmation" unless ReturnSubscriptionArn is set. */
function answerArn(sub: SubscriptionRecord, returnArn: boolean | undefined): string {
  return sub.pendingConfirmation && !returnArn ? "pending confirmation" : sub.arn;
}

export const ConfirmSubscription: SnsHandler<ConfirmSubscriptionInput, ConfirmSubscriptionResponse> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.TopicArn);
  let sub = ctx.store.subscriptionsOf(topic.arn).find((s) => s.token !== undefined && s.token === input.Token);
  // The token of an UnsubscribeConfirmation restores the subscription it ended.
  sub ??= ctx.store.restoreUnsubscribed(topic.arn, input.Token);
  if (!sub) throw invalidParameter("Token");
  if (sub.pendingConfirmation) {
    sub.pendingConfirmation = false;
    delete sub.pendingSince;
    ctx.store.saveSubscription(sub);
  }
  return { SubscriptionArn: sub.arn };
};

export const Unsubscribe: SnsHandler<UnsubscribeInput, object> = (input, ctx) => {
  checkArnParameter("SubscriptionArn", input.SubscriptionArn);
  const sub = ctx.store.subscription(input.SubscriptionArn);
  if (!sub) return {};
  ctx.store.deleteSubscription(sub);
  // A confirmed http/https endpoint is told, and may restore the subscription.
  if ((sub.protocol === "http" || sub.protocol === "https") && !sub.pendingConfirmation && sub.token) {
    ctx.store.rememberUnsubscribed(sub);
    sendUnsubscribeConfirmation(ctx.store, sub, ctx.http?.host ?? new URL(ctx.endpoint).host);
  }
  return {};
};

export const GetSubscriptionAttributes: SnsHandler<GetSubscriptionAttributesInput, GetSubscriptionAttributesResponse> = (input, ctx) => {
  return { Attributes: subscriptionAttributes(ctx.store.requireSubscription(input.SubscriptionArn)) };
};

export const SetSubscriptionAttributes: SnsHandler<SetSubscriptionAttributesInput, object> = (input, ctx) => {
  const sub = ctx.store.requireSubscription(input.SubscriptionArn);
  const name = input.AttributeName ?? "";
  let value = input.AttributeValue ?? "";
  const scope = name === "FilterPolicyScope" ? value : sub.attributes.FilterPolicyScope;
  validateSubscriptionAttribute(name, value, sub, scope, "SetSubscriptionAttributes");
  // A new scope must still fit the current policy (a nested policy cannot go back to MessageAttributes).
  if (name === "FilterPolicyScope" && sub.attributes.FilterPolicy) {
    validateSubscriptionAttribute("FilterPolicy", sub.attributes.FilterPolicy, sub, value, "SetSubscriptionAttributes");
  }
  if (name === "FilterPolicy" && value !== "") ctx.store.checkFilterPolicyQuota(sub.topicArn, sub.arn);
  if (name === "RawMessageDelivery") value = value.toLowerCase();
  if (value === "" && name !== "RawMessageDelivery") delete sub.attributes[name];
  else sub.attributes[name] = value;
  ctx.store.saveSubscription(sub);
  return {};
};

function listed(store: SnsStore, subs: SubscriptionRecord[], token: string | undefined): { Subscriptions: Subscription[]; NextToken?: string } {
  const byArn = new Map(subs.map((s) => [s.arn, s]));
  const { items, next } = page([...byArn.keys()].sort(), SnsLimits.subscriptionsPerPage, token);
  const Subscriptions = items.map((arn) => {
    const s = byArn.get(arn)!;
    return { SubscriptionArn: s.pendingConfirmation ? "PendingConfirmation" : s.arn, Owner: store.account, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn };
  });
  return { Subscriptions, ...(next ? { NextToken: next } : {}) };
}

export const ListSubscriptions: SnsHandler<ListSubscriptionsInput, ListSubscriptionsResponse> = (input, ctx) =>
  listed(ctx.store, ctx.store.allSubscriptions(), input.NextToken);

export const ListSubscriptionsByTopic: SnsHandler<ListSubscriptionsByTopicInput, ListSubscriptionsByTopicResponse> = (input, ctx) => {
  const topic = ctx.store.requireTopic(input.TopicArn);
  return listed(ctx.store, ctx.store.subscriptionsOf(topic.arn), input.NextToken);
};
