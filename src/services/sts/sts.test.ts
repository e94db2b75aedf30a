import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import type { Terrarium } from "../../index.js";
import { awsCli, clientConfig, python, startTestServer } from "../../../test/helpers.js";

let server: Terrarium;
let sts: STSClient;
let iam: IAMClient;
const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] });

before(async () => {
  server = await startTestServer();
  sts = new STSClient(clientConfig(server.endpoint));
  iam = new IAMClient(clientConfig(server.endpoint));
});
after(async () => {
  sts.destroy();
  iam.destroy();
  await server.stop();
});

function withCredentials(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) {
  return new STSClient({ ...clientConfig(server.endpoint), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });
}

describe("STS", () => {
  it("GetCallerIdentity answers the account root for unknown keys", async () => {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual({ Account: me.Account, Arn: me.Arn, UserId: me.UserId }, { Account: "000000000000", Arn: "arn:aws:iam::000000000000:root", UserId: "000000000000" });
  });

  it("AssumeRole of a role that does not exist is AccessDenied, as on AWS", async () => {
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/nope", RoleSessionName: "s1" })), (e: any) => {
      assert.equal(e.name, "AccessDenied");
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.equal(e.message, "User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/nope");
      return true;
    });
  });

  it("AssumeRole issues credentials that act as the assumed role", async () => {
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: "deployer", AssumeRolePolicyDocument: trust }));
    const before = Date.parse((await (await fetch(server.endpoint + "/_terrarium/clock")).json() as { now: string }).now);
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "ci-run", DurationSeconds: 900 }));
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(out.AssumedRoleUser!.Arn, "arn:aws:sts::000000000000:assumed-role/deployer/ci-run");
    assert.equal(out.AssumedRoleUser!.AssumedRoleId, `${Role!.RoleId}:ci-run`);
    const expires = out.Credentials!.Expiration!.getTime() - before;
    assert.ok(expires > 890_000 && expires <= 901_000, String(expires));
    const asRole = withCredentials(out.Credentials!);
    const me = await asRole.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, "arn:aws:sts::000000000000:assumed-role/deployer/ci-run");
    assert.equal(me.UserId, `${Role!.RoleId}:ci-run`);
    asRole.destroy();
  });

  it("AssumeRole into another account maps the new keys to that account", async () => {
    const other = new IAMClient({ ...clientConfig(server.endpoint), credentials: { accessKeyId: "222233334444", secretAccessKey: "x" } });
    const { Role } = await other.send(new CreateRoleCommand({ RoleName: "cross", AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }));
    other.destroy();
    assert.equal(Role!.Arn, "arn:aws:iam::222233334444:role/cross");
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "x1", DurationSeconds: 7200 }));
    const key = out.Credentials!.AccessKeyId!;
    assert.equal((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: key }))).Account, "222233334444");
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: "x1", DurationSeconds: 7201 })), /exceeds the MaxSessionDuration/);
  });

  it("validates DurationSeconds and RoleSessionName from the model", async () => {
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::000000000000:role/deployer", RoleSessionName: "bad name!", DurationSeconds: 100 })), (e: any) => {
      assert.equal(e.name, "ValidationError");
      assert.equal(
        e.message,
        "2 validation errors detected: Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
          "Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      );
      return true;
    });
  });

  it("AssumeRoleWithWebIdentity reads the token's subject and audience", async () => {
    const payload = Buffer.from(JSON.stringify({ sub: "user-42", aud: "my-client", iss: "https://token.actions.githubusercontent.com" })).toString("base64url");
    const token = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln`;
    const out = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::000000000000:role/deployer", RoleSessionName: "gh", WebIdentityToken: token }));
    assert.equal(out.SubjectFromWebIdentityToken, "user-42");
    assert.equal(out.Audience, "my-client");
    assert.equal(out.Provider, "token.actions.githubusercontent.com");
    await assert.rejects(
      sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: "arn:aws:iam::000000000000:role/deployer", RoleSessionName: "gh", WebIdentityToken: "not-a-jwt-at-all" })),
      (e: any) => e.name === "InvalidIdentityTokenException" && e.$metadata.httpStatusCode === 400,
    );
  });

  it("GetSessionToken and GetFederationToken keep the caller's account", async () => {
    const session = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    const asSession = withCredentials(session.Credentials!);
    assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::000000000000:root");
    asSession.destroy();
    const fed = await sts.send(new GetFederationTokenCommand({ Name: "bob" }));
    assert.equal(fed.FederatedUser!.Arn, "arn:aws:sts::000000000000:federated-user/bob");
    assert.equal(fed.FederatedUser!.FederatedUserId, "000000000000:bob");
  });

  it("GetAccessKeyInfo: 12-digit keys are accounts, unknown keys the default", async () => {
    assert.equal((await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: "AKIAIOSFODNN7EXAMPLE" }))).Account, "000000000000");
  });

  it("works from boto3 and the AWS CLI", async () => {
    const fromBoto = await python(server.endpoint, "print(json.dumps(client('sts').get_caller_identity()['Arn']))");
    assert.equal(fromBoto, "arn:aws:iam::000000000000:root");
    const assumed = await python(
      server.endpoint,
      "r = client('sts').assume_role(RoleArn='arn:aws:iam::000000000000:role/deployer', RoleSessionName='py')\nprint(json.dumps(r['AssumedRoleUser']['Arn']))",
    );
    assert.equal(assumed, "arn:aws:sts::000000000000:assumed-role/deployer/py");
    const cli = await awsCli(server.endpoint, ["sts", "get-caller-identity"]);
    assert.equal(cli.Account, "000000000000");
  });
});
