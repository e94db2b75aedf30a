import assert from "node:assert/strict";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { clientConfig, useTestServer } from "../../../test/helpers.js";

// Event notifications to Lambda, SNS and EventBridge (SQS: s3-notifications.test.ts).
// Every destination ends in one Lambda function that records the event it got as
// an object of another bucket, where the test reads it.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const lambda = server.client(LambdaClient);
const NODE_MODULES = new URL("../../../node_modules", import.meta.url).pathname;
const RECORDINGS = "event-recordings";

await s3.send(new CreateBucketCommand({ Bucket: RECORDINGS }));
const { FunctionArn } = await lambda.send(new CreateFunctionCommand({
  FunctionName: "event-recorder", Runtime: "nodejs20.x", Role: "arn:aws:iam::000000000000:role/recorder", Handler: "index.handler", Timeout: 30,
  Environment: { Variables: { NODE_PATH: NODE_MODULES, RECORDINGS } },
  Code: {
    ZipFile: zipSync({
      "index.js": strToU8(`const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
        const s3 = new S3Client({ forcePathStyle: true });
        exports.handler = async (event) => {
          const key = "rec/" + Date.now() + "-" + Math.random().toString(36).slice(2) + ".json";
          await s3.send(new PutObjectCommand({ Bucket: process.env.RECORDINGS, Key: key, Body: JSON.stringify(event) }));
        };`),
    }),
  },
}));
await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: "event-recorder" });

const seen = new Set<string>();

/** The next recorded event that `match` accepts (polled: deliveries are asynchronous). */
async function recorded(match: (event: any) => boolean): Promise<any> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: RECORDINGS, Prefix: "rec/" }));
    for (const { Key } of listing.Contents ?? []) {
      if (seen.has(Key!)) continue;
      const event = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: RECORDINGS, Key }))).Body!.transformToString());
      if (match(event)) {
        seen.add(Key!);
        return event;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no matching event was recorded");
}

test("Lambda destination: the function is invoked with the S3 event record", async () => {
  const Bucket = "to-lambda";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket,
    NotificationConfiguration: {
      LambdaFunctionConfigurations: [{ Id: "fn", LambdaFunctionArn: FunctionArn, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "suffix", Value: ".csv" }] } } }],
    },
  }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "skipped.txt", Body: "x" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "data/a b.csv", Body: "1,2" }));
  const event = await recorded((e) => e.Records?.[0]?.s3?.bucket?.name === Bucket);
  const [record] = event.Records;
  assert.equal(record.eventSource, "aws:s3");
  assert.equal(record.eventName, "ObjectCreated:Put");
  assert.equal(record.s3.configurationId, "fn");
  assert.equal(record.s3.object.key, "data/a+b.csv");
  assert.equal(record.s3.object.size, 3);
});

test("SNS destination: the topic publishes the event, subject 'Amazon S3 Notification'", async () => {
  const sns = server.client(SNSClient);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "s3-events" }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "lambda", Endpoint: FunctionArn }));
  const Bucket = "to-sns";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket, NotificationConfiguration: { TopicConfigurations: [{ TopicArn, Events: ["s3:ObjectRemoved:*"] }] },
  }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "gone", Body: "x" }));
  await s3.send(new DeleteObjectCommand({ Bucket, Key: "gone" }));
  // The topic gets the s3:TestEvent first, as a queue does.
  const test = await recorded((e) => e.Records?.[0]?.EventSource === "aws:sns" && JSON.parse(e.Records[0].Sns.Message).Event === "s3:TestEvent");
  assert.equal(JSON.parse(test.Records[0].Sns.Message).Bucket, Bucket);
  const event = await recorded((e) => e.Records?.[0]?.EventSource === "aws:sns" && JSON.parse(e.Records[0].Sns.Message).Records !== undefined);
  const notification = event.Records[0].Sns;
  assert.equal(notification.TopicArn, TopicArn);
  assert.equal(notification.Subject, "Amazon S3 Notification");
  const [record] = JSON.parse(notification.Message).Records;
  assert.equal(record.eventName, "ObjectRemoved:Delete");
  assert.equal(record.s3.bucket.name, Bucket);
  assert.equal(record.s3.object.key, "gone");
});

test("EventBridge destination: every event goes to the default bus as 'Object Created'", async () => {
  const events = server.client(EventBridgeClient);
  const Bucket = "to-eventbridge";
  await events.send(new PutRuleCommand({
    Name: "s3-created", EventPattern: JSON.stringify({ source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: [Bucket] } } }),
  }));
  await events.send(new PutTargetsCommand({ Rule: "s3-created", Targets: [{ Id: "recorder", Arn: FunctionArn }] }));
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "report.pdf", Body: "pdf" }));
  const event = await recorded((e) => e.source === "aws.s3");
  assert.equal(event["detail-type"], "Object Created");
  assert.deepEqual(event.resources, [`arn:aws:s3:::${Bucket}`]);
  assert.equal(event.detail.bucket.name, Bucket);
  assert.equal(event.detail.object.key, "report.pdf");
  assert.equal(event.detail.object.size, 3);
  assert.equal(event.detail.reason, "PutObject");
});
