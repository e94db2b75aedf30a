import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketLifecycleCommand, GetBucketLifecycleConfigurationCommand, HeadObjectCommand,
  ListMultipartUploadsCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand,
  PutObjectCommand, S3Client, type LifecycleRule, type LifecycleRuleFilter,
} from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";

// Lifecycle rules on the shared clock: tests move it with POST /_terrarium/clock.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const DAY = 86_400;

test("lifecycle configuration: validation, Get, Delete", async () => {
  const Bucket = "lifecycle-config";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await assertAwsError(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), {
    code: "NoSuchLifecycleConfiguration", message: "The lifecycle configuration does not exist", status: 404,
  });
  await assertAwsError(
    s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: "r", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 0 } }] } })),
    { code: "InvalidArgument", message: "'Days' for Expiration action must be a positive integer" },
  );
  await assertAwsError(
    s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: "r", Status: "Enabled", Filter: { Prefix: "" } }] } })),
    { code: "InvalidRequest", message: "At least one action needs to be specified in a rule" },
  );
  // Delete markers and incomplete uploads have no tags or size to filter on.
  const refused = [
    [{ Tag: { Key: "k", Value: "v" } }, { Expiration: { ExpiredObjectDeleteMarker: true } }, "ExpiredObjectDeleteMarker cannot be specified with Tags."],
    [{ ObjectSizeGreaterThan: 10 }, { Expiration: { ExpiredObjectDeleteMarker: true } }, "ExpiredObjectDeleteMarker cannot be specified with Object Size."],
    [{ And: { Prefix: "a/", Tags: [{ Key: "k", Value: "v" }] } }, { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }, "AbortIncompleteMultipartUpload cannot be specified with Tags."],
    [{ ObjectSizeLessThan: 10 }, { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }, "AbortIncompleteMultipartUpload cannot be specified with Object Size."],
  ] as [LifecycleRuleFilter, Partial<LifecycleRule>, string][];
  for (const [Filter, action, message] of refused) {
    await assertAwsError(
      s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: "r", Status: "Enabled", Filter, ...action }] } })),
      { code: "InvalidRequest", message, status: 400 },
    );
  }
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: "r", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 3 } }] } }));
  const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
  assert.deepEqual(got.Rules, [{ ID: "r", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 3 } }]);
  await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
  await assertAwsError(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), { code: "NoSuchLifecycleConfiguration" });
});

test("expiration by days with prefix, tag and size filters; x-amz-expiration", async () => {
  const Bucket = "lifecycle-expiry";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket,
    LifecycleConfiguration: {
      Rules: [
        { ID: "logs", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 2 } },
        { ID: "tagged-big", Status: "Enabled", Filter: { And: { Prefix: "data/", Tags: [{ Key: "tmp", Value: "yes" }], ObjectSizeGreaterThan: 3 } }, Expiration: { Days: 1 } },
        { ID: "uploads", Status: "Enabled", Filter: { Prefix: "" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      ],
    },
  }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "logs/a", Body: "a" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "data/big", Body: "12345", Tagging: "tmp=yes" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "data/small", Body: "12", Tagging: "tmp=yes" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "data/untagged", Body: "12345" }));
  await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "pending" }));
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "logs/a" }));
  assert.match(head.Expiration!, /^expiry-date="\w{3}, \d\d \w{3} \d{4} 00:00:00 GMT", rule-id="logs"$/);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "data/untagged" }))).Expiration, undefined);
  const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((o) => o.Key);
  // "1 day" ends at the second midnight at the latest, "2 days" at the third.
  await server.advanceClock(2 * DAY + 60);
  const left = await keys();
  assert.ok(!left.includes("data/big"));
  assert.ok(left.includes("data/small") && left.includes("data/untagged"));
  assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads, undefined);
  await server.advanceClock(DAY);
  assert.deepEqual(await keys(), ["data/small", "data/untagged"]);
});

test("versioned buckets: delete markers, noncurrent expiry, expired markers removed", async () => {
  const Bucket = "lifecycle-versions";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket,
    LifecycleConfiguration: {
      Rules: [
        { ID: "current", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 1 } },
        { ID: "old", Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
        { ID: "markers", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { ExpiredObjectDeleteMarker: true } },
      ],
    },
  }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "v1" }));
  await server.advanceClock(2 * DAY + 60);
  let versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
  assert.equal(versions.DeleteMarkers?.length, 1);
  assert.equal(versions.Versions?.length, 1);
  await server.advanceClock(2 * DAY + 60);
  // The noncurrent version expires; the marker, alone, goes on the following sweep.
  await server.advanceClock(2 * DAY);
  versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
  assert.equal(versions.Versions, undefined);
  assert.equal(versions.DeleteMarkers, undefined);
});
