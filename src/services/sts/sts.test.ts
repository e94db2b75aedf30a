import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import {
  AssumeRoleCommand,
  AssumeRoleWithSAMLCommand,
  AssumeRoleWithWebIdentityCommand,
  AssumeRootCommand,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { assertAwsError, awsCli, python, useTestServer, type AwsKeys } from "../../../test/helpers.js";

// STS through the real clients, and the credentials it issues used as clients would
// use them. Expected errors are AWS's (sources cited next to each handler).

const server = await useTestServer();
const sts = server.client(STSClient);
const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] });
const ROLE = "arn:aws:iam::000000000000:role/deployer";

before(async () => {
  await server.client(IAMClient).send(new CreateRoleCommand({ RoleName: "deployer", AssumeRolePolicyDocument: trust }));
});

/** A client acting with keys STS issued (or any others). */
const stsAs = (keys: AwsKeys): STSClient => server.client(STSClient, { keys });

function jwt(claims: object): string {
  return `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2lnbmF0dXJl`;
}

describe("STS caller identity", () => {
  it("answers the account root for keys it did not issue", async () => {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual([me.Account, me.Arn, me.UserId], ["000000000000", "arn:aws:iam::000000000000:root", "000000000000"]);
    const other = server.client(STSClient, { account: "444455556666" });
    assert.equal((await other.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::444455556666:root");
    other.destroy();
  });

  it("GetAccessKeyInfo: issued keys by their account, unknown keys the default", async () => {
    assert.equal((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: "AKIAIOSFODNN7EXAMPLE" }))).Account, "000000000000");
  });
});

describe("AssumeRole", () => {
  it("refuses roles that do not exist, as AWS does", async () => {
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/nope", RoleSessionName: "s1" })), {
      code: "AccessDenied",
      message: "User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/nope",
      status: 403,
    });
    // The path is part of the role's ARN.
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/other/deployer", RoleSessionName: "s1" })), {
      code: "AccessDenied",
      message: "User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/other/deployer",
      status: 403,
    });
    // Recorded against AWS: LocalStack test_sts.snapshot.json, test_sts_invalid_parameters.
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: "arn:a:::something/test-role", RoleSessionName: "s1" })), {
      code: "ValidationError",
      message: "arn:a:::something/test-role is invalid",
      status: 400,
    });
  });

  it("issues credentials that act as the role session, expiring on Terrarium's clock", async () => {
    await server.advanceClock(86_400);
    const now = await server.clockNow();
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "ci-run", DurationSeconds: 900 }));
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    assert.match(out.Credentials!.SessionToken!, /^IQoJb3JpZ2luX2Vj/);
    assert.equal(out.AssumedRoleUser!.Arn, "arn:aws:sts::000000000000:assumed-role/deployer/ci-run");
    assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z0-9]{17}:ci-run$/);
    assert.equal(out.PackedPolicySize, undefined);
    const expiresIn = out.Credentials!.Expiration!.getTime() - now;
    assert.ok(expiresIn > 895_000 && expiresIn <= 901_000, String(expiresIn));

    const asRole = stsAs(out.Credentials!);
    const me = await asRole.send(new GetCallerIdentityCommand({}));
    assert.deepEqual([me.Arn, me.UserId, me.Account], [out.AssumedRoleUser!.Arn, out.AssumedRoleUser!.AssumedRoleId, "000000000000"]);

    // Role chaining: at most one hour, and a session cannot ask for session tokens.
    await assertAwsError(asRole.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "chained", DurationSeconds: 7200 })), {
      code: "ValidationError",
      message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      status: 400,
    });
    const chained = await asRole.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "chained" }));
    assert.equal(chained.AssumedRoleUser!.Arn, "arn:aws:sts::000000000000:assumed-role/deployer/chained");
    await assertAwsError(asRole.send(new GetSessionTokenCommand({})), { code: "AccessDenied", message: "Cannot call GetSessionToken with session credentials", status: 403 });
    asRole.destroy();
  });

  it("assumes roles in other accounts, within their MaxSessionDuration", async () => {
    const other = server.client(IAMClient, { account: "222233334444" });
    const { Role } = await other.send(new CreateRoleCommand({ RoleName: "cross", AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }));
    other.destroy();
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "x1", DurationSeconds: 7200 }));
    assert.equal((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: out.Credentials!.AccessKeyId! }))).Account, "222233334444");
    const asRole = stsAs(out.Credentials!);
    assert.equal((await asRole.send(new GetCallerIdentityCommand({}))).Account, "222233334444");
    asRole.destroy();
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "x1", DurationSeconds: 7201 })), {
      code: "ValidationError",
      message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      status: 400,
    });
  });

  it("sizes session policies and checks session tags", async () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "scoped", Policy: policy }));
    assert.equal(out.PackedPolicySize, Math.ceil((policy.length / 2048) * 100));
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "scoped", Policy: "{not json" })), { code: "MalformedPolicyDocument" });
    const huge = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 100 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] });
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "scoped", Policy: huge })), {
      code: "PackedPolicyTooLarge",
      message: /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/,
    });
    // Recorded against AWS: LocalStack test_sts.snapshot.json, test_assume_role_tag_validation.
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "tagged", Tags: [{ Key: "team", Value: "a" }, { Key: "Team", Value: "b" }] })), {
      code: "InvalidParameterValue",
      message: "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
      status: 400,
    });
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "tagged", Tags: [{ Key: "team", Value: "a" }], TransitiveTagKeys: ["env"] })), {
      code: "InvalidParameterValue",
      message: "The specified transitive tag key must be included in the requested tags.",
      status: 400,
    });
  });

  it("validates DurationSeconds and RoleSessionName from the model", async () => {
    await assertAwsError(sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "bad name!", DurationSeconds: 100 })), {
      code: "ValidationError",
      message:
        "2 validation errors detected: Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
        "Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
  });
});

describe("federation", () => {
  it("AssumeRoleWithWebIdentity reads the JWT without a signed request", async () => {
    const token = jwt({ sub: "repo:acme/app:ref:refs/heads/main", aud: "sts.amazonaws.com", iss: "https://token.actions.githubusercontent.com" });
    // No credentials at all: the AWS CLI sends this operation unsigned.
    const body = new URLSearchParams({ Action: "AssumeRoleWithWebIdentity", Version: "2011-06-15", RoleArn: ROLE, RoleSessionName: "gh", WebIdentityToken: token });
    const raw = await fetch(server.endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    assert.equal(raw.status, 200);

    const out = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE, RoleSessionName: "gh", WebIdentityToken: token }));
    assert.equal(out.SubjectFromWebIdentityToken, "repo:acme/app:ref:refs/heads/main");
    assert.equal(out.Audience, "sts.amazonaws.com");
    assert.equal(out.Provider, "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com");
    assert.equal(out.AssumedRoleUser!.Arn, "arn:aws:sts::000000000000:assumed-role/deployer/gh");
    const asRole = stsAs(out.Credentials!);
    assert.equal((await asRole.send(new GetCallerIdentityCommand({}))).Arn, out.AssumedRoleUser!.Arn);
    asRole.destroy();
  });

  it("AssumeRoleWithWebIdentity refuses bad tokens and missing roles", async () => {
    const call = (token: string, roleArn = ROLE) => sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: "gh", WebIdentityToken: token }));
    await assertAwsError(call("not-a-jwt-at-all"), {
      code: "InvalidIdentityToken",
      message: "The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.",
      status: 400,
    });
    const expired = jwt({ sub: "u", aud: "a", iss: "https://issuer.example", exp: Math.floor((await server.clockNow()) / 1000) - 60 });
    await assertAwsError(call(expired), {
      code: "ExpiredTokenException",
      message: "The web identity token that was passed is expired or is not valid. Get a new identity token from the identity provider and then retry the request.",
      status: 400,
    });
    await assertAwsError(call(jwt({ sub: "u" }), "arn:aws:iam::000000000000:role/nope"), { code: "AccessDenied", message: "Not authorized to perform sts:AssumeRoleWithWebIdentity", status: 403 });
  });

  it("AssumeRoleWithSAML reads the assertion", async () => {
    const assertion = [
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.com/</Issuer>',
      '<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>https://idp.example.com/</Issuer>',
      '<Subject><NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">user-7</NameID>',
      '<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData Recipient="https://signin.aws.amazon.com/saml"/></SubjectConfirmation></Subject>',
      '<AttributeStatement><Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><AttributeValue>jane</AttributeValue></Attribute>',
      '<Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><AttributeValue>1800</AttributeValue></Attribute></AttributeStatement>',
      "</Assertion></samlp:Response>",
    ].join("");
    const provider = "arn:aws:iam::000000000000:saml-provider/Corp";
    const now = await server.clockNow();
    const out = await sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: provider, SAMLAssertion: Buffer.from(assertion).toString("base64") }));
    assert.equal(out.AssumedRoleUser!.Arn, "arn:aws:sts::000000000000:assumed-role/deployer/jane");
    assert.deepEqual([out.Subject, out.SubjectType, out.Issuer, out.Audience], ["user-7", "persistent", "https://idp.example.com/", "https://signin.aws.amazon.com/saml"]);
    assert.equal(out.NameQualifier, createHash("sha1").update("https://idp.example.com/000000000000/Corp").digest("base64"));
    const expiresIn = out.Credentials!.Expiration!.getTime() - now;
    assert.ok(expiresIn > 1_795_000 && expiresIn <= 1_801_000, String(expiresIn));
  });
});

describe("session tokens", () => {
  it("GetSessionToken keeps the caller, at most an hour for the root user", async () => {
    const now = await server.clockNow();
    const session = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    assert.ok(session.Credentials!.Expiration!.getTime() - now <= 3_601_000);
    const asSession = stsAs(session.Credentials!);
    assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::000000000000:root");
    asSession.destroy();
  });

  it("GetFederationToken makes a federated user", async () => {
    const fed = await sts.send(new GetFederationTokenCommand({ Name: "bob" }));
    assert.deepEqual(fed.FederatedUser, { Arn: "arn:aws:sts::000000000000:federated-user/bob", FederatedUserId: "000000000000:bob" });
    assert.equal(fed.PackedPolicySize, 0);
    const asBob = stsAs(fed.Credentials!);
    assert.equal((await asBob.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:sts::000000000000:federated-user/bob");
    await assertAwsError(asBob.send(new GetFederationTokenCommand({ Name: "again" })), { code: "AccessDenied", message: "Cannot call GetFederationToken with session credentials", status: 403 });
    asBob.destroy();
  });

  it("AssumeRoot answers a member account's root", async () => {
    const out = await sts.send(new AssumeRootCommand({ TargetPrincipal: "555566667777", TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" } }));
    const asRoot = stsAs(out.Credentials!);
    assert.equal((await asRoot.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::555566667777:root");
    asRoot.destroy();
  });

  it("DecodeAuthorizationMessage has nothing to decode", async () => {
    await assertAwsError(sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: "abc" })), { code: "InvalidAuthorizationMessageException", status: 400 });
  });
});

describe("STS credential expiry", () => {
  it("refuses temporary credentials once the clock passes their Expiration", async () => {
    const { Credentials: c } = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const client = stsAs(c!);
    assert.equal((await client.send(new GetCallerIdentityCommand({}))).Account, "000000000000");
    await server.advanceClock(901);
    await assertAwsError(client.send(new GetCallerIdentityCommand({})), { code: "ExpiredToken", message: "The security token included in the request is expired", status: 403 });
    client.destroy();
  });
});

describe("STS from boto3 and the AWS CLI", () => {
  it("boto3 assumes a role and the CLI runs a web identity exchange unsigned", async () => {
    const fromBoto = await python(
      server.endpoint,
      "r = client('sts').assume_role(RoleArn='arn:aws:iam::000000000000:role/deployer', RoleSessionName='py')\nprint(json.dumps([r['AssumedRoleUser']['Arn'], r['Credentials']['AccessKeyId'][:4]]))",
    );
    assert.deepEqual(fromBoto, ["arn:aws:sts::000000000000:assumed-role/deployer/py", "ASIA"]);
    const token = jwt({ sub: "system:serviceaccount:default:app", aud: "sts.amazonaws.com", iss: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC" });
    const cli = await awsCli(server.endpoint, ["sts", "assume-role-with-web-identity", "--role-arn", ROLE, "--role-session-name", "pod", "--web-identity-token", token]);
    assert.equal(cli.SubjectFromWebIdentityToken, "system:serviceaccount:default:app");
    assert.equal(cli.Provider, "arn:aws:iam::000000000000:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
    assert.equal((await awsCli(server.endpoint, ["sts", "get-caller-identity"])).Account, "000000000000");
  });
});
