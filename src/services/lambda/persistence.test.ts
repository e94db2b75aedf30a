import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateAliasCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, GetProvisionedConcurrencyConfigCommand, InvokeCommand,
  LambdaClient, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { clientConfig, startTestServer, testCredentials } from "../../../test/helpers.js";

// With --data-dir, what the running server keeps beside the records comes back after a
// restart: provisioned workers are started again (pointed at the new server's address),
// and an unsigned call finds another account's function URL.

const HANDLER = "exports.handler = async () => ({ type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE, endpoint: process.env.AWS_ENDPOINT_URL });";

function get(url: string, port: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", headers: { host: new URL(url).host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("provisioned concurrency and another account's function URL survive a restart", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "terrarium-lambda-restart-"));
  const running: { stop(): Promise<void> }[] = [];
  try {
    const first = await startTestServer({ dataDir });
    running.push(first);
    const a = new LambdaClient(clientConfig(first.endpoint));
    await a.send(new CreateFunctionCommand({
      FunctionName: "kept", Runtime: "nodejs20.x", Role: "arn:aws:iam::000000000000:role/r", Handler: "index.handler",
      Code: { ZipFile: zipSync({ "index.js": strToU8(HANDLER) }) },
    }));
    await waitUntilFunctionActiveV2({ client: a, maxWaitTime: 10 }, { FunctionName: "kept" });
    await a.send(new PublishVersionCommand({ FunctionName: "kept" }));
    await a.send(new CreateAliasCommand({ FunctionName: "kept", Name: "live", FunctionVersion: "1" }));
    await a.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: "kept", Qualifier: "live", ProvisionedConcurrentExecutions: 1 }));
    const other = new LambdaClient(clientConfig(first.endpoint, "us-east-1", testCredentials({ account: "222222222222" })));
    await other.send(new CreateFunctionCommand({
      FunctionName: "kept-url", Runtime: "nodejs20.x", Role: "arn:aws:iam::222222222222:role/r", Handler: "index.handler",
      Code: { ZipFile: zipSync({ "index.js": strToU8("exports.handler = async () => ({ statusCode: 200, body: 'still here' });") }) },
    }));
    const { FunctionUrl } = await other.send(new CreateFunctionUrlConfigCommand({ FunctionName: "kept-url", AuthType: "NONE" }));
    a.destroy();
    other.destroy();
    await first.stop();
    running.pop();

    const second = await startTestServer({ dataDir });
    running.push(second);
    const b = new LambdaClient(clientConfig(second.endpoint));
    let status: string | undefined;
    for (let i = 0; i < 400 && status !== "READY"; i++) {
      status = (await b.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: "kept", Qualifier: "live" }))).Status;
      if (status !== "READY") await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(status, "READY");
    const out = await b.send(new InvokeCommand({ FunctionName: "kept:live", LogType: "Tail" }));
    const body = JSON.parse(Buffer.from(out.Payload!).toString());
    assert.equal(body.type, "provisioned-concurrency");
    assert.equal(new URL(body.endpoint).port, String(second.port));
    assert.doesNotMatch(Buffer.from(out.LogResult!, "base64").toString(), /Init Duration/);
    const url = FunctionUrl!.replace(/:\d+\/$/, `:${second.port}/`);
    const res = await get(url, String(second.port));
    assert.deepEqual(res, { status: 200, body: "still here" });
    b.destroy();
  } finally {
    for (const server of running) await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
