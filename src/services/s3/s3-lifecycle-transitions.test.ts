import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateBucketCommand, GetBucketLifecycleConfigurationCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client,
  type LifecycleRule,
} from "@aws-sdk/client-s3";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";

// Lifecycle transitions on the shared clock (S3 User Guide, "Transitioning objects
// using Amazon S3 Lifecycle"): the storage class really changes, HEAD and listings
// show it, an archived object can no longer be read, and each move is an
// s3:LifecycleTransition event.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const sqs = server.client(SQSClient);
const DAY = 86_400;
const big = Buffer.alloc(200 * 1024, 1);

async function queue(name: string): Promise<{ QueueUrl: string; QueueArn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const QueueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  return { QueueUrl: QueueUrl!, QueueArn };
}

async function records(QueueUrl: string, n: number): Promise<any[]> {
  const found: any[] = [];
  for (let i = 0; i < 40 && found.length < n; i++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    for (const m of out.Messages ?? []) {
      const body = JSON.parse(m.Body!);
      if (body.Records) found.push(body.Records[0]);
      else if (body["detail-type"]) found.push(body);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    if (found.length < n) await new Promise((r) => setTimeout(r, 25));
  }
  return found;
}

test("transition rules are checked as S3 checks them", async () => {
  const Bucket = "transition-checks";
  await s3.send(new CreateBucketCommand({ Bucket }));
  const put = (rule: Partial<LifecycleRule>) =>
    s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: "r", Status: "Enabled", Filter: { Prefix: "logs/" }, ...rule }] } }));
  const refused: [Partial<LifecycleRule>, string, string][] = [
    [{ Transitions: [{ Days: 29, StorageClass: "STANDARD_IA" }] }, "InvalidArgument", "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'"],
    [{ Transitions: [{ Days: 1, StorageClass: "ONEZONE_IA" }] }, "InvalidArgument", "'Days' in Transition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA'"],
    [{ NoncurrentVersionTransitions: [{ NoncurrentDays: 10, StorageClass: "STANDARD_IA" }] }, "InvalidArgument",
      "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'"],
    [{ Transitions: [{ Days: 30, StorageClass: "GLACIER" }], Expiration: { Days: 30 } }, "InvalidArgument",
      "'Days' in the Expiration action for filter '(prefix=logs/)' must be greater than 'Days' in the Transition action"],
    [{ Transitions: [{ Days: 90, StorageClass: "STANDARD_IA" }, { Days: 60, StorageClass: "GLACIER" }] }, "InvalidArgument",
      "'Days' in the Transition action for StorageClass 'GLACIER' for filter '(prefix=logs/)' must be greater than 'Days' in the Transition action for StorageClass 'STANDARD_IA' for filter '(prefix=logs/)'"],
    [{ Transitions: [{ Days: 30, StorageClass: "GLACIER" }, { Days: 60, StorageClass: "GLACIER" }] }, "InvalidRequest",
      "'StorageClass' must be different for 'Transition' actions in same 'Rule' with filter '(prefix=logs/)'"],
    [{ Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }, { Date: new Date("2030-01-01T00:00:00Z"), StorageClass: "GLACIER" }] }, "InvalidRequest",
      "Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for filter '(prefix=logs/)'"],
    [{ NoncurrentVersionTransitions: [{ NoncurrentDays: 5, StorageClass: "GLACIER" }], NoncurrentVersionExpiration: { NoncurrentDays: 5 } }, "InvalidArgument",
      "'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '(prefix=logs/)' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action"],
  ];
  for (const [rule, code, message] of refused) await assertAwsError(put(rule), { code, message, status: 400 });

  // Days 0 is fine for the Glacier classes; dates come back as dates.
  const Date0 = new Date("2031-06-01T00:00:00Z");
  await put({ Transitions: [{ Days: 0, StorageClass: "GLACIER_IR" }], NoncurrentVersionTransitions: [{ NoncurrentDays: 0, StorageClass: "DEEP_ARCHIVE" }] });
  const out = await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket, TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
    LifecycleConfiguration: { Rules: [{ ID: "d", Status: "Enabled", Filter: { Prefix: "" }, Transitions: [{ Date: Date0, StorageClass: "GLACIER" }] }] },
  }));
  assert.equal(out.TransitionDefaultMinimumObjectSize, "varies_by_storage_class");
  const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
  assert.deepEqual(got.Rules?.[0].Transitions, [{ Date: Date0, StorageClass: "GLACIER" }]);
  assert.equal(got.TransitionDefaultMinimumObjectSize, "varies_by_storage_class");

  // By date; under 128 KB an object still goes to GLACIER with varies_by_storage_class.
  const soon = new Date(Math.ceil(((await server.clockNow()) + 2 * DAY * 1000) / (DAY * 1000)) * DAY * 1000);
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket, TransitionDefaultMinimumObjectSize: "varies_by_storage_class",
    LifecycleConfiguration: { Rules: [{ ID: "d", Status: "Enabled", Filter: { Prefix: "" }, Transitions: [{ Date: soon, StorageClass: "GLACIER" }] }] },
  }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "small", Body: "tiny" }));
  await server.advanceClock(DAY);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "small" }))).StorageClass, undefined);
  await server.advanceClock(2 * DAY);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "small" }))).StorageClass, "GLACIER");
});

test("current objects move down the storage classes on the clock, with an s3:LifecycleTransition event each time", async () => {
  const Bucket = "transition-current";
  await s3.send(new CreateBucketCommand({ Bucket }));
  const { QueueUrl, QueueArn } = await queue("transition-events");
  const bus = await queue("transition-bus");
  const events = server.client(EventBridgeClient);
  await events.send(new PutRuleCommand({ Name: "s3-moves", EventPattern: JSON.stringify({ source: ["aws.s3"], "detail-type": ["Object Storage Class Changed"] }) }));
  await events.send(new PutTargetsCommand({ Rule: "s3-moves", Targets: [{ Id: "q", Arn: bus.QueueArn }] }));
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket,
    NotificationConfiguration: { QueueConfigurations: [{ Id: "moves", QueueArn, Events: ["s3:LifecycleTransition"] }], EventBridgeConfiguration: {} },
  }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket,
    LifecycleConfiguration: {
      Rules: [{ ID: "age", Status: "Enabled", Filter: { Prefix: "cold/" }, Transitions: [{ Days: 30, StorageClass: "STANDARD_IA" }, { Days: 60, StorageClass: "GLACIER" }] }],
    },
  }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "cold/big", Body: big }));
  // Under 128 KB nothing moves by default (TransitionDefaultMinimumObjectSize).
  await s3.send(new PutObjectCommand({ Bucket, Key: "cold/small", Body: "tiny" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "warm/big", Body: big }));

  await server.advanceClock(29 * DAY);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "cold/big" }))).StorageClass, undefined, "STANDARD is not written");
  await server.advanceClock(2 * DAY);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "cold/big" }))).StorageClass, "STANDARD_IA");
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "cold/small" }))).StorageClass, undefined);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "warm/big" }))).StorageClass, undefined);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(listed.Contents?.map((o) => [o.Key, o.StorageClass]), [["cold/big", "STANDARD_IA"], ["cold/small", "STANDARD"], ["warm/big", "STANDARD"]]);
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: "cold/big" }))).Body!.transformToString("base64"), big.toString("base64"));
  // Read now: a queue keeps messages 4 days by default.
  const moved = await records(QueueUrl, 1);
  // EventBridge gets it as "Object Storage Class Changed" (S3 User Guide, "Using EventBridge").
  const [changed] = await records(bus.QueueUrl, 1);
  assert.equal(changed.source, "aws.s3");
  assert.equal(changed.detail["destination-storage-class"], "STANDARD_IA");
  assert.deepEqual([changed.detail.object.key, changed.detail.object.size], ["cold/big", big.length]);

  await server.advanceClock(30 * DAY);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "cold/big" }));
  assert.equal(head.StorageClass, "GLACIER");
  assert.equal(head.ContentLength, big.length);
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "cold/big" })), {
    code: "InvalidObjectState", message: "The operation is not valid for the object's storage class", status: 403,
  });

  moved.push(...(await records(QueueUrl, 1)));
  assert.deepEqual(moved.map((r) => [r.eventName, r.eventVersion, r.lifecycleEventData]), [
    ["LifecycleTransition", "2.3", { transitionEventData: { destinationStorageClass: "STANDARD_IA" } }],
    ["LifecycleTransition", "2.3", { transitionEventData: { destinationStorageClass: "GLACIER" } }],
  ]);
  assert.equal(moved[0].s3.configurationId, "moves");
  assert.deepEqual(moved[0].s3.object.key, "cold/big");
  assert.equal(moved[0].s3.object.size, big.length);
  assert.equal(moved[0].userIdentity.principalId, "s3.amazonaws.com");
});

test("noncurrent versions move after NoncurrentDays, newest ones kept by NewerNoncurrentVersions", async () => {
  const Bucket = "transition-noncurrent";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  // A size filter of its own lets small objects move (it overrides the 128 KB default).
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket,
    LifecycleConfiguration: {
      Rules: [{
        ID: "old", Status: "Enabled", Filter: { ObjectSizeGreaterThan: 0 },
        NoncurrentVersionTransitions: [{ NoncurrentDays: 1, StorageClass: "DEEP_ARCHIVE", NewerNoncurrentVersions: 1 }],
      }],
    },
  }));
  for (const body of ["v1", "v2", "v3"]) await s3.send(new PutObjectCommand({ Bucket, Key: "doc", Body: body }));
  await server.advanceClock(3 * DAY);
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: "doc" }));
  // Newest first: current v3, kept v2, moved v1.
  assert.deepEqual(versions.Versions?.map((v) => v.StorageClass), ["STANDARD", "STANDARD", "DEEP_ARCHIVE"]);
  const oldest = versions.Versions![2].VersionId;
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "doc", VersionId: oldest }))).StorageClass, "DEEP_ARCHIVE");
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: "doc" }))).Body!.transformToString(), "v3");
});
