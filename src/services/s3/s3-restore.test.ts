import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CopyObjectCommand, CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutBucketNotificationConfigurationCommand, PutObjectCommand,
  ListObjectVersionsCommand, RestoreObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";

// Archived objects (S3 User Guide, "Restoring an archived object"): GLACIER and
// DEEP_ARCHIVE bytes are out of reach until RestoreObject's copy is ready on the
// shared clock; the copy lasts the days asked for; each step is an event.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const sqs = server.client(SQSClient);
const Bucket = "archive-bucket";
await s3.send(new CreateBucketCommand({ Bucket }));
const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "restore-events" }));
const QueueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;

const records: any[] = [];

async function events(n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < 40 && names.length < n; i++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    for (const m of out.Messages ?? []) {
      const body = JSON.parse(m.Body!);
      names.push(body.Event ?? body.Records[0].eventName);
      if (body.Records) records.push(body.Records[0]);
      // Received messages come back once the clock passes their visibility timeout.
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    if (names.length < n) await new Promise((r) => setTimeout(r, 25));
  }
  return names;
}

test("an archived object is read only while a restored copy exists", async () => {
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ["s3:ObjectRestore:*"] }] },
  }));
  assert.deepEqual(await events(1), ["s3:TestEvent"]);
  await s3.send(new PutObjectCommand({ Bucket, Key: "cold", Body: "frozen bytes", StorageClass: "GLACIER" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "warm", Body: "x" }));
  const notReadable = { code: "InvalidObjectState", message: "The operation is not valid for the object's storage class", status: 403 };
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "cold" })), notReadable);
  await assertAwsError(s3.send(new CopyObjectCommand({ Bucket, Key: "copy", CopySource: `${Bucket}/cold` })), {
    code: "ObjectNotInActiveTierError",
    message: "The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.",
    status: 403,
  });
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "cold" }))).StorageClass, "GLACIER");
  await assertAwsError(s3.send(new RestoreObjectCommand({ Bucket, Key: "warm", RestoreRequest: { Days: 1 } })), {
    code: "InvalidObjectState", message: "Restore is not allowed for the object's current storage class", status: 403,
  });

  const started = await s3.send(new RestoreObjectCommand({ Bucket, Key: "cold", RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: "Expedited" } } }));
  assert.equal(started.$metadata.httpStatusCode, 202, "202 Accepted for a restore started");
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "cold" }))).Restore, 'ongoing-request="true"');
  await assertAwsError(s3.send(new RestoreObjectCommand({ Bucket, Key: "cold", RestoreRequest: { Days: 2 } })), {
    code: "RestoreAlreadyInProgress", message: "Object restore is already in progress", status: 409,
  });
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "cold" })), notReadable);

  // An expedited retrieval is ready within minutes; the copy lasts 2 days, to midnight UTC.
  await server.advanceClock(10 * 60);
  const ready = await s3.send(new HeadObjectCommand({ Bucket, Key: "cold" }));
  const expiry = /^ongoing-request="false", expiry-date="(.+)"$/.exec(ready.Restore ?? "");
  assert.ok(expiry, ready.Restore);
  assert.match(expiry[1], /00:00:00 GMT$/);
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: "cold" }))).Body!.transformToString(), "frozen bytes");
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "cold", OptionalObjectAttributes: ["RestoreStatus"] }));
  assert.deepEqual(listed.Contents?.[0].RestoreStatus, { IsRestoreInProgress: false, RestoreExpiryDate: new Date(Date.parse(expiry[1])) });
  assert.equal((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "cold" }))).Contents?.[0].RestoreStatus, undefined);
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: "cold", OptionalObjectAttributes: ["RestoreStatus"] }));
  assert.deepEqual(versions.Versions?.[0].RestoreStatus, { IsRestoreInProgress: false, RestoreExpiryDate: new Date(Date.parse(expiry[1])) });
  assert.equal((await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: "cold" }))).Versions?.[0].RestoreStatus, undefined);
  await s3.send(new CopyObjectCommand({ Bucket, Key: "copy", CopySource: `${Bucket}/cold`, StorageClass: "STANDARD" }));
  const extended = await s3.send(new RestoreObjectCommand({ Bucket, Key: "cold", RestoreRequest: { Days: 2 } }));
  assert.equal(extended.$metadata.httpStatusCode, 200, "200 OK for a copy restored already");

  await server.advanceClock(3 * 86400);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "cold" }))).Restore, undefined);
  await assertAwsError(s3.send(new GetObjectCommand({ Bucket, Key: "cold" })), notReadable);
  assert.deepEqual(await events(3), ["ObjectRestore:Post", "ObjectRestore:Completed", "ObjectRestore:Delete"]);
  assert.deepEqual(records[1].glacierEventData, {
    restoreEventData: { lifecycleRestorationExpiryTime: new Date(Date.parse(expiry[1])).toISOString(), lifecycleRestoreStorageClass: "GLACIER" },
  });
  assert.equal(records[0].s3.object.key, "cold");
});
