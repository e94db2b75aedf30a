import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketWebsiteCommand, GetBucketAclCommand,
  GetBucketWebsiteCommand, GetObjectAclCommand, GetObjectAttributesCommand, PutBucketAclCommand, PutBucketOwnershipControlsCommand,
  PutBucketWebsiteCommand, PutObjectAclCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, testCredentials, useTestServer } from "../../../test/helpers.js";
import { ownerOf } from "./owner.js";

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint, "us-east-1", testCredentials({})), forcePathStyle: true });
const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

test("ACLs: the owner's FULL_CONTROL, canned ACLs refused under BucketOwnerEnforced", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "acl-bucket" }));
  await s3.send(new PutObjectCommand({ Bucket: "acl-bucket", Key: "k", Body: "x" }));
  const bucketAcl = await s3.send(new GetBucketAclCommand({ Bucket: "acl-bucket" }));
  const owner = bucketAcl.Owner!;
  assert.equal(owner.ID, ownerOf("000000000000").ID);
  assert.deepEqual(bucketAcl.Grants, [{ Grantee: { Type: "CanonicalUser", ID: owner.ID, DisplayName: owner.DisplayName }, Permission: "FULL_CONTROL" }]);
  const objectAcl = await s3.send(new GetObjectAclCommand({ Bucket: "acl-bucket", Key: "k" }));
  assert.deepEqual(objectAcl.Grants, bucketAcl.Grants);
  await s3.send(new PutBucketAclCommand({ Bucket: "acl-bucket", ACL: "private" }));
  const notSupported = { code: "AccessControlListNotSupported", message: "The bucket does not allow ACLs", status: 400 };
  await assertAwsError(s3.send(new PutBucketAclCommand({ Bucket: "acl-bucket", ACL: "public-read" })), notSupported);
  await assertAwsError(s3.send(new PutObjectAclCommand({ Bucket: "acl-bucket", Key: "k", ACL: "public-read" })), notSupported);
  await assertAwsError(s3.send(new PutObjectCommand({ Bucket: "acl-bucket", Key: "k2", Body: "x", ACL: "public-read" })), notSupported);

  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: "acl-bucket", OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] } }));
  await s3.send(new PutBucketAclCommand({ Bucket: "acl-bucket", ACL: "public-read" }));
  const publicRead = await s3.send(new GetBucketAclCommand({ Bucket: "acl-bucket" }));
  assert.deepEqual(publicRead.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI ?? g.Grantee?.ID, g.Permission]), [
    ["CanonicalUser", owner.ID, "FULL_CONTROL"],
    ["Group", ALL_USERS, "READ"],
  ]);
  await s3.send(new PutObjectAclCommand({ Bucket: "acl-bucket", Key: "k", ACL: "public-read-write" }));
  const objectGrants = (await s3.send(new GetObjectAclCommand({ Bucket: "acl-bucket", Key: "k" }))).Grants;
  assert.deepEqual(objectGrants?.map((g) => g.Permission), ["FULL_CONTROL", "READ", "WRITE"]);
  await s3.send(new PutObjectCommand({ Bucket: "acl-bucket", Key: "k3", Body: "x", ACL: "authenticated-read" }));
  const k3 = (await s3.send(new GetObjectAclCommand({ Bucket: "acl-bucket", Key: "k3" }))).Grants;
  assert.equal(k3?.[1].Grantee?.URI, "http://acs.amazonaws.com/groups/global/AuthenticatedUsers");
  await assertAwsError(s3.send(new GetObjectAclCommand({ Bucket: "acl-bucket", Key: "missing" })), { code: "NoSuchKey", status: 404 });
});

test("GetObjectAttributes answers the attributes asked for", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "attributes-bucket" }));
  const put = await s3.send(new PutObjectCommand({ Bucket: "attributes-bucket", Key: "k", Body: "hello", ChecksumAlgorithm: "SHA256" }));
  const out = await s3.send(new GetObjectAttributesCommand({
    Bucket: "attributes-bucket", Key: "k", ObjectAttributes: ["ETag", "Checksum", "StorageClass", "ObjectSize", "ObjectParts"],
  }));
  assert.equal(out.ETag, put.ETag!.replace(/"/g, ""));
  assert.equal(out.Checksum?.ChecksumSHA256, put.ChecksumSHA256);
  assert.equal(out.Checksum?.ChecksumType, "FULL_OBJECT");
  assert.equal(out.StorageClass, "STANDARD");
  assert.equal(out.ObjectSize, 5);
  assert.equal(out.ObjectParts, undefined);
  assert.ok(out.LastModified instanceof Date);

  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "attributes-bucket", Key: "mp" }));
  const part = await s3.send(new UploadPartCommand({ Bucket: "attributes-bucket", Key: "mp", UploadId, PartNumber: 1, Body: "abc" }));
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: "attributes-bucket", Key: "mp", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
  }));
  const mp = await s3.send(new GetObjectAttributesCommand({ Bucket: "attributes-bucket", Key: "mp", ObjectAttributes: ["ObjectParts", "ObjectSize"] }));
  assert.equal(mp.ObjectSize, 3);
  assert.equal(mp.ObjectParts?.TotalPartsCount, 1);
  assert.equal(mp.ETag, undefined);
  await assertAwsError(
    s3.send(new GetObjectAttributesCommand({ Bucket: "attributes-bucket", Key: "k", ObjectAttributes: ["Size" as never] })),
    { code: "InvalidArgument", message: "Invalid attribute name specified.", status: 400 },
  );
  await assertAwsError(s3.send(new GetObjectAttributesCommand({ Bucket: "attributes-bucket", Key: "nope", ObjectAttributes: ["ETag"] })), { code: "NoSuchKey", status: 404 });
});

test("website configuration is stored, answered and deleted", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "website-bucket" }));
  const missing = { code: "NoSuchWebsiteConfiguration", message: "The specified bucket does not have a website configuration", status: 404 };
  await assertAwsError(s3.send(new GetBucketWebsiteCommand({ Bucket: "website-bucket" })), missing);
  const WebsiteConfiguration = {
    IndexDocument: { Suffix: "index.html" },
    ErrorDocument: { Key: "error.html" },
    RoutingRules: [{ Condition: { KeyPrefixEquals: "docs/" }, Redirect: { ReplaceKeyPrefixWith: "documents/" } }],
  };
  await s3.send(new PutBucketWebsiteCommand({ Bucket: "website-bucket", WebsiteConfiguration }));
  const got = await s3.send(new GetBucketWebsiteCommand({ Bucket: "website-bucket" }));
  assert.deepEqual({ IndexDocument: got.IndexDocument, ErrorDocument: got.ErrorDocument, RoutingRules: got.RoutingRules }, WebsiteConfiguration);
  await assertAwsError(
    s3.send(new PutBucketWebsiteCommand({ Bucket: "website-bucket", WebsiteConfiguration: { ErrorDocument: { Key: "e.html" } } })),
    { code: "InvalidArgument", message: "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", status: 400 },
  );
  await s3.send(new DeleteBucketWebsiteCommand({ Bucket: "website-bucket" }));
  await assertAwsError(s3.send(new GetBucketWebsiteCommand({ Bucket: "website-bucket" })), missing);
});
