import { randomUUID } from "node:crypto";
import { attributesForFilter, passesFilter } from "./filter-policy.js";
import type { SubscriptionRecord, TopicRecord } from "./records.js";
import type { SnsStore } from "./store.js";
import type { MessageAttribute } from "./types.js";
import { sendToHttpEndpoint } from "./http-delivery.js";
import { sqsQueueOfArn } from "../../platform/arn.js";
import { setOwn } from "../../protocols/shape-walk.js";

// Fan-out: one published message to each confirmed subscription of its topic that its
// filter policy lets through, in the form each protocol receives (the JSON envelope
// of "Amazon SNS message and JSON formats", or the raw message). Deliveries to other
// services go through ctx.invoke; a failed one goes to the subscription's
// dead-letter queue (RedrivePolicy) when it has one.

export interface PublishedMessage {
  messageId: string;
  topic: TopicRecord;
  /** The default message, and per-protocol ones with MessageStructure=json. */
  message: string;
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes?: Record<string, MessageAttribute>;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  timestamp: string;
}

/** Where Terrarium would serve the signing key and the unsubscribe link (see README follow-ups). */
export function signingCertUrl(store: SnsStore, host: string): string {
  return `http://${host}/_terrarium/sns/SimpleNotificationService-${store.account}-${store.region}.pem`;
}

export function unsubscribeUrl(host: string, subscriptionArn: string): string {
  return derived(`${host}\n${subscriptionArn}`, () =>
    `http://${host}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}${scopeOf(subscriptionArn)}`);
}

// Every delivery of a subscription builds the same UnsubscribeURL and resolves the same
// queue ARN: made once each (pure functions of their strings, so nothing here is state).
const DERIVED_MAX = 1024;
const derivedStrings = new Map<string, string>();
const queueTargets = new Map<string, QueueTarget>();

function derived(key: string, make: () => string): string {
  let value = derivedStrings.get(key);
  if (value === undefined) {
    if (derivedStrings.size >= DERIVED_MAX) derivedStrings.clear();
    derivedStrings.set(key, (value = make()));
  }
  return value;
}

/** Links a recipient follows unsigned still reach SNS in the resource's account and
 *  region: the query names the API version and carries a credential scope whose key
 *  is the 12-digit account (which the gateway reads as that account). */
function scopeOf(arn: string): string {
  const [, , , region, account] = arn.split(":");
  const credential = `${account}/20120101/${region}/sns/aws4_request`;
  return `&Version=2010-03-31&X-Amz-Credential=${encodeURIComponent(credential)}`;
}

const DEFAULT_HOST = "localhost:4566";

/** The topic's SignatureVersion attribute: "2" signs with SHA256, otherwise SHA1. */
function signatureVersion(topic: TopicRecord | undefined): string {
  return topic?.attributes.SignatureVersion === "2" ? "2" : "1";
}

export async function fanOut(store: SnsStore, msg: PublishedMessage, host = DEFAULT_HOST): Promise<void> {
  const subs = store.subscriptionsOf(msg.topic.arn);
  if (subs.length === 0) return;
  let filterView: Record<string, unknown> | undefined;
  const targets: [SubscriptionRecord, string][] = [];
  for (const sub of subs) {
    if (sub.pendingConfirmation) continue;
    const message = msg.perProtocol?.[sub.protocol] ?? msg.message;
    const policy = store.filterOf(sub);
    if (policy) {
      filterView ??= attributesForFilter(msg.attributes);
      if (!passesFilter(policy, sub.attributes.FilterPolicyScope, message, filterView)) continue;
    }
    targets.push([sub, message]);
  }
  const deliveries: Promise<void>[] = [];
  const envelopes = new Envelopes(store, msg, host);
  // Deliveries to queues write while this loop runs (ctx.invoke runs the handler
  // synchronously): one SQLite commit for all of them, not one per queue. Nothing in
  // it throws (a delivery's failure is its promise's), so no write is rolled back.
  store.atomically(() => {
    for (const [sub, message] of targets) deliveries.push(deliver(store, sub, msg, message, envelopes));
  });
  await Promise.all(deliveries);
}

interface SignedEnvelope {
  /** The envelope's fields up to SigningCertURL, in AWS's order. */
  fields: Record<string, unknown>;
  /** Its JSON up to the UnsubscribeURL value, and from there to the end. */
  head: string;
  tail: string;
  attributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * One publish's JSON envelopes ("Amazon SNS message and JSON formats"): signed and
 * serialized once per message text, whatever the number of subscriptions. Only
 * UnsubscribeURL differs between subscriptions, and it is not in the string to sign,
 * so each delivery splices its own URL into the same JSON.
 */
export class Envelopes {
  private readonly byMessage = new Map<string, SignedEnvelope>();

  constructor(
    private readonly store: SnsStore,
    private readonly msg: PublishedMessage,
    readonly host: string,
  ) {}

  /** The envelope as an object, fields in AWS's order; Subject only when set. */
  object(sub: SubscriptionRecord, message: string): Record<string, unknown> {
    const signed = this.signed(message);
    const out: Record<string, unknown> = { ...signed.fields, UnsubscribeURL: unsubscribeUrl(this.host, sub.arn) };
    if (signed.attributes) out.MessageAttributes = signed.attributes;
    return out;
  }

  /** The envelope's JSON, byte for byte JSON.stringify(object(sub, message)). */
  json(sub: SubscriptionRecord, message: string): string {
    const signed = this.signed(message);
    return signed.head + JSON.stringify(unsubscribeUrl(this.host, sub.arn)) + signed.tail;
  }

  private signed(message: string): SignedEnvelope {
    let signed = this.byMessage.get(message);
    if (signed) return signed;
    const { store, msg } = this;
    const fields: Record<string, unknown> = { Type: "Notification", MessageId: msg.messageId };
    if (msg.sequenceNumber) fields.SequenceNumber = msg.sequenceNumber;
    fields.TopicArn = msg.topic.arn;
    if (msg.subject !== undefined) fields.Subject = msg.subject;
    fields.Message = message;
    fields.Timestamp = msg.timestamp;
    // A FIFO topic's notifications carry no signature (nor SignatureVersion and
    // SigningCertURL), as AWS sends them.
    if (!msg.topic.fifo) {
      const version = signatureVersion(msg.topic);
      fields.SignatureVersion = version;
      fields.Signature = store.signer.sign({ Type: "Notification", MessageId: msg.messageId, TopicArn: msg.topic.arn, Subject: msg.subject, Message: message, Timestamp: msg.timestamp }, version);
      fields.SigningCertURL = signingCertUrl(store, this.host);
    }
    const attributes = envelopeAttributes(msg.attributes);
    signed = {
      fields,
      head: `${JSON.stringify(fields).slice(0, -1)},"UnsubscribeURL":`,
      tail: attributes ? `,"MessageAttributes":${JSON.stringify(attributes)}}` : "}",
      attributes,
    };
    this.byMessage.set(message, signed);
    return signed;
  }
}

/** {"name": {"Type": "String", "Value": "..."}}; binary values in base64. */
function envelopeAttributes(attributes: Record<string, MessageAttribute> | undefined): Record<string, { Type: string; Value: string }> | undefined {
  if (!attributes) return undefined;
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of entries) {
    const type = a.DataType ?? "String";
    setOwn(out, name, { Type: type, Value: type.startsWith("Binary") ? Buffer.from(a.BinaryValue ?? []).toString("base64") : (a.StringValue ?? "") });
  }
  return out;
}

async function deliver(store: SnsStore, sub: SubscriptionRecord, msg: PublishedMessage, message: string, envelopes: Envelopes): Promise<void> {
  const raw = sub.attributes.RawMessageDelivery === "true";
  const body = () => (raw ? message : envelopes.json(sub, message));
  try {
    switch (sub.protocol) {
      case "sqs":
        await sendToQueue(store, sub.endpoint, body(), raw ? msg.attributes : undefined, msg);
        return;
      case "lambda":
        await invokeLambda(store, sub, msg, message, envelopes);
        return;
      case "http":
      case "https":
        sendToHttpEndpoint(store, sub, body(), msg.messageId, raw, (error) => toDeadLetterQueue(store, sub, body(), msg, error));
        return;
      default:
        store.send({
          protocol: sub.protocol, endpoint: sub.endpoint, subscriptionArn: sub.arn, topicArn: msg.topic.arn, messageId: msg.messageId,
          ...(msg.subject !== undefined ? { subject: msg.subject } : {}),
          message: sub.protocol === "email-json" ? body() : message, timestamp: msg.timestamp,
        });
    }
  } catch (error) {
    await toDeadLetterQueue(store, sub, body(), msg, error);
  }
}

interface QueueTarget {
  url: string;
  account: string;
  region: string;
  fifo: boolean;
}

function queueTarget(arn: string): QueueTarget {
  let target = queueTargets.get(arn);
  if (!target) {
    const [, , , region, account, name] = arn.split(":");
    target = Object.freeze({ url: sqsQueueOfArn(arn)?.url ?? "", account, region, fifo: name.endsWith(".fifo") });
    if (queueTargets.size >= DERIVED_MAX) queueTargets.clear();
    queueTargets.set(arn, target);
  }
  return target;
}

async function sendToQueue(store: SnsStore, queueArn: string, body: string, attributes: Record<string, MessageAttribute> | undefined, msg: PublishedMessage): Promise<void> {
  const target = queueTarget(queueArn);
  const input: Record<string, unknown> = { QueueUrl: target.url, MessageBody: body };
  if (attributes && Object.keys(attributes).length > 0) input.MessageAttributes = attributes;
  // A FIFO topic keeps the group and the deduplication id (its own, or the content hash)
  // into FIFO queues; a standard topic forwards MessageGroupId to standard queues too,
  // where it makes them fair queues (Publish API reference, MessageGroupId).
  if (msg.groupId) input.MessageGroupId = msg.groupId;
  if (target.fifo) input.MessageDeduplicationId = msg.deduplicationId ?? msg.messageId;
  await store.invoke("sqs", "SendMessage", input, { account: target.account, region: target.region });
}

/** The SNS event record a Lambda function receives (Subject null when unset). */
async function invokeLambda(store: SnsStore, sub: SubscriptionRecord, msg: PublishedMessage, message: string, envelopes: Envelopes): Promise<void> {
  const env = envelopes.object(sub, message);
  const record = {
    EventSource: "aws:sns",
    EventVersion: "1.0",
    EventSubscriptionArn: sub.arn,
    Sns: {
      Type: "Notification", MessageId: msg.messageId, TopicArn: msg.topic.arn, Subject: msg.subject ?? null, Message: message,
      Timestamp: msg.timestamp, SignatureVersion: env.SignatureVersion, Signature: env.Signature, SigningCertUrl: env.SigningCertURL,
      UnsubscribeUrl: env.UnsubscribeURL, MessageAttributes: env.MessageAttributes ?? {},
    },
  };
  const [, , , region, account] = sub.endpoint.split(":");
  await store.invoke("lambda", "Invoke", { FunctionName: sub.endpoint, InvocationType: "Event", Payload: Buffer.from(JSON.stringify({ Records: [record] })) }, { account, region });
}

/** A delivery that failed for good: to the subscription's DLQ if it has one, else dropped (as AWS does). */
async function toDeadLetterQueue(store: SnsStore, sub: SubscriptionRecord, body: string, msg: PublishedMessage, _error: unknown): Promise<void> {
  const policy = sub.attributes.RedrivePolicy;
  if (!policy) return;
  try {
    const dlq = JSON.parse(policy).deadLetterTargetArn as string;
    const raw = sub.attributes.RawMessageDelivery === "true";
    await sendToQueue(store, dlq, body, raw ? msg.attributes : undefined, msg);
  } catch {
    // The DLQ itself is gone: AWS drops the message.
  }
}

/** The SubscriptionConfirmation an http/https endpoint receives (email: recorded in the outbox). */
export function sendConfirmation(store: SnsStore, sub: SubscriptionRecord, host = DEFAULT_HOST): void {
  const messageId = randomUUID();
  const timestamp = new Date(store.clock.now()).toISOString();
  const subscribeUrl = `http://${host}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(sub.topicArn)}&Token=${sub.token}${scopeOf(sub.topicArn)}`;
  const text = `You have chosen to subscribe to the topic ${sub.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  if (sub.protocol === "email" || sub.protocol === "email-json") {
    store.send({ protocol: sub.protocol, endpoint: sub.endpoint, subscriptionArn: sub.arn, topicArn: sub.topicArn, messageId, subject: "AWS Notification - Subscription Confirmation", message: `${text}\n${subscribeUrl}`, timestamp });
    return;
  }
  postConfirmation(store, sub, host, "SubscriptionConfirmation", text, subscribeUrl, messageId, timestamp);
}

/**
 * The UnsubscribeConfirmation an http/https endpoint receives once unsubscribed
 * ("HTTP/HTTPS unsubscribe confirmation JSON format"): its SubscribeURL (or Token with
 * ConfirmSubscription) restores the subscription.
 */
export function sendUnsubscribeConfirmation(store: SnsStore, sub: SubscriptionRecord, host = DEFAULT_HOST): void {
  const subscribeUrl = `http://${host}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(sub.topicArn)}&Token=${sub.token}${scopeOf(sub.topicArn)}`;
  const text = `You have chosen to deactivate subscription ${sub.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  postConfirmation(store, sub, host, "UnsubscribeConfirmation", text, subscribeUrl, randomUUID(), new Date(store.clock.now()).toISOString());
}

function postConfirmation(
  store: SnsStore, sub: SubscriptionRecord, host: string, type: "SubscriptionConfirmation" | "UnsubscribeConfirmation",
  text: string, subscribeUrl: string, messageId: string, timestamp: string,
): void {
  const fields = { Type: type, MessageId: messageId, Token: sub.token!, TopicArn: sub.topicArn, Message: text, SubscribeURL: subscribeUrl, Timestamp: timestamp };
  const version = signatureVersion(store.topicByArn(sub.topicArn));
  const body = JSON.stringify({ ...fields, SignatureVersion: version, Signature: store.signer.sign(fields, version), SigningCertURL: signingCertUrl(store, host) });
  sendToHttpEndpoint(store, sub, body, messageId, false, () => undefined, type);
}
