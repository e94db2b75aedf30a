import assert from "node:assert/strict";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  AddLayerVersionPermissionCommand, GetLayerVersionByArnCommand, GetLayerVersionPolicyCommand, LambdaClient, PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
} from "@aws-sdk/client-lambda";
import { assertAwsError, awsCli, useTestServer } from "../../../test/helpers.js";

// A layer version's permissions (AddLayerVersionPermission, GetLayerVersionPolicy,
// RemoveLayerVersionPermission) and GetLayerVersionByArn.

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const LAYER_ARN = "arn:aws:lambda:us-east-1:000000000000:layer:shared";

test("layer version permissions: statements as AWS writes them, revision ids, AWS's errors", async () => {
  await lambda.send(new PublishLayerVersionCommand({ LayerName: "shared", Content: { ZipFile: zipSync({ "python/lib.py": strToU8("X = 1") }) } }));
  await assertAwsError(
    lambda.send(new GetLayerVersionPolicyCommand({ LayerName: "shared", VersionNumber: 1 })),
    { code: "ResourceNotFoundException", message: "No policy is associated with the given resource.", status: 404 },
  );
  const everyone = await lambda.send(new AddLayerVersionPermissionCommand({
    LayerName: "shared", VersionNumber: 1, StatementId: "public", Action: "lambda:GetLayerVersion", Principal: "*",
  }));
  assert.deepEqual(JSON.parse(everyone.Statement!), {
    Sid: "public", Effect: "Allow", Principal: "*", Action: "lambda:GetLayerVersion", Resource: `${LAYER_ARN}:1`,
  });
  const org = await lambda.send(new AddLayerVersionPermissionCommand({
    LayerName: `${LAYER_ARN}`, VersionNumber: 1, StatementId: "org", Action: "lambda:GetLayerVersion", Principal: "*",
    OrganizationId: "o-abcdefghij", RevisionId: everyone.RevisionId,
  }));
  assert.deepEqual(JSON.parse(org.Statement!).Condition, { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } });
  await lambda.send(new AddLayerVersionPermissionCommand({
    LayerName: "shared", VersionNumber: 1, StatementId: "partner", Action: "lambda:GetLayerVersion", Principal: "111122223333",
  }));
  await assertAwsError(
    lambda.send(new AddLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: 1, StatementId: "public", Action: "lambda:GetLayerVersion", Principal: "*" })),
    { code: "ResourceConflictException", message: "The statement id (public) provided already exists. Please provide a new statement id, or remove the existing statement." },
  );
  await assertAwsError(
    lambda.send(new AddLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: 1, StatementId: "stale", Action: "lambda:GetLayerVersion", Principal: "*", RevisionId: everyone.RevisionId })),
    { code: "PreconditionFailedException", status: 412 },
  );
  await assertAwsError(
    lambda.send(new AddLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: 9, StatementId: "x", Action: "lambda:GetLayerVersion", Principal: "*" })),
    { code: "ResourceNotFoundException", message: "The resource you requested does not exist." },
  );

  const policy = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: "shared", VersionNumber: 1 }));
  const doc = JSON.parse(policy.Policy!);
  assert.equal(doc.Version, "2012-10-17");
  assert.deepEqual(doc.Statement.map((s: { Sid: string }) => s.Sid), ["public", "org", "partner"]);
  assert.deepEqual(doc.Statement[2].Principal, { AWS: "arn:aws:iam::111122223333:root" });

  await lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: 1, StatementId: "org" }));
  await assertAwsError(
    lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: "shared", VersionNumber: 1, StatementId: "org" })),
    { code: "ResourceNotFoundException", message: "Statement org is not found in resource policy." },
  );
  const cli = await awsCli(server.endpoint, ["lambda", "get-layer-version-policy", "--layer-name", "shared", "--version-number", "1"]);
  assert.deepEqual(JSON.parse(cli.Policy).Statement.map((s: { Sid: string }) => s.Sid), ["public", "partner"]);
});

test("GetLayerVersionByArn (SDK and CLI)", async () => {
  await lambda.send(new PublishLayerVersionCommand({ LayerName: "by-arn", Description: "found by ARN", Content: { ZipFile: zipSync({ "bin/tool": strToU8("#!/bin/sh") }) } }));
  const arn = "arn:aws:lambda:us-east-1:000000000000:layer:by-arn:1";
  const got = await lambda.send(new GetLayerVersionByArnCommand({ Arn: arn }));
  assert.equal(got.LayerVersionArn, arn);
  assert.equal(got.Version, 1);
  assert.equal(got.Description, "found by ARN");
  assert.match(got.Content!.Location!, /^http:\/\//);
  const cli = await awsCli(server.endpoint, ["lambda", "get-layer-version-by-arn", "--arn", arn]);
  assert.equal(cli.LayerArn, "arn:aws:lambda:us-east-1:000000000000:layer:by-arn");
  await assertAwsError(
    lambda.send(new GetLayerVersionByArnCommand({ Arn: "arn:aws:lambda:us-east-1:000000000000:layer:by-arn:2" })),
    { code: "ResourceNotFoundException", message: "The resource you requested does not exist.", status: 404 },
  );
});
