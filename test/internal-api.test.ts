import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { Terrarium } from "../src/index.js";
import { clientConfig, startTestServer } from "./helpers.js";

let server: Terrarium;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(server.endpoint + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

describe("internal endpoints", () => {
  it("reports health with version, uptime and every modelled service", async () => {
    const { status, json } = await call("GET", "/_terrarium/health");
    assert.equal(status, 200);
    assert.match(json.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof json.uptimeSeconds, "number");
    assert.equal(json.services.sts === "available" || json.services.sts === "running", true);
    assert.equal(json.services.sagemaker, "not implemented");
    assert.equal(Object.keys(json.services).length, 23);
  });

  it("answers 404 for a service route that does not exist", async () => {
    const { status, json } = await call("GET", "/_terrarium/sts/no-such-route");
    assert.equal(status, 404);
    assert.equal(json.error, "NotFound");
    assert.equal((await call("GET", "/_terrarium/nope/x")).status, 404);
  });

  it("answers LocalStack's health shape", async () => {
    const { status, json } = await call("GET", "/_localstack/health");
    assert.equal(status, 200);
    assert.equal(json.edition, "community");
    assert.ok(["available", "running"].includes(json.services.iam));
    assert.equal(json.services.kms, "disabled");
  });

  it("resets one service or everything, also through moto's alias", async () => {
    const iam = new IAMClient(clientConfig(server.endpoint));
    await iam.send(new CreateUserCommand({ UserName: "reset-me" }));
    assert.equal((await iam.send(new ListUsersCommand({}))).Users?.length, 1);
    assert.equal((await call("POST", "/_terrarium/reset?service=sqs")).status, 200);
    assert.equal((await iam.send(new ListUsersCommand({}))).Users?.length, 1);
    assert.deepEqual((await call("POST", "/_terrarium/reset?service=iam")).json, { reset: "iam" });
    assert.equal((await iam.send(new ListUsersCommand({}))).Users?.length, 0);
    await iam.send(new CreateUserCommand({ UserName: "reset-me-too" }));
    assert.equal((await call("POST", "/moto-api/reset")).status, 200);
    assert.equal((await iam.send(new ListUsersCommand({}))).Users?.length, 0);
    assert.equal((await call("POST", "/_terrarium/reset?service=nope")).status, 400);
    iam.destroy();
  });

  it("resetting a service revokes the access keys it issued", async () => {
    const iam = new IAMClient(clientConfig(server.endpoint));
    await iam.send(new CreateUserCommand({ UserName: "key-holder" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "key-holder" }));
    const sts = new STSClient({ ...clientConfig(server.endpoint), credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::000000000000:user/key-holder");
    await call("POST", "/_terrarium/reset?service=iam");
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, "arn:aws:iam::000000000000:root");
    iam.destroy();
    sts.destroy();
  });

  it("advances the shared clock and never moves it backwards", async () => {
    const before = Date.parse((await call("GET", "/_terrarium/clock")).json.now);
    const fired: number[] = [];
    server.clock.after(600_000, () => fired.push(1));
    const { status, json } = await call("POST", "/_terrarium/clock", { advanceSeconds: 900 });
    assert.equal(status, 200);
    assert.ok(Date.parse(json.now) - before >= 900_000);
    assert.deepEqual(fired, [1]);
    assert.equal((await call("POST", "/_terrarium/clock", { advanceSeconds: -5 })).status, 400);
    assert.equal((await call("POST", "/_terrarium/clock", { advanceSeconds: "x" })).status, 400);
  });

  it("answers CORS preflights and adds CORS headers for browsers", async () => {
    const pre = await fetch(server.endpoint + "/", {
      method: "OPTIONS",
      headers: { Origin: "http://app.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-amz-date,authorization" },
    });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get("access-control-allow-origin"), "http://app.test");
    assert.equal(pre.headers.get("access-control-allow-headers"), "x-amz-date,authorization");
    const res = await fetch(server.endpoint + "/", {
      method: "POST",
      headers: { Origin: "http://app.test", "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), "http://app.test");
    assert.match(res.headers.get("access-control-expose-headers") ?? "", /x-amzn-requestid/);
  });
});
