import { randomBytes } from "node:crypto";
import { invalidArgument, s3Error } from "./errors.js";
import type { BucketRecord, ObjectRecord } from "./records.js";
import type { S3Store } from "./store.js";
import { sqsQueueOfArn } from "../../platform/arn.js";

// Event notifications (S3 User Guide, "Amazon S3 Event Notifications"): the
// bucket's configuration, validated as S3 does (every destination must exist),
// and the delivery of event records to SQS, SNS, Lambda and EventBridge through
// ctx.invoke, in AWS's event message structure (eventVersion 2.1). Deliveries
// never hold up the request that caused them; a failed one is logged.

type Kind = "Queue" | "Topic" | "LambdaFunction";

export interface NotificationTarget {
  kind: Kind;
  id: string;
  arn: string;
  events: string[];
  rules: { Name: "Prefix" | "Suffix"; Value: string }[];
}

export interface NotificationConfig {
  targets: NotificationTarget[];
  eventBridge: boolean;
}

const EVENTS = [
  "s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
  "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
  "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:Replication:*",
  "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
  "s3:Replication:OperationReplicatedAfterThreshold", "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
  "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectTagging:*",
  "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put",
];

const MEMBERS: { kind: Kind; list: string; arn: string }[] = [
  { kind: "Queue", list: "QueueConfigurations", arn: "QueueArn" },
  { kind: "Topic", list: "TopicConfigurations", arn: "TopicArn" },
  { kind: "LambdaFunction", list: "LambdaFunctionConfigurations", arn: "LambdaFunctionArn" },
];

/** Reads PutBucketNotificationConfiguration's input, checking events and filter rules. */
export function readNotificationConfig(input: Record<string, any>): NotificationConfig {
  const given = input.NotificationConfiguration ?? {};
  const targets: NotificationTarget[] = [];
  for (const { kind, list, arn } of MEMBERS) {
    for (const c of (given[list] ?? []) as Record<string, any>[]) {
      const events = (c.Events ?? []) as string[];
      for (const event of events) {
        if (!EVENTS.includes(event)) throw invalidArgument("The event is not supported for notifications", "Event", event);
      }
      if (events.length === 0) throw s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
      const rules = ((c.Filter?.Key?.FilterRules ?? []) as { Name?: string; Value?: string }[]).map((r) => {
        const name = String(r.Name ?? "").toLowerCase();
        if (name !== "prefix" && name !== "suffix") throw invalidArgument("filter rule name must be either prefix or suffix", "FilterRule", String(r.Name ?? ""));
        const value = String(r.Value ?? "");
        if (Buffer.byteLength(value) > 1024) {
          throw invalidArgument("Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation", "FilterRule", value);
        }
        return { Name: name === "prefix" ? ("Prefix" as const) : ("Suffix" as const), Value: value };
      });
      for (const name of ["Prefix", "Suffix"]) {
        if (rules.filter((r) => r.Name === name).length > 1) {
          throw invalidArgument(`Cannot specify more than one ${name.toLowerCase()} rule in a filter.`, "FilterRule", name.toLowerCase());
        }
      }
      // S3 gives a configuration without an Id a generated one.
      targets.push({ kind, id: c.Id || randomBytes(12).toString("base64url"), arn: String(c[arn] ?? ""), events, rules });
    }
  }
  checkOverlaps(targets);
  return { targets, eventBridge: given.EventBridgeConfiguration !== undefined };
}

/** The event names a configured event covers ("s3:ObjectCreated:*" covers every ObjectCreated one). */
function covers(a: string, b: string): boolean {
  if (a === b) return true;
  const family = (e: string) => (e.endsWith(":*") ? e.slice(0, -1) : undefined);
  const fa = family(a);
  const fb = family(b);
  return (fa !== undefined && b.startsWith(fa)) || (fb !== undefined && a.startsWith(fb));
}

/**
 * Two configurations may not both get an event for one object: S3 refuses those
 * that share an event type unless their prefix or suffix rules keep them apart
 * (S3 User Guide, "Examples of valid and invalid configurations").
 */
function checkOverlaps(targets: NotificationTarget[]): void {
  const rule = (t: NotificationTarget, name: "Prefix" | "Suffix") => t.rules.find((r) => r.Name === name)?.Value ?? "";
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const [a, b] = [targets[i], targets[j]];
      if (!a.events.some((x) => b.events.some((y) => covers(x, y)))) continue;
      const [pa, pb, sa, sb] = [rule(a, "Prefix"), rule(b, "Prefix"), rule(a, "Suffix"), rule(b, "Suffix")];
      const prefixesMeet = pa.startsWith(pb) || pb.startsWith(pa);
      const suffixesMeet = sa.endsWith(sb) || sb.endsWith(sa);
      if (prefixesMeet && suffixesMeet) {
        throw invalidArgument("Configurations overlap. Configurations on the same bucket cannot share a common event type.");
      }
    }
  }
}

export function notificationOutput(config: NotificationConfig | undefined): Record<string, unknown> {
  if (!config) return {};
  const out: Record<string, unknown[]> = {};
  for (const { kind, list, arn } of MEMBERS) {
    const items = config.targets.filter((t) => t.kind === kind);
    if (items.length === 0) continue;
    out[list] = items.map((t) => ({
      Id: t.id,
      [arn]: t.arn,
      Events: t.events,
      Filter: t.rules.length ? { Key: { FilterRules: t.rules } } : undefined,
    }));
  }
  return { ...out, EventBridgeConfiguration: config.eventBridge ? {} : undefined };
}

const UNVERIFIABLE: Record<Kind, (arn: string) => string> = {
  Queue: () => "Permissions on the destination queue do not allow S3 to publish notifications from this bucket",
  Topic: () => "Permissions on the destination topic do not allow S3 to publish notifications from this bucket",
  LambdaFunction: (arn) => `Not authorized to invoke function [${arn}]`,
};

function scopeOf(arn: string): { account: string; region: string; name: string } {
  const [, , , region, account, ...rest] = arn.split(":");
  return { account, region, name: rest.join(":") };
}

/** Whether the destination exists, asked through its own service's handlers. */
async function destinationExists(store: S3Store, target: NotificationTarget): Promise<boolean> {
  const { account, region, name } = scopeOf(target.arn);
  if (!account || !region || !name) return false;
  try {
    if (target.kind === "Queue") await store.invoke("sqs", "GetQueueUrl", { QueueName: name, QueueOwnerAWSAccountId: account }, { account, region });
    else if (target.kind === "Topic") await store.invoke("sns", "GetTopicAttributes", { TopicArn: target.arn }, { account, region });
    else await store.invoke("lambda", "GetFunction", { FunctionName: target.arn }, { account, region });
    return true;
  } catch {
    return false;
  }
}

/** S3 refuses a configuration naming any destination it cannot publish to. */
export async function validateDestinations(store: S3Store, config: NotificationConfig): Promise<void> {
  const fields: Record<string, string> = {};
  let n = 0;
  for (const target of config.targets) {
    if (await destinationExists(store, target)) continue;
    n++;
    fields[`ArgumentName${n}`] = target.arn;
    fields[`ArgumentValue${n}`] = UNVERIFIABLE[target.kind](target.arn);
  }
  if (n > 0) throw s3Error("InvalidArgument", "Unable to validate the following destination configurations", fields);
}

/** The s3:TestEvent S3 sends to each queue and topic when a configuration is set. */
export function sendTestEvents(store: S3Store, bucket: BucketRecord, config: NotificationConfig, requestId: string): void {
  const message = JSON.stringify({
    Service: "Amazon S3",
    Event: "s3:TestEvent",
    Time: new Date(store.clock.now()).toISOString(),
    Bucket: bucket.name,
    RequestId: requestId,
    HostId: hostId(),
  });
  // One per queue or topic, however many configurations name it; functions get none.
  const destinations = new Map(config.targets.filter((t) => t.kind !== "LambdaFunction").map((t) => [t.arn, t.kind]));
  for (const [arn, kind] of destinations) deliver(store, arn, () => (kind === "Queue" ? sendToQueue(store, arn, message) : publish(store, arn, message)));
}

function publish(store: S3Store, topicArn: string, message: string): Promise<unknown> {
  const { account, region } = scopeOf(topicArn);
  return store.invoke("sns", "Publish", { TopicArn: topicArn, Message: message, Subject: "Amazon S3 Notification" }, { account, region });
}

export interface EventOrigin {
  requestId: string;
  /** The caller's principal id (AWS:<userId>). */
  principalId: string;
  sourceIp?: string;
}

/**
 * Tells the bucket's destinations that `eventName` (e.g. "ObjectCreated:Put")
 * happened to `record`: each configuration whose events and filter match gets one
 * record; EventBridge, when enabled, gets every event.
 */
export function notify(store: S3Store, bucket: BucketRecord, eventName: string, record: ObjectRecord, origin: EventOrigin): void {
  const config = bucket.configs.Notification as NotificationConfig | undefined | null;
  if (!config || (config.targets.length === 0 && !config.eventBridge)) return;
  const sequencer = store.nextSequencer();
  const time = new Date(store.clock.now()).toISOString();
  const removed = eventName.startsWith("ObjectRemoved") || eventName.startsWith("LifecycleExpiration");
  const [family] = eventName.split(":");
  // S3 writes 2.3 for Lifecycle, object ACL, object tagging and restore-expiry
  // events, 2.1 for the others (S3 User Guide, "Event message structure").
  const eventVersion = VERSION_2_3.has(family) || eventName === "ObjectRestore:Delete" ? "2.3" : "2.1";
  // A completed restore says until when and from which class (S3 User Guide, "Event message structure").
  const restoreData = eventName === "ObjectRestore:Completed" && record.restore
    ? { lifecycleRestorationExpiryTime: new Date(record.restore.expiresAt).toISOString(), lifecycleRestoreStorageClass: record.storageClass }
    : undefined;
  // A lifecycle transition names the class the object moved to ("lifecycleEventData", same guide).
  const transitionData = eventName === "LifecycleTransition" ? { transitionEventData: { destinationStorageClass: record.storageClass } } : undefined;
  for (const target of config.targets) {
    if (!target.events.some((e) => e === `s3:${eventName}` || e === `s3:${family}:*`)) continue;
    if (!matchesRules(target.rules, record.key)) continue;
    const object: Record<string, unknown> = { key: eventKey(record.key) };
    if (!removed) Object.assign(object, { size: record.size, eTag: record.etag.replace(/"/g, "") });
    if (bucket.versioning) object.versionId = record.versionId;
    object.sequencer = sequencer;
    const event = {
      Records: [
        {
          eventVersion,
          eventSource: "aws:s3",
          awsRegion: bucket.region,
          eventTime: time,
          eventName,
          userIdentity: { principalId: origin.principalId },
          requestParameters: { sourceIPAddress: origin.sourceIp ?? "127.0.0.1" },
          responseElements: { "x-amz-request-id": origin.requestId, "x-amz-id-2": hostId() },
          s3: {
            s3SchemaVersion: "1.0",
            configurationId: target.id,
            bucket: { name: bucket.name, ownerIdentity: { principalId: bucket.account }, arn: `arn:aws:s3:::${bucket.name}` },
            object,
          },
          ...(restoreData ? { glacierEventData: { restoreEventData: restoreData } } : {}),
          ...(transitionData ? { lifecycleEventData: transitionData } : {}),
        },
      ],
    };
    const message = JSON.stringify(event);
    deliver(store, target.arn, async () => {
      const { account, region } = scopeOf(target.arn);
      if (target.kind === "Queue") await sendToQueue(store, target.arn, message);
      else if (target.kind === "Topic") await publish(store, target.arn, message);
      else await store.invoke("lambda", "Invoke", { FunctionName: target.arn, InvocationType: "Event", Payload: Buffer.from(message) }, { account, region });
    });
  }
  if (config.eventBridge) {
    const detail = {
      version: "0",
      bucket: { name: bucket.name },
      object: removed
        ? { key: record.key, sequencer, ...(bucket.versioning ? { "version-id": record.versionId } : {}) }
        : { key: record.key, size: record.size, etag: record.etag.replace(/"/g, ""), sequencer, ...(bucket.versioning ? { "version-id": record.versionId } : {}) },
      "request-id": origin.requestId,
      requester: bucket.account,
      "source-ip-address": origin.sourceIp ?? "127.0.0.1",
      ...EVENTBRIDGE_DETAILS[eventName]?.detail,
      ...(family === "ObjectRestore" && eventName !== "ObjectRestore:Delete" ? { "source-storage-class": record.storageClass } : {}),
      ...(restoreData ? { "restore-expiry-time": restoreData.lifecycleRestorationExpiryTime } : {}),
      ...(transitionData ? { "destination-storage-class": record.storageClass } : {}),
    };
    deliver(store, "EventBridge", () =>
      store.invoke("events", "PutEvents", {
        Entries: [{ Source: "aws.s3", DetailType: EVENTBRIDGE_DETAILS[eventName]?.type ?? family, Detail: JSON.stringify(detail), Resources: [`arn:aws:s3:::${bucket.name}`], EventBusName: "default" }],
      }, { account: bucket.account, region: bucket.region }),
    );
  }
}

// EventBridge's detail-type and the reason fields per event (S3 User Guide,
// "EventBridge event message structure").
const EVENTBRIDGE_DETAILS: Record<string, { type: string; detail?: Record<string, string> }> = {
  "ObjectCreated:Put": { type: "Object Created", detail: { reason: "PutObject" } },
  "ObjectCreated:Post": { type: "Object Created", detail: { reason: "POST Object" } },
  "ObjectCreated:Copy": { type: "Object Created", detail: { reason: "CopyObject" } },
  "ObjectCreated:CompleteMultipartUpload": { type: "Object Created", detail: { reason: "CompleteMultipartUpload" } },
  "ObjectRemoved:Delete": { type: "Object Deleted", detail: { reason: "DeleteObject", "deletion-type": "Permanently Deleted" } },
  "ObjectRemoved:DeleteMarkerCreated": { type: "Object Deleted", detail: { reason: "DeleteObject", "deletion-type": "Delete Marker Created" } },
  "LifecycleExpiration:Delete": { type: "Object Deleted", detail: { reason: "Lifecycle Expiration", "deletion-type": "Permanently Deleted" } },
  "LifecycleExpiration:DeleteMarkerCreated": { type: "Object Deleted", detail: { reason: "Lifecycle Expiration", "deletion-type": "Delete Marker Created" } },
  "ObjectTagging:Put": { type: "Object Tags Added" },
  "ObjectRestore:Post": { type: "Object Restore Initiated" },
  "ObjectRestore:Completed": { type: "Object Restore Completed" },
  "ObjectRestore:Delete": { type: "Object Restore Expired" },
  "ObjectAcl:Put": { type: "Object ACL Updated" },
  "ObjectTagging:Delete": { type: "Object Tags Deleted" },
  LifecycleTransition: { type: "Object Storage Class Changed" },
};

const VERSION_2_3 = new Set(["LifecycleExpiration", "LifecycleTransition", "IntelligentTiering", "ObjectAcl", "ObjectTagging"]);

function matchesRules(rules: NotificationTarget["rules"], key: string): boolean {
  return rules.every((r) => (r.Name === "Prefix" ? key.startsWith(r.Value) : key.endsWith(r.Value)));
}

/** Keys in event records are URL-encoded as HTML forms encode them ("a b" -> "a+b"), slashes kept. */
export function eventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");
}

function hostId(): string {
  return randomBytes(48).toString("base64");
}

async function sendToQueue(store: S3Store, arn: string, message: string): Promise<void> {
  const queue = sqsQueueOfArn(arn);
  if (!queue) throw new Error(`not a queue ARN: ${arn}`);
  await store.invoke("sqs", "SendMessage", { QueueUrl: queue.url, MessageBody: message }, queue);
}

function deliver(store: S3Store, destination: string, send: () => Promise<unknown>): void {
  send().catch((error: unknown) => store.logger.warn("S3 event notification not delivered", { destination, error: (error as Error).message }));
}
