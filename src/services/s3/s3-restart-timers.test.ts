import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  CreateBucketCommand, HeadObjectCommand, PutBucketLifecycleConfigurationCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand,
  RestoreObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Terrarium } from "../../index.js";
import { clientConfig, startTestServer } from "../../../test/helpers.js";

// S3's clock timers outlive a restart with --data-dir: a restore in progress
// completes, a restored copy expires, and lifecycle rules keep running, each with
// its event, though no request reaches S3 after the restart.

const dataDir = mkdtempSync(join(tmpdir(), "terrarium-s3-timers-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const Bucket = "timers-bucket";
const DAY = 86_400;

function clients(server: Terrarium) {
  return { s3: new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true }), sqs: new SQSClient(clientConfig(server.endpoint)) };
}

async function advance(server: Terrarium, seconds: number): Promise<void> {
  const res = await fetch(`${server.endpoint}/_terrarium/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: seconds }) });
  assert.equal(res.status, 200);
}

/** Event names with their keys ("ObjectRestore:Post cold-a"), in arrival order. */
async function events(sqs: SQSClient, QueueUrl: string, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < 60 && names.length < n; i++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    for (const m of out.Messages ?? []) {
      const body = JSON.parse(m.Body!);
      names.push(body.Records ? `${body.Records[0].eventName} ${body.Records[0].s3.object.key}` : body.Event);
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    if (names.length < n) await new Promise((r) => setTimeout(r, 25));
  }
  return names;
}

test("restores and lifecycle rules keep going after a restart, before any request reaches S3", async () => {
  const first = await startTestServer({ dataDir });
  const one = clients(first);
  const { QueueUrl } = await one.sqs.send(new CreateQueueCommand({ QueueName: "timer-events" }));
  const QueueArn = (await one.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  await one.s3.send(new CreateBucketCommand({ Bucket }));
  await one.s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket,
    NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ["s3:ObjectRestore:*", "s3:LifecycleExpiration:*"] }] },
  }));
  await one.s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket, LifecycleConfiguration: { Rules: [{ ID: "tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 1 } }] },
  }));
  for (const Key of ["cold-a", "cold-b"]) await one.s3.send(new PutObjectCommand({ Bucket, Key, Body: "frozen", StorageClass: "GLACIER" }));
  await one.s3.send(new PutObjectCommand({ Bucket, Key: "tmp/scratch", Body: "x" }));
  // b is restored before the restart, a is still being restored when it comes.
  await one.s3.send(new RestoreObjectCommand({ Bucket, Key: "cold-b", RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: "Expedited" } } }));
  await advance(first, 600);
  await one.s3.send(new RestoreObjectCommand({ Bucket, Key: "cold-a", RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: "Expedited" } } }));
  assert.deepEqual(await events(one.sqs, QueueUrl!, 4), ["s3:TestEvent", "ObjectRestore:Post cold-b", "ObjectRestore:Completed cold-b", "ObjectRestore:Post cold-a"]);
  one.s3.destroy();
  one.sqs.destroy();
  await first.stop();

  const second = await startTestServer({ dataDir });
  try {
    // The clock's offset is not kept across a restart: this one starts 10 minutes behind the first.
    await advance(second, 1200);
    const two = clients(second);
    assert.deepEqual(await events(two.sqs, QueueUrl!, 1), ["ObjectRestore:Completed cold-a"]);
    // Both copies expire within 3 days; the lifecycle rule expires tmp/ meanwhile.
    await advance(second, 3 * DAY);
    assert.deepEqual((await events(two.sqs, QueueUrl!, 3)).sort(), [
      "LifecycleExpiration:Delete tmp/scratch", "ObjectRestore:Delete cold-a", "ObjectRestore:Delete cold-b",
    ]);
    for (const Key of ["cold-a", "cold-b"]) assert.equal((await two.s3.send(new HeadObjectCommand({ Bucket, Key }))).Restore, undefined);
    await assert.rejects(two.s3.send(new HeadObjectCommand({ Bucket, Key: "tmp/scratch" })), { name: "NotFound" });
    two.s3.destroy();
    two.sqs.destroy();
  } finally {
    await second.stop();
  }
});
