import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteBucketPolicyCommand, DeletePublicAccessBlockCommand, GetBucketEncryptionCommand,
  GetBucketLocationCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketTaggingCommand,
  GetBucketVersioningCommand, GetPublicAccessBlockCommand, HeadBucketCommand, ListBucketsCommand, PutBucketPolicyCommand,
  PutBucketTaggingCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client, GetBucketCorsCommand, PutBucketCorsCommand,
  DeleteBucketInventoryConfigurationCommand, GetBucketIntelligentTieringConfigurationCommand, GetBucketInventoryConfigurationCommand,
  ListBucketIntelligentTieringConfigurationsCommand, ListBucketInventoryConfigurationsCommand, PutBucketIntelligentTieringConfigurationCommand,
  PutBucketInventoryConfigurationCommand, type InventoryConfiguration, GetBucketAclCommand, GetBucketAccelerateConfigurationCommand,
  PutBucketAccelerateConfigurationCommand, GetBucketRequestPaymentCommand, PutBucketRequestPaymentCommand, GetBucketLoggingCommand,
  PutBucketLoggingCommand, GetBucketReplicationCommand, PutBucketReplicationCommand, DeleteBucketReplicationCommand,
} from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, python, testCredentials, useTestServer } from "../../../test/helpers.js";

const server = await useTestServer();
const s3 = (region = "us-east-1", account?: string) => {
  const client = new S3Client({ ...clientConfig(server.endpoint, region, testCredentials({ account })), forcePathStyle: true });
  return client;
};
const east = s3();

test("CreateBucket validates names as S3 does", async () => {
  for (const name of ["ab", "UPPER", "a..b", "192.168.1.1", "-dash", "xn--abc", "name-s3alias"]) {
    await assertAwsError(east.send(new CreateBucketCommand({ Bucket: name })), { code: "InvalidBucketName", message: "The specified bucket is not valid.", status: 400 });
  }
});

test("LocationConstraint rules per region", async () => {
  await assertAwsError(east.send(new CreateBucketCommand({ Bucket: "loc-east", CreateBucketConfiguration: { LocationConstraint: "us-east-1" as never } })), {
    code: "InvalidLocationConstraint", message: "The specified location-constraint is not valid", status: 400,
  });
  const west = s3("us-west-2");
  // SDK v3 adds the client's region itself; boto3 sends no configuration.
  const unspecified = await python(server.endpoint, `try:\n    client('s3', 'us-west-2').create_bucket(Bucket='loc-west')\nexcept botocore.exceptions.ClientError as e:\n    print(json.dumps(e.response['Error']))`);
  assert.equal(unspecified.Code, "IllegalLocationConstraintException");
  assert.equal(unspecified.Message, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
  await assertAwsError(west.send(new CreateBucketCommand({ Bucket: "loc-west", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })), {
    code: "IllegalLocationConstraintException",
    message: "The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.",
  });
  // The legacy endpoint takes the regions the model's BucketLocationConstraint lists, and no other name.
  await assertAwsError(east.send(new CreateBucketCommand({ Bucket: "loc-nowhere", CreateBucketConfiguration: { LocationConstraint: "moon-east-1" as never } })), {
    code: "InvalidLocationConstraint", message: "The specified location-constraint is not valid", status: 400,
  });
  await east.send(new CreateBucketCommand({ Bucket: "loc-eu", CreateBucketConfiguration: { LocationConstraint: "EU" } }));
  assert.equal((await east.send(new GetBucketLocationCommand({ Bucket: "loc-eu" }))).LocationConstraint, "EU");
  assert.equal((await east.send(new HeadBucketCommand({ Bucket: "loc-eu" }))).BucketRegion, "eu-west-1");
  await west.send(new CreateBucketCommand({ Bucket: "loc-west", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
  assert.equal((await west.send(new GetBucketLocationCommand({ Bucket: "loc-west" }))).LocationConstraint, "us-west-2");
  assert.equal((await west.send(new HeadBucketCommand({ Bucket: "loc-west" }))).BucketRegion, "us-west-2");
  await east.send(new CreateBucketCommand({ Bucket: "loc-east" }));
  assert.equal((await east.send(new GetBucketLocationCommand({ Bucket: "loc-east" }))).LocationConstraint, undefined);
  // boto3 reads the bare <LocationConstraint> element.
  const out = await python(server.endpoint, `c = client('s3')\nprint(json.dumps([c.get_bucket_location(Bucket='loc-west')['LocationConstraint'], c.get_bucket_location(Bucket='loc-east')['LocationConstraint']]))`);
  assert.deepEqual(out, ["us-west-2", null]);
});

test("re-creating a bucket: us-east-1 succeeds, elsewhere BucketAlreadyOwnedByYou, another account BucketAlreadyExists", async () => {
  await east.send(new CreateBucketCommand({ Bucket: "dup-bucket" }));
  await east.send(new CreateBucketCommand({ Bucket: "dup-bucket" }));
  const west = s3("us-west-2");
  await west.send(new CreateBucketCommand({ Bucket: "dup-west", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
  await assertAwsError(west.send(new CreateBucketCommand({ Bucket: "dup-west", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } })), {
    code: "BucketAlreadyOwnedByYou", message: "Your previous request to create the named bucket succeeded and you already own it.", status: 409,
  });
  await assertAwsError(s3("us-east-1", "111111111111").send(new CreateBucketCommand({ Bucket: "dup-bucket" })), {
    code: "BucketAlreadyExists", status: 409,
    message: "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
  });
});

test("HeadBucket of a missing bucket is a bodiless 404", async () => {
  await assertAwsError(east.send(new HeadBucketCommand({ Bucket: "no-such-bucket-here" })), { code: "NotFound", status: 404 });
  await assertAwsError(east.send(new GetBucketLocationCommand({ Bucket: "no-such-bucket-here" })), {
    code: "NoSuchBucket", message: "The specified bucket does not exist", status: 404,
  });
});

test("ListBuckets pages, filters by prefix and region", async () => {
  const client = s3("us-east-1", "222222222222");
  for (const n of ["lb-a", "lb-b", "lb-c"]) await client.send(new CreateBucketCommand({ Bucket: n }));
  const all = await client.send(new ListBucketsCommand({}));
  assert.deepEqual(all.Buckets?.map((b) => b.Name), ["lb-a", "lb-b", "lb-c"]);
  assert.equal(all.Buckets?.[0].BucketRegion, "us-east-1");
  assert.match(all.Owner?.ID ?? "", /^[0-9a-f]{64}$/);
  const first = await client.send(new ListBucketsCommand({ MaxBuckets: 2 }));
  assert.deepEqual(first.Buckets?.map((b) => b.Name), ["lb-a", "lb-b"]);
  const second = await client.send(new ListBucketsCommand({ MaxBuckets: 2, ContinuationToken: first.ContinuationToken }));
  assert.deepEqual(second.Buckets?.map((b) => b.Name), ["lb-c"]);
  assert.equal(second.ContinuationToken, undefined);
  assert.deepEqual((await client.send(new ListBucketsCommand({ Prefix: "lb-b" }))).Buckets?.map((b) => b.Name), ["lb-b"]);
  assert.equal((await client.send(new ListBucketsCommand({ BucketRegion: "eu-west-1" }))).Buckets?.length ?? 0, 0);
});

test("DeleteBucket refuses a bucket with objects", async () => {
  await east.send(new CreateBucketCommand({ Bucket: "del-bucket" }));
  await east.send(new PutObjectCommand({ Bucket: "del-bucket", Key: "k", Body: "x" }));
  await assertAwsError(east.send(new DeleteBucketCommand({ Bucket: "del-bucket" })), {
    code: "BucketNotEmpty", message: "The bucket you tried to delete is not empty", status: 409,
  });
});

test("stored configurations: tagging, policy, CORS, versioning, defaults", async () => {
  const Bucket = "cfg-bucket";
  await east.send(new CreateBucketCommand({ Bucket }));
  await assertAwsError(east.send(new GetBucketTaggingCommand({ Bucket })), { code: "NoSuchTagSet", message: "The TagSet does not exist", status: 404 });
  await east.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: "a", Value: "1" }] } }));
  assert.deepEqual((await east.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: "a", Value: "1" }]);
  await assertAwsError(east.send(new GetBucketPolicyCommand({ Bucket })), { code: "NoSuchBucketPolicy", message: "The bucket policy does not exist", status: 404 });
  await assertAwsError(east.send(new PutBucketPolicyCommand({ Bucket, Policy: "not json" })), {
    code: "MalformedPolicy", message: "Policies must be valid JSON and the first byte must be '{'",
  });
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [] });
  await east.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }));
  assert.equal((await east.send(new GetBucketPolicyCommand({ Bucket }))).Policy, policy);
  await east.send(new DeleteBucketPolicyCommand({ Bucket }));
  await assertAwsError(east.send(new GetBucketPolicyCommand({ Bucket })), { code: "NoSuchBucketPolicy" });
  await assertAwsError(east.send(new GetBucketCorsCommand({ Bucket })), { code: "NoSuchCORSConfiguration", message: "The CORS configuration does not exist" });
  await east.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["*"] }] } }));
  assert.deepEqual((await east.send(new GetBucketCorsCommand({ Bucket }))).CORSRules?.[0].AllowedMethods, ["GET"]);
  assert.equal((await east.send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined);
  await east.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  assert.equal((await east.send(new GetBucketVersioningCommand({ Bucket }))).Status, "Enabled");
  const enc = await east.send(new GetBucketEncryptionCommand({ Bucket }));
  assert.equal(enc.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, "AES256");
  assert.equal((await east.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0].ObjectOwnership, "BucketOwnerEnforced");
  assert.equal((await east.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration?.BlockPublicAcls, true);
  await east.send(new DeletePublicAccessBlockCommand({ Bucket }));
  await assertAwsError(east.send(new GetPublicAccessBlockCommand({ Bucket })), {
    code: "NoSuchPublicAccessBlockConfiguration", message: "The public access block configuration was not found", status: 404,
  });
});

test("intelligent-tiering and inventory configurations are stored by Id, listed and deleted", async () => {
  const Bucket = "id-configs-bucket";
  await east.send(new CreateBucketCommand({ Bucket }));
  const tiering = { Id: "archive", Status: "Enabled" as const, Filter: { Prefix: "logs/" }, Tierings: [{ Days: 90, AccessTier: "ARCHIVE_ACCESS" as const }] };
  await east.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket, Id: "archive", IntelligentTieringConfiguration: tiering }));
  await east.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket, Id: "all", IntelligentTieringConfiguration: { ...tiering, Id: "all", Filter: undefined } }));
  assert.deepEqual((await east.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket, Id: "archive" }))).IntelligentTieringConfiguration, tiering);
  const tierings = await east.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket }));
  assert.deepEqual(tierings.IntelligentTieringConfigurationList?.map((c) => c.Id), ["all", "archive"]);
  assert.equal(tierings.IsTruncated, false);
  // The document's Id must be the query's.
  await assertAwsError(east.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket, Id: "other", IntelligentTieringConfiguration: tiering })), {
    code: "MalformedXML", status: 400,
  });

  const inventory: InventoryConfiguration = {
    Id: "daily", IsEnabled: true, IncludedObjectVersions: "Current", Schedule: { Frequency: "Daily" }, OptionalFields: ["Size", "ETag"],
    Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::reports", Format: "CSV", Prefix: "inventory" } },
  };
  await east.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: "daily", InventoryConfiguration: inventory }));
  assert.deepEqual((await east.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id: "daily" }))).InventoryConfiguration, inventory);
  assert.deepEqual((await east.send(new ListBucketInventoryConfigurationsCommand({ Bucket }))).InventoryConfigurationList, [inventory]);
  await east.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id: "daily" }));
  const missing = { code: "NoSuchConfiguration", message: "The specified configuration does not exist.", status: 404 };
  await assertAwsError(east.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id: "daily" })), missing);
  await assertAwsError(east.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id: "daily" })), missing);
  assert.equal((await east.send(new ListBucketInventoryConfigurationsCommand({ Bucket }))).InventoryConfigurationList, undefined);
  // An Id is any text, "__proto__" and "constructor" too.
  for (const Id of ["__proto__", "constructor"]) {
    await assertAwsError(east.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id })), missing);
    await east.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id, InventoryConfiguration: { ...inventory, Id } }));
    assert.equal((await east.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id }))).InventoryConfiguration?.Id, Id);
  }
  assert.deepEqual((await east.send(new ListBucketInventoryConfigurationsCommand({ Bucket }))).InventoryConfigurationList?.map((c) => c.Id).sort(), ["__proto__", "constructor"]);
});

test("CreateBucket with x-amz-object-ownership and a canned ACL that must fit it", async () => {
  await assertAwsError(east.send(new CreateBucketCommand({ Bucket: "acl-enforced", ACL: "public-read" })), {
    code: "InvalidBucketAclWithObjectOwnership", message: "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", status: 400,
  });
  await east.send(new CreateBucketCommand({ Bucket: "acl-private", ACL: "private" }));
  await east.send(new CreateBucketCommand({ Bucket: "acl-writer", ACL: "public-read", ObjectOwnership: "ObjectWriter" }));
  assert.equal((await east.send(new GetBucketOwnershipControlsCommand({ Bucket: "acl-writer" }))).OwnershipControls?.Rules?.[0].ObjectOwnership, "ObjectWriter");
  const acl = await east.send(new GetBucketAclCommand({ Bucket: "acl-writer" }));
  assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI, g.Permission]), [
    ["CanonicalUser", undefined, "FULL_CONTROL"], ["Group", "http://acs.amazonaws.com/groups/global/AllUsers", "READ"],
  ]);
});

test("acceleration, requester pays, logging and replication settings are stored and answered", async () => {
  const Bucket = "settings-bucket";
  await east.send(new CreateBucketCommand({ Bucket }));
  assert.equal((await east.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status, undefined);
  await east.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status: "Enabled" } }));
  assert.equal((await east.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status, "Enabled");
  await east.send(new CreateBucketCommand({ Bucket: "dotted.settings.bucket" }));
  await assertAwsError(east.send(new PutBucketAccelerateConfigurationCommand({ Bucket: "dotted.settings.bucket", AccelerateConfiguration: { Status: "Enabled" } })), {
    code: "InvalidRequest", message: "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names", status: 400,
  });

  assert.equal((await east.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer, "BucketOwner");
  await east.send(new PutBucketRequestPaymentCommand({ Bucket, RequestPaymentConfiguration: { Payer: "Requester" } }));
  assert.equal((await east.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer, "Requester");

  assert.equal((await east.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled, undefined);
  await assertAwsError(east.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "no-such-logs", TargetPrefix: "logs/" } } })), {
    code: "InvalidTargetBucketForLogging", status: 400,
  });
  await east.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "dotted.settings.bucket", TargetPrefix: "logs/" } } }));
  assert.deepEqual((await east.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled, { TargetBucket: "dotted.settings.bucket", TargetPrefix: "logs/" });
  await east.send(new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: {} }));
  assert.equal((await east.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled, undefined);

  const missing = { code: "ReplicationConfigurationNotFoundError", message: "The replication configuration was not found", status: 404 };
  await assertAwsError(east.send(new GetBucketReplicationCommand({ Bucket })), missing);
  const ReplicationConfiguration = {
    Role: "arn:aws:iam::000000000000:role/replication",
    Rules: [{ ID: "all", Status: "Enabled" as const, Priority: 1, Filter: {}, DeleteMarkerReplication: { Status: "Disabled" as const }, Destination: { Bucket: "arn:aws:s3:::dotted.settings.bucket" } }],
  };
  await assertAwsError(east.send(new PutBucketReplicationCommand({ Bucket, ReplicationConfiguration })), {
    code: "InvalidRequest", message: "Versioning must be 'Enabled' on the bucket to apply a replication configuration", status: 400,
  });
  await east.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  await east.send(new PutBucketReplicationCommand({ Bucket, ReplicationConfiguration }));
  assert.deepEqual((await east.send(new GetBucketReplicationCommand({ Bucket }))).ReplicationConfiguration, ReplicationConfiguration);
  await east.send(new DeleteBucketReplicationCommand({ Bucket }));
  await assertAwsError(east.send(new GetBucketReplicationCommand({ Bucket })), missing);
});
