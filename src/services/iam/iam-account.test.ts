import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateAccountAliasCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteAccountAliasCommand,
  DeleteAccountPasswordPolicyCommand,
  DeleteOpenIDConnectProviderCommand,
  GetAccountPasswordPolicyCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListOpenIDConnectProvidersCommand,
  TagOpenIDConnectProviderCommand,
  UpdateAccountPasswordPolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { assertAwsError, useTestServer } from "../../../test/helpers.js";

// Account-level IAM: OpenID Connect providers, the password policy and the account
// alias. Expected answers recorded against AWS: LocalStack test_iam_oidc,
// test_iam_account_password_policy and test_iam_account_aliases snapshots.

const ACCOUNT = "777788889999";
const server = await useTestServer();
const iam = server.client(IAMClient, { account: ACCOUNT });

describe("OpenID Connect providers", () => {
  it("registers a provider that web identity sessions name", async () => {
    const url = "https://token.actions.githubusercontent.com";
    const { OpenIDConnectProviderArn: arn } = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: ["sts.amazonaws.com"] }));
    assert.equal(arn, `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);
    await assertAwsError(iam.send(new CreateOpenIDConnectProviderCommand({ Url: url })), { code: "EntityAlreadyExists", message: `Provider with url ${url} already exists.`, status: 409 });
    await assertAwsError(iam.send(new CreateOpenIDConnectProviderCommand({ Url: "http://insecure.example.com" })), {
      code: "ValidationError",
      message: "Invalid Open ID Connect Provider URL",
      status: 400,
    });

    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: "my-app" }));
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: "k2", Value: "v2" }, { Key: "k1", Value: "v1" }] }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.deepEqual([got.Url, got.ClientIDList, got.ThumbprintList, got.Tags], [
      "token.actions.githubusercontent.com",
      ["sts.amazonaws.com", "my-app"],
      [],
      [{ Key: "k1", Value: "v1" }, { Key: "k2", Value: "v2" }],
    ]);
    assert.deepEqual((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, [{ Arn: arn }]);

    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Federated: arn }, Action: "sts:AssumeRoleWithWebIdentity" }],
    });
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: "gha", AssumeRolePolicyDocument: trust }));
    const sts = server.client(STSClient);
    const claims = Buffer.from(JSON.stringify({ sub: "repo:o/r:ref:refs/heads/main", aud: "sts.amazonaws.com", iss: url })).toString("base64url");
    const out = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: Role!.Arn, RoleSessionName: "gha", WebIdentityToken: `e30.${claims}.c2ln` }));
    assert.equal(out.Provider, arn);
    sts.destroy();

    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await assertAwsError(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), {
      code: "NoSuchEntity",
      message: `OpenIDConnect Provider not found for arn ${arn}`,
      status: 404,
    });
    await assertAwsError(iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), {
      code: "NoSuchEntity",
      message: `OpenId connect Provider ${arn} cannot be found.`,
      status: 404,
    });
  });
});

describe("password policy and account alias", () => {
  it("fills in the password policy's defaults", async () => {
    await assertAwsError(iam.send(new GetAccountPasswordPolicyCommand({})), { code: "NoSuchEntity", message: `The Password Policy with domain name ${ACCOUNT} cannot be found.`, status: 404 });
    await iam.send(new UpdateAccountPasswordPolicyCommand({}));
    assert.deepEqual((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy, {
      AllowUsersToChangePassword: false,
      ExpirePasswords: false,
      MinimumPasswordLength: 6,
      RequireLowercaseCharacters: false,
      RequireNumbers: false,
      RequireSymbols: false,
      RequireUppercaseCharacters: false,
    });
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 60, HardExpiry: true, MinimumPasswordLength: 10 }));
    const custom = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
    assert.deepEqual([custom.ExpirePasswords, custom.MaxPasswordAge, custom.HardExpiry, custom.MinimumPasswordLength], [true, 60, true, 10]);
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    await assertAwsError(iam.send(new DeleteAccountPasswordPolicyCommand({})), { code: "NoSuchEntity", message: "The account policy with name PasswordPolicy cannot be found.", status: 404 });
  });

  it("keeps one account alias", async () => {
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: "acme-dev" }));
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ["acme-dev"]);
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: "acme-dev" }));
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
  });
});
