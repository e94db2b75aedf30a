import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
} from "@aws-sdk/client-iam";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// Managed policies (customer and AWS managed), versions, attachments, inline
// policies and boundaries, through the real clients. Expected errors are AWS's, as
// recorded against AWS in LocalStack's test_iam_policies / test_iam_roles /
// test_iam_users snapshots.

// Each file gets its own account, so its counts are its own.
const ACCOUNT = "111122223333";
const server = await useTestServer();
const iam = server.client(IAMClient, { account: ACCOUNT });

const doc = (action: string, resource = "*") => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });

describe("customer managed policies", () => {
  it("creates a policy and answers it as AWS does", async () => {
    const created = (await iam.send(new CreatePolicyCommand({ PolicyName: "s3-read", Path: "/app/", PolicyDocument: doc("s3:GetObject"), Description: "read", Tags: [{ Key: "b", Value: "2" }, { Key: "a", Value: "1" }] }))).Policy!;
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:policy/app/s3-read`);
    assert.match(created.PolicyId!, /^ANPA[A-Z0-9]{17}$/);
    assert.deepEqual([created.DefaultVersionId, created.AttachmentCount, created.PermissionsBoundaryUsageCount, created.IsAttachable], ["v1", 0, 0, true]);
    assert.equal(created.Description, undefined, "CreatePolicy answers no Description");
    assert.deepEqual(created.Tags, [{ Key: "b", Value: "2" }, { Key: "a", Value: "1" }]);

    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: created.Arn }))).Policy!;
    assert.equal(got.Description, "read");
    assert.deepEqual(got.Tags, [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }]);

    await assertAwsError(iam.send(new CreatePolicyCommand({ PolicyName: "s3-read", PolicyDocument: doc("s3:GetObject") })), {
      code: "EntityAlreadyExists",
      message: "A policy called s3-read already exists. Duplicate names are not allowed.",
      status: 409,
    });
    await assertAwsError(iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nope` })), {
      code: "NoSuchEntity",
      message: `Policy arn:aws:iam::${ACCOUNT}:policy/nope was not found.`,
      status: 404,
    });
  });

  it("validates documents with IAM's messages", async () => {
    const create = (document: string) => iam.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument: document }));
    await assertAwsError(create("{"), { code: "MalformedPolicyDocument", message: "Syntax errors in policy.", status: 400 });
    await assertAwsError(create(JSON.stringify({ Statement: { Effect: "Allow", Action: "s3:*", Resource: "*" } })), {
      code: "MalformedPolicyDocument",
      message: "Policy document must be version 2012-10-17 or greater.",
      status: 400,
    });
    await assertAwsError(create(JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:*" } })), {
      code: "MalformedPolicyDocument",
      message: "Policy statement must contain resources.",
      status: 400,
    });
    await assertAwsError(create(doc("s3:*", "not-an-arn")), { code: "MalformedPolicyDocument", message: 'Resource not-an-arn must be in ARN format or "*".', status: 400 });
  });

  it("keeps at most five versions, numbered for good", async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/app/s3-read`;
    const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("s3:ListBucket"), SetAsDefault: true }))).PolicyVersion!;
    assert.deepEqual([v2.VersionId, v2.IsDefaultVersion, v2.Document], ["v2", true, undefined]);
    for (let i = 0; i < 3; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("s3:ListBucket") }));
    await assertAwsError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("s3:ListBucket") })), {
      code: "LimitExceeded",
      message: "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
      status: 409,
    });
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    assert.deepEqual(versions.map((v) => [v.VersionId, v.IsDefaultVersion]), [["v5", false], ["v4", false], ["v3", false], ["v2", true], ["v1", false]]);

    const v2doc = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }))).PolicyVersion!;
    assert.equal(decodeURIComponent(v2doc.Document!), doc("s3:ListBucket"));
    await assertAwsError(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })), {
      code: "DeleteConflict",
      message: "Cannot delete the default version of a policy.",
      status: 409,
    });
    await assertAwsError(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v9" })), {
      code: "NoSuchEntity",
      message: `Policy ${arn} version v9 does not exist or is not attachable.`,
      status: 404,
    });

    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v5" }));
    assert.equal((await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc("s3:*") }))).PolicyVersion!.VersionId, "v6");
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, "v1");
    await assertAwsError(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), {
      code: "DeleteConflict",
      message: "This policy has more than one version. Before you delete a policy, you must delete the policy's non-default versions.",
      status: 409,
    });
  });

  it("tags policies keeping keys that differ in case apart", async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/app/s3-read`;
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: "A", Value: "upper" }] }));
    assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags!.map((t) => t.Key), ["A", "a", "b"]);
    await assertAwsError(iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: "x", Value: "1" }, { Key: "x", Value: "2" }] })), {
      code: "InvalidInput",
      message: "Duplicate tag keys found.",
      status: 400,
    });
  });
});

describe("attachments", () => {
  it("attaches customer and AWS managed policies, and counts them", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "fn", AssumeRolePolicyDocument: TRUST }));
    const local = (await iam.send(new CreatePolicyCommand({ PolicyName: "fn-logs", PolicyDocument: doc("logs:*") }))).Policy!.Arn!;
    const basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    await iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: local }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: basic }));
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "fn" }))).AttachedPolicies!;
    assert.deepEqual(attached, [{ PolicyName: "AWSLambdaBasicExecutionRole", PolicyArn: basic }, { PolicyName: "fn-logs", PolicyArn: local }]);

    const aws = (await iam.send(new GetPolicyCommand({ PolicyArn: basic }))).Policy!;
    assert.deepEqual([aws.Path, aws.AttachmentCount, aws.DefaultVersionId], ["/service-role/", 1, "v1"]);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: local }))).Policy!.AttachmentCount, 1);

    await iam.send(new CreateUserCommand({ UserName: "ops" }));
    await iam.send(new CreateGroupCommand({ GroupName: "admins" }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "ops", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: "admins", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    assert.deepEqual([entities.PolicyUsers!.map((u) => u.UserName), entities.PolicyGroups!.map((g) => g.GroupName), entities.PolicyRoles], [["ops"], ["admins"], []]);

    const onlyAttached = (await iam.send(new ListPoliciesCommand({ Scope: "AWS", OnlyAttached: true }))).Policies!.map((p) => p.PolicyName);
    assert.deepEqual(onlyAttached, ["AdministratorAccess", "AWSLambdaBasicExecutionRole"]);
    const localPolicies = (await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies!.map((p) => p.PolicyName);
    assert.deepEqual(localPolicies, ["fn-logs", "s3-read"]);
    assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: "Local", PathPrefix: "/app/" }))).Policies!.map((p) => p.PolicyName), ["s3-read"]);
  });

  it("answers AWS's errors for attach and detach", async () => {
    const missing = `arn:aws:iam::${ACCOUNT}:policy/missing`;
    await assertAwsError(iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: missing })), {
      code: "NoSuchEntity",
      message: `Policy ${missing} does not exist or is not attachable.`,
      status: 404,
    });
    await assertAwsError(iam.send(new AttachRolePolicyCommand({ RoleName: "fn", PolicyArn: "longpolicynamebutnoarn" })), {
      code: "ValidationError",
      message: "ARN longpolicynamebutnoarn is not valid.",
      status: 400,
    });
    await assertAwsError(iam.send(new DetachUserPolicyCommand({ UserName: "ops", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" })), {
      code: "NoSuchEntity",
      message: "Policy arn:aws:iam::aws:policy/ReadOnlyAccess was not found.",
      status: 404,
    });
    const local = `arn:aws:iam::${ACCOUNT}:policy/fn-logs`;
    await assertAwsError(iam.send(new DeletePolicyCommand({ PolicyArn: local })), { code: "DeleteConflict", message: "Cannot delete a policy attached to entities.", status: 409 });
    await assertAwsError(iam.send(new DeleteRoleCommand({ RoleName: "fn" })), { code: "DeleteConflict", message: "Cannot delete entity, must detach all policies first.", status: 409 });
    await assertAwsError(iam.send(new DeleteUserCommand({ UserName: "ops" })), { code: "DeleteConflict", message: "Cannot delete entity, must detach all policies first.", status: 409 });
    await iam.send(new DetachRolePolicyCommand({ RoleName: "fn", PolicyArn: local }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: local }));
  });

  it("sets permissions boundaries from existing policies only", async () => {
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "fn", PermissionsBoundary: admin }));
    assert.deepEqual((await iam.send(new GetRoleCommand({ RoleName: "fn" }))).Role!.PermissionsBoundary, { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: admin });
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: admin }))).Policy!.PermissionsBoundaryUsageCount, 1);
    const notPolicy = `arn:aws:iam::${ACCOUNT}:not_a_policy/invalid`;
    await assertAwsError(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "fn", PermissionsBoundary: notPolicy })), {
      code: "InvalidInput",
      message: `ARN ${notPolicy} is not valid.`,
      status: 400,
    });
    const missing = `arn:aws:iam::${ACCOUNT}:policy/nonexistent-policy`;
    await assertAwsError(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "fn", PermissionsBoundary: missing })), {
      code: "NoSuchEntity",
      message: `Scope ARN: ${missing} does not exist or is not attachable.`,
      status: 404,
    });
  });
});

describe("inline policies", () => {
  it("puts, reads (URL-encoded), lists and deletes role policies", async () => {
    const text = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example_bucket"}}';
    await iam.send(new PutRolePolicyCommand({ RoleName: "fn", PolicyName: "inline-1", PolicyDocument: text }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: "fn", PolicyName: "inline-1" }));
    assert.equal(got.RoleName, "fn");
    // Kept verbatim, spaces too, and encoded as RFC 3986 wants: %20, never "+".
    assert.equal(got.PolicyDocument, encodeURIComponent(text));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: "fn" }))).PolicyNames, ["inline-1"]);
    await assertAwsError(iam.send(new DeleteRoleCommand({ RoleName: "fn" })), { code: "DeleteConflict", message: "Cannot delete entity, must detach all policies first.", status: 409 });
    await assertAwsError(iam.send(new GetRolePolicyCommand({ RoleName: "fn", PolicyName: "nope" })), { code: "NoSuchEntity", message: "The role policy with name nope cannot be found.", status: 404 });
    await assertAwsError(iam.send(new PutRolePolicyCommand({ RoleName: "ghost", PolicyName: "p", PolicyDocument: text })), {
      code: "NoSuchEntity",
      message: "The role with name ghost cannot be found.",
      status: 404,
    });
    await assertAwsError(iam.send(new PutUserPolicyCommand({ UserName: "ops", PolicyName: "too-big", PolicyDocument: doc("s3:GetObject", `arn:aws:s3:::${"b".repeat(2100)}`) })), {
      code: "LimitExceeded",
      message: "Cannot exceed quota for UserPolicySize: 2048",
      status: 409,
    });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "fn", PolicyName: "inline-1" }));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: "fn" }))).PolicyNames, []);
  });

  it("boto3 decodes the document into a dict", async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: "fn", PolicyName: "inline-2", PolicyDocument: doc("sqs:SendMessage") }));
    const out = await python(
      server.endpoint,
      [
        "iam = boto3.client('iam', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='111122223333', aws_secret_access_key='x')",
        "print(json.dumps(iam.get_role_policy(RoleName='fn', PolicyName='inline-2')['PolicyDocument']))",
      ].join("\n"),
    );
    assert.deepEqual(out, JSON.parse(doc("sqs:SendMessage")));
  });
});

describe("account views", () => {
  it("summarizes the account", async () => {
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.deepEqual(
      [summary.Users, summary.Groups, summary.Roles, summary.Policies, summary.PolicyVersionsInUse, summary.AccessKeysPerUserQuota, summary.VersionsPerPolicyQuota],
      [1, 1, 1, 1, 2, 2, 5],
    );
  });

  it("lists everything in GetAccountAuthorizationDetails, paged", async () => {
    const all = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    assert.deepEqual(all.UserDetailList!.map((u) => [u.UserName, u.AttachedManagedPolicies!.length]), [["ops", 1]]);
    assert.deepEqual(all.RoleDetailList!.map((r) => [r.RoleName, r.RolePolicyList!.map((p) => p.PolicyName)]), [["fn", ["inline-2"]]]);
    assert.deepEqual(all.Policies!.map((p) => p.PolicyName).sort(), ["AWSLambdaBasicExecutionRole", "AdministratorAccess", "s3-read"]);
    const first = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1, Filter: ["Role", "LocalManagedPolicy"] }));
    assert.deepEqual([first.RoleDetailList!.length, first.Policies!.length, first.IsTruncated], [1, 0, true]);
    const rest = await iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: first.Marker, Filter: ["Role", "LocalManagedPolicy"] }));
    assert.deepEqual([rest.RoleDetailList!.length, rest.Policies!.map((p) => p.PolicyName), rest.IsTruncated], [0, ["s3-read"], false]);
  });
});
