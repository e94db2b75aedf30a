import assert from "node:assert/strict";
import { test } from "node:test";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutBucketCorsCommand, PutBucketNotificationConfigurationCommand, S3Client,
} from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { clientConfig, python, useTestServer } from "../../../test/helpers.js";

// Browser form uploads (S3 API reference, "POST Object"; "Creating a POST policy").

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const Bucket = "form-uploads";
await s3.send(new CreateBucketCommand({ Bucket }));
const iam = server.client(IAMClient);
await iam.send(new CreateUserCommand({ UserName: "browser-signer" }));
const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "browser-signer" }));

/** boto3's generate_presigned_post, signed with the IAM user's keys; the form posted with requests. */
async function presignedPost(options: { key: string; fields?: Record<string, string>; conditions?: unknown[]; extra?: Record<string, string>; body?: string; secret?: string }) {
  return python(server.endpoint, [
    "import requests",
    `s = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='${AccessKey!.AccessKeyId}', aws_secret_access_key=${JSON.stringify(options.secret ?? AccessKey!.SecretAccessKey)})`,
    `p = s.generate_presigned_post('${Bucket}', ${JSON.stringify(options.key)}, Fields=${JSON.stringify(options.fields ?? {})}, Conditions=${JSON.stringify(options.conditions ?? [])}, ExpiresIn=600)`,
    `p['fields'].update(${JSON.stringify(options.extra ?? {})})`,
    `r = requests.post(p['url'], data=p['fields'], files={'file': ('photo.txt', ${JSON.stringify(options.body ?? "form body")})}, allow_redirects=False)`,
    "print(json.dumps({'status': r.status_code, 'headers': dict((k.lower(), v) for k, v in r.headers.items()), 'body': r.text}))",
  ].join("\n"));
}

test("boto3's presigned POST uploads the file with the form's headers and metadata", async () => {
  const out = await presignedPost({
    key: "uploads/${filename}",
    fields: { "Content-Type": "text/plain", "x-amz-meta-owner": "ana", success_action_status: "201" },
    conditions: [{ "Content-Type": "text/plain" }, { "x-amz-meta-owner": "ana" }, { success_action_status: "201" }, ["content-length-range", 1, 100]],
  });
  assert.equal(out.status, 201, out.body);
  assert.match(out.body, /<PostResponse><Location>http:\/\/[^<]+\/form-uploads\/uploads\/photo.txt<\/Location><Bucket>form-uploads<\/Bucket><Key>uploads\/photo.txt<\/Key><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><\/PostResponse>/);
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "uploads/photo.txt" }));
  assert.equal(await got.Body!.transformToString(), "form body");
  assert.equal(got.ContentType, "text/plain");
  assert.deepEqual(got.Metadata, { owner: "ana" });
  assert.equal(got.ETag, out.headers["etag"]);
});

test("the policy is enforced: conditions, extra fields, size range, signature", async () => {
  const failed = await presignedPost({ key: "a.txt", conditions: [["starts-with", "$key", "only/"]] });
  assert.equal(failed.status, 403);
  assert.match(failed.body, /<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy Condition failed: \[&quot;starts-with&quot;, &quot;\$key&quot;, &quot;only\/&quot;\]<\/Message>/);
  const extra = await presignedPost({ key: "a.txt", extra: { "x-amz-meta-sneaky": "1" } });
  assert.equal(extra.status, 403);
  assert.match(extra.body, /Invalid according to Policy: Extra input fields: x-amz-meta-sneaky/);
  const large = await presignedPost({ key: "a.txt", conditions: [["content-length-range", 1, 4]] });
  assert.equal(large.status, 400);
  assert.match(large.body, /<Code>EntityTooLarge<\/Code>/);
  const forged = await presignedPost({ key: "a.txt", secret: "not-the-secret" });
  assert.equal(forged.status, 403);
  assert.match(forged.body, /<Code>SignatureDoesNotMatch<\/Code>/);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket, Key: "a.txt" })), { name: "NotFound" });
  // The default answer: 204 with the object's ETag and Location.
  const ok = await presignedPost({ key: "a.txt" });
  assert.equal(ok.status, 204);
  assert.equal(ok.body, "");
  assert.match(ok.headers["location"], /\/form-uploads\/a\.txt$/);
});

test("an unsigned form: redirect, tagging, errors for a missing key or file, and the ObjectCreated:Post event", async () => {
  const sqs = server.client(SQSClient);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "form-events" }));
  const QueueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ["s3:ObjectCreated:Post"] }] } }));

  const form = (fields: Record<string, string>, file = true) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    if (file) data.append("file", new Blob(["from a browser"]), "b.txt");
    return fetch(`${server.endpoint}/${Bucket}`, { method: "POST", body: data, redirect: "manual" });
  };
  const redirected = await form({
    key: "browser/${filename}",
    tagging: "<Tagging><TagSet><Tag><Key>source</Key><Value>form</Value></Tag></TagSet></Tagging>",
    success_action_redirect: "https://example.com/done?x=1",
  });
  assert.equal(redirected.status, 303);
  const location = new URL(redirected.headers.get("location")!);
  assert.equal(location.origin + location.pathname, "https://example.com/done");
  assert.deepEqual([location.searchParams.get("x"), location.searchParams.get("bucket"), location.searchParams.get("key")], ["1", Bucket, "browser/b.txt"]);
  assert.match(location.searchParams.get("etag")!, /^"[0-9a-f]{32}"$/);
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: "browser/b.txt" }))).TagSet, [{ Key: "source", Value: "form" }]);

  // The bucket's CORS rules answer a page's script that posted the form.
  await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["https://app.example.com"], AllowedMethods: ["POST"] }] } }));
  const data = new FormData();
  data.append("key", "cors.txt");
  data.append("file", new Blob(["x"]), "cors.txt");
  const cross = await fetch(`${server.endpoint}/${Bucket}`, { method: "POST", body: data, headers: { origin: "https://app.example.com" } });
  assert.equal(cross.status, 204);
  assert.equal(cross.headers.get("access-control-allow-origin"), "https://app.example.com");

  const noKey = await form({ "Content-Type": "text/plain" });
  assert.equal(noKey.status, 400);
  assert.match(await noKey.text(), /<Code>InvalidArgument<\/Code><Message>Bucket POST must contain a field named &apos;key&apos;.  If it is specified, please check the order of the fields.<\/Message>/);
  const tooLong = await form({ key: "k".repeat(1025) });
  assert.equal(tooLong.status, 400);
  assert.match(await tooLong.text(), /<Code>KeyTooLongError<\/Code><Message>Your key is too long.<\/Message>/);
  const noFile = await form({ key: "x" }, false);
  assert.equal(noFile.status, 400);
  assert.match(await noFile.text(), /<Message>POST requires exactly one file upload per request.<\/Message>/);

  const records: any[] = [];
  for (let i = 0; i < 20 && records.length < 1; i++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    for (const m of out.Messages ?? []) records.push(...(JSON.parse(m.Body!).Records ?? []));
  }
  assert.equal(records[0].eventName, "ObjectCreated:Post");
  assert.equal(records[0].s3.object.key, "browser/b.txt");
});
