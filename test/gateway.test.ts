import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { gzipSync } from "node:zlib";
import type { Terrarium } from "../src/index.js";
import { clientConfig, startTestServer } from "./helpers.js";

let server: Terrarium;
before(async () => {
  server = await startTestServer({ accountId: "123456789012" });
});
after(() => server.stop());

function signed(service: string, extra: Record<string, string> = {}) {
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
    ...extra,
  };
}

describe("gateway", () => {
  it("names a service it does not serve", async () => {
    const res = await fetch(server.endpoint + "/", {
      method: "POST",
      headers: signed("ec2", { "content-type": "application/x-www-form-urlencoded" }),
      body: "Action=DescribeInstances&Version=2016-11-15",
    });
    assert.equal(res.status, 501);
    const text = (await res.text()).replace(/&apos;/g, "'");
    assert.match(text, /<Code>UnknownService<\/Code>/);
    assert.match(text, /does not serve the service 'ec2'/);
  });

  it("answers an unknown query action with InvalidAction", async () => {
    const res = await fetch(server.endpoint + "/", {
      method: "POST",
      headers: signed("sts", { "content-type": "application/x-www-form-urlencoded" }),
      body: "Action=FlyToTheMoon&Version=2011-06-15",
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /<Code>InvalidAction<\/Code>[\s\S]*The action FlyToTheMoon is not valid for this web service\./);
  });

  it("answers an unknown JSON target with UnknownOperationException", async () => {
    const res = await fetch(server.endpoint + "/", {
      method: "POST",
      headers: signed("dynamodb", { "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDB_20120810.Teleport" }),
      body: "{}",
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { __type: string };
    assert.match(body.__type, /UnknownOperationException$/);
  });

  it("answers NotImplemented, in the request's protocol, for a modelled operation without a handler", async () => {
    const res = await fetch(server.endpoint + "/", {
      method: "POST",
      headers: signed("kms", { "content-type": "application/x-amz-json-1.1", "x-amz-target": "TrentService.ListKeys" }),
      body: "{}",
    });
    assert.equal(res.status, 501);
    const body = (await res.json()) as { __type: string; message: string };
    assert.match(body.__type, /NotImplemented$/);
    assert.equal(body.message, "The operation ListKeys of service kms is not implemented by Terrarium yet.");
    assert.ok(res.headers.get("x-amzn-requestid"));
  });

  it("takes the account from a 12-digit access key, else the configured default", async () => {
    const byKey = new STSClient({ ...clientConfig(server.endpoint), credentials: { accessKeyId: "111122223333", secretAccessKey: "x" } });
    assert.equal((await byKey.send(new GetCallerIdentityCommand({}))).Account, "111122223333");
    const byDefault = new STSClient(clientConfig(server.endpoint));
    assert.equal((await byDefault.send(new GetCallerIdentityCommand({}))).Account, "123456789012");
    byKey.destroy();
    byDefault.destroy();
  });

  it("accepts requests without credentials", async () => {
    const res = await fetch(server.endpoint + "/?Action=GetCallerIdentity&Version=2011-06-15");
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<Account>123456789012<\/Account>/);
  });

  it("decompresses gzip bodies of operations with the requestcompression trait", async () => {
    const headers = signed("monitoring", { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.PutMetricData", "content-encoding": "gzip" });
    const body = gzipSync(JSON.stringify({ Namespace: "app", MetricData: [{ MetricName: "m", Value: 1 }] }));
    const ok = await fetch(server.endpoint + "/", { method: "POST", headers, body });
    // Parsed (so decompressed), then refused only because CloudWatch is not implemented yet.
    assert.equal(ok.status, 501);
    const bad = await fetch(server.endpoint + "/", { method: "POST", headers, body: Buffer.from("not gzip") });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /not valid gzip/);
  });
});
