import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { encode as cborEncode } from "cbor-x";
import { loadModelIndex } from "../src/models/load.js";
import type { Terrarium } from "../src/index.js";
import { clientConfig, startTestServer } from "./helpers.js";

// 10,000+ malformed requests against a running server: random bytes, truncated
// JSON/XML/CBOR, wrong content types, huge headers, bogus SigV4. Every one must
// get an answer (no hang), none a 500 or a stack trace, and afterwards the server
// still answers correctly with its data intact. Seeded, so failures reproduce.

let server: Terrarium;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const services = loadModelIndex();
const targets = services.filter((s) => s.targetPrefix).flatMap((s) => s.operations.slice(0, 8).map((op) => `${s.targetPrefix}.${op}`));
const signingNames = [...new Set(services.map((s) => s.signingName))].concat(["ec2", "", "s3/x", "../.."]);
const queryActions = services.filter((s) => s.protocol === "query").flatMap((s) => s.operations.slice(0, 10).map((op) => [s.apiVersion, op]));

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function generator(random: () => number) {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const truncate = (b: Buffer) => b.subarray(0, Math.floor(random() * b.length));
  const auth = () =>
    pick([
      `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${pick(signingNames)}/aws4_request, SignedHeaders=host, Signature=00`,
      `AWS4-HMAC-SHA256 Credential=${bytes(8).toString("hex")}`,
      "AWS4-HMAC-SHA256 Credential=////aws4_request",
      `AWS ${bytes(6).toString("base64")}:sig`,
      bytes(40).toString("latin1").replace(/[^\x20-\x7e]/g, "?"),
      "",
    ]);
  const json = () => JSON.stringify({ TableName: "t".repeat(Math.floor(random() * 300)), Limit: pick([1, -1, "x", null, 1e309, {}]), Key: { id: { S: pick(["", "a", 1, []]) } }, Nested: { a: [1, { b: null }] } });
  const kinds: (() => FuzzRequest)[] = [
    () => ({ method: "POST", path: "/", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": pick(targets), authorization: auth() }, body: bytes(Math.floor(random() * 200)) }),
    () => ({ method: "POST", path: "/", headers: { "content-type": pick(["application/x-amz-json-1.1", "application/x-amz-json-1.0", "text/plain", "application/json"]), "x-amz-target": pick(targets) }, body: truncate(Buffer.from(json())) }),
    () => ({ method: "POST", path: "/", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": pick(targets) }, body: Buffer.from(json()) }),
    () => {
      const [version, action] = pick(queryActions);
      const body = `Action=${action}&Version=${version}&${pick(["UserName", "RoleName", "PolicyDocument", "MaxItems", "Tags.member.1.Key", "Foo.member.x"])}=${pick(["%", "%zz", "", "x".repeat(2000), "{", "-1", "99999999999999999999"])}`;
      return { method: pick(["POST", "GET"]), path: "/", headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth() }, body: random() < 0.5 ? Buffer.from(body) : truncate(Buffer.from(body)) };
    },
    () => ({ method: "POST", path: `/service/${pick(["GraniteServiceVersion20100801", "Nope", ""])}/operation/${pick(["GetMetricData", "PutMetricData", "X"])}`, headers: { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor" }, body: random() < 0.5 ? bytes(Math.floor(random() * 100)) : truncate(Buffer.from(cborEncode({ Namespace: "n", MetricData: [{ MetricName: "m", Value: pick([1, "x", null]) }] }))) }),
    () => ({ method: pick(["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"]), path: pick(["/", "/bucket", "/bucket/key", "/2015-03-31/functions/f/invocations", "/restapis/x/resources", "/v2/apis", "/%", "/%zz/..%2F", "//", "/bucket?tagging"]), headers: { authorization: auth(), "content-type": pick(["application/xml", "application/json", "application/octet-stream", ""]) }, body: pick([bytes(50), Buffer.from("<Tagging><TagSet><Tag><Key>"), Buffer.from("{\"a\":"), Buffer.alloc(0)]) }),
    () => ({ method: "POST", path: "/", headers: { "x-amz-target": pick(targets), "x-huge": "h".repeat(Math.floor(random() * 20000)) }, body: Buffer.from("{}") }),
    () => ({ method: "GET", path: `/?${bytes(30).toString("latin1").replace(/[^\x21-\x7e]/g, "&")}`, headers: {}, body: Buffer.alloc(0) }),
    () => ({ method: "OPTIONS", path: pick(["/", "/bucket", "/bucket/%zz", "/%", "/2015-03-31/functions/f/invocations"]), headers: { origin: pick(["https://a.test", "", "null"]), "access-control-request-method": pick(["GET", "PUT", "PATCH", ""]), "access-control-request-headers": pick(["x-amz-date", "*", ""]) }, body: Buffer.alloc(0) }),
  ];
  return () => pick(kinds)();
}

function send(agent: Agent, r: FuzzRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, method: r.method, path: r.path, headers: { ...r.headers, "content-length": String(r.body.length) }, agent, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`hang: ${r.method} ${r.path}`)));
    req.on("error", reject);
    req.end(r.body);
  });
}

function rawGarbage(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, "127.0.0.1");
    let out = "";
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve("timeout");
    });
    socket.on("data", (d) => (out += d.toString("latin1")));
    socket.on("error", () => resolve(out || "error"));
    socket.on("close", () => resolve(out));
    socket.end(bytes);
  });
}

describe("fuzz", () => {
  it("survives 10,000 malformed requests with AWS-shaped answers", async () => {
    const iam = new IAMClient(clientConfig(server.endpoint));
    await iam.send(new CreateUserCommand({ UserName: "survivor" }));
    const next = generator(prng(20261122));
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const problems: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    const worker = async () => {
      while (sent < 10_000) {
        sent++;
        const r = next();
        try {
          const res = await send(agent, r);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500 && res.status !== 501) problems.push(`${res.status} for ${r.method} ${r.path} ${JSON.stringify(r.headers).slice(0, 200)}: ${res.body.slice(0, 300)}`);
          if (/\n\s+at .+\(.*:\d+:\d+\)/.test(res.body)) problems.push(`stack trace for ${r.method} ${r.path}`);
        } catch (error) {
          const message = (error as Error).message;
          // A header too large is refused by node:http before routing (431) and may close the socket.
          if (!/socket hang up|ECONNRESET/.test(message) || !("x-huge" in r.headers)) problems.push(message);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    agent.destroy();

    const random = prng(7);
    for (let i = 0; i < 300; i++) {
      const garbage = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
      const answer = await rawGarbage(garbage);
      if (answer === "timeout") problems.push("raw garbage hung the connection");
    }

    assert.deepEqual(problems.slice(0, 20), []);
    // The requests reached every layer: codec errors (400), missing handlers (501), routes (404), successes.
    const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
    assert.ok(answered >= 9_900, `only ${answered} answered`);
    for (const status of [200, 400, 404, 501]) assert.ok(statuses.has(status), `no ${status} among ${JSON.stringify([...statuses])}`);
    const sts = new STSClient(clientConfig(server.endpoint));
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, "000000000000");
    assert.equal((await iam.send(new GetUserCommand({ UserName: "survivor" }))).User?.UserName, "survivor");
    sts.destroy();
    iam.destroy();
  });
});
