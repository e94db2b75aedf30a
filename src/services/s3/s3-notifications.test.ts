import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateBucketCommand, DeleteObjectCommand, GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand,
  PutBucketOwnershipControlsCommand, PutObjectAclCommand, PutObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";

// Event notifications to an SQS queue: validation, the s3:TestEvent, filters and
// the records' shape (S3 User Guide, "Event message structure").

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const sqs = server.client(SQSClient);
const Bucket = "notified-bucket";
await s3.send(new CreateBucketCommand({ Bucket }));
const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "s3-events" }));
const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
const QueueArn = Attributes!.QueueArn!;

async function receive(n: number): Promise<any[]> {
  const bodies: any[] = [];
  for (let i = 0; i < 20 && bodies.length < n; i++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    for (const m of out.Messages ?? []) bodies.push(JSON.parse(m.Body!));
    if (bodies.length < n) await new Promise((r) => setTimeout(r, 50));
  }
  return bodies;
}

test("a destination that does not exist is refused", async () => {
  await assertAwsError(
    s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: "arn:aws:sqs:us-east-1:000000000000:missing", Events: ["s3:ObjectCreated:*"] }] },
    })),
    { code: "InvalidArgument", message: "Unable to validate the following destination configurations", status: 400 },
  );
  await assertAwsError(
    s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ["s3:Nothing:*" as any] }] },
    })),
    { code: "InvalidArgument", message: "The event is not supported for notifications" },
  );
  // Two configurations that would both get one object's event (S3 User Guide,
  // "Examples of valid and invalid configurations"); apart by suffix, they may share it.
  const overlap = { code: "InvalidArgument", message: "Configurations overlap. Configurations on the same bucket cannot share a common event type.", status: 400 };
  const suffix = (Value: string) => ({ Key: { FilterRules: [{ Name: "suffix" as const, Value }] } });
  const prefix = (Value: string) => ({ Key: { FilterRules: [{ Name: "prefix" as const, Value }] } });
  for (const [a, b] of [
    [{ Events: ["s3:ObjectCreated:*"] }, { Events: ["s3:ObjectCreated:Put"] }],
    [{ Events: ["s3:ObjectCreated:Put"], Filter: prefix("images/") }, { Events: ["s3:ObjectCreated:Put"], Filter: prefix("images/2024/") }],
    [{ Events: ["s3:ObjectRemoved:*"], Filter: suffix(".jpg") }, { Events: ["s3:ObjectRemoved:Delete"] }],
  ] as const) {
    await assertAwsError(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn, ...a }, { QueueArn, ...b }] as never } })),
      overlap,
    );
  }
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket,
    NotificationConfiguration: {
      QueueConfigurations: [
        { QueueArn, Events: ["s3:ObjectCreated:*"], Filter: suffix(".jpg") },
        { QueueArn, Events: ["s3:ObjectCreated:*"], Filter: suffix(".png") },
        { QueueArn, Events: ["s3:ObjectRemoved:*"], Filter: prefix("a/") },
        { QueueArn, Events: ["s3:ObjectRemoved:*"], Filter: prefix("b/") },
      ],
    },
  }));
  assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))).QueueConfigurations?.length, 4);
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {} }));
  await receive(1); // the TestEvent of the configuration just set
});

test("the configuration sends a TestEvent, then records for matching objects", async () => {
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket,
    NotificationConfiguration: {
      QueueConfigurations: [{
        Id: "uploads", QueueArn, Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
        Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "in/" }, { Name: "suffix", Value: ".txt" }] } },
      }],
    },
  }));
  const [testEvent] = await receive(1);
  assert.equal(testEvent.Event, "s3:TestEvent");
  assert.equal(testEvent.Service, "Amazon S3");
  assert.equal(testEvent.Bucket, Bucket);
  const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
  assert.deepEqual(config.QueueConfigurations, [{
    Id: "uploads", QueueArn, Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
    Filter: { Key: { FilterRules: [{ Name: "Prefix", Value: "in/" }, { Name: "Suffix", Value: ".txt" }] } },
  }]);

  await s3.send(new PutObjectCommand({ Bucket, Key: "out/skipped.txt", Body: "no" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "in/skipped.bin", Body: "no" }));
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "in/my file.txt", Body: "hello" }));
  await s3.send(new DeleteObjectCommand({ Bucket, Key: "in/my file.txt" }));
  const events = await receive(2);
  assert.equal(events.length, 2);
  const [created, removed] = events.map((e) => e.Records[0]);
  assert.equal(created.eventVersion, "2.1");
  assert.equal(created.eventSource, "aws:s3");
  assert.equal(created.awsRegion, "us-east-1");
  assert.equal(created.eventName, "ObjectCreated:Put");
  assert.match(created.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(created.userIdentity.principalId);
  assert.ok(created.requestParameters.sourceIPAddress);
  assert.ok(created.responseElements["x-amz-request-id"]);
  assert.ok(created.responseElements["x-amz-id-2"]);
  assert.equal(created.s3.s3SchemaVersion, "1.0");
  assert.equal(created.s3.configurationId, "uploads");
  assert.deepEqual(created.s3.bucket.name, Bucket);
  assert.equal(created.s3.bucket.arn, `arn:aws:s3:::${Bucket}`);
  assert.equal(created.s3.object.key, "in/my+file.txt");
  assert.equal(created.s3.object.size, 5);
  assert.equal(created.s3.object.eTag, put.ETag!.replace(/"/g, ""));
  assert.match(created.s3.object.sequencer, /^[0-9A-F]+$/);
  assert.equal(removed.eventName, "ObjectRemoved:Delete");
  assert.equal(removed.s3.object.size, undefined);
  assert.ok(removed.s3.object.sequencer > created.s3.object.sequencer);
});

test("s3:ObjectAcl:Put comes when an object's ACL changes, not when it stays the same", async () => {
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] } }));
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket, NotificationConfiguration: { QueueConfigurations: [{ Id: "acl", QueueArn, Events: ["s3:ObjectAcl:Put"] }] },
  }));
  assert.equal((await receive(1))[0].Event, "s3:TestEvent");
  await s3.send(new PutObjectCommand({ Bucket, Key: "acl/object", Body: "x" }));
  await s3.send(new PutObjectAclCommand({ Bucket, Key: "acl/object", ACL: "private" }));
  await s3.send(new PutObjectAclCommand({ Bucket, Key: "acl/object", ACL: "public-read" }));
  await s3.send(new PutObjectAclCommand({ Bucket, Key: "acl/object", ACL: "public-read" }));
  await new Promise((r) => setTimeout(r, 100));
  const events = await receive(2);
  // ACL, tagging and lifecycle events are of the structure's version 2.3 (S3 User Guide, "Event message structure").
  assert.deepEqual(events.map((e) => [e.Records[0].eventName, e.Records[0].eventVersion, e.Records[0].s3.object.key]), [["ObjectAcl:Put", "2.3", "acl/object"]]);
});
