import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { loadModelIndex } from "../src/models/load.js";
import { ServiceIdentifier } from "../src/gateway/identify-service.js";
import { readCredentialScope } from "../src/gateway/credentials.js";
import { applyDataPlaneRoutes } from "../src/gateway/data-plane-routes.js";
import { parseQueryString, type HttpRequest } from "../src/protocols/http.js";
import type { Terrarium } from "../src/index.js";
import { startTestServer } from "./helpers.js";

// One request for every operation of every modelled service, serialized by
// botocore (the reference client for every protocol): each must be identified as
// exactly that service and operation, and over HTTP reach its handler or answer
// NotImplemented naming it, never another service and never a 500.

const run = promisify(execFile);

/** S3 operations with identical wire requests: a server cannot tell them apart,
 *  and AWS answers both with the same behaviour. */
const TWINS: Record<string, string> = {
  "s3.GetBucketLifecycle": "s3.GetBucketLifecycleConfiguration",
  "s3.PutBucketLifecycle": "s3.PutBucketLifecycleConfiguration",
  "s3.GetBucketNotification": "s3.GetBucketNotificationConfiguration",
  "s3.PutBucketNotification": "s3.PutBucketNotificationConfiguration",
  "s3.ListDirectoryBuckets": "s3.ListBuckets",
};

interface Captured {
  service: string;
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  skip?: string;
}

const services = loadModelIndex();
let requests: Captured[] = [];
let server: Terrarium;

before(async () => {
  server = await startTestServer();
  const script = new URL("./tools/botocore_requests.py", import.meta.url).pathname;
  const { stdout } = await run("python3", [script, server.endpoint, ...services.map((s) => s.name)], { maxBuffer: 256 * 1024 * 1024 });
  requests = stdout.trim().split("\n").map((line) => JSON.parse(line) as Captured);
});

after(() => server.stop());

function toHttpRequest(c: Captured): HttpRequest {
  const url = new URL(c.url);
  const headers: Record<string, string> = { host: url.host };
  for (const [k, v] of Object.entries(c.headers)) headers[k.toLowerCase()] = v;
  return { method: c.method, path: url.pathname, query: parseQueryString(url.search), headers, body: Buffer.from(c.body, "base64") };
}

describe("routing", () => {
  it("botocore serialized a request for every operation of every modelled service", () => {
    const expected = services.reduce((n, s) => n + s.operations.length, 0);
    assert.equal(requests.filter((r) => !r.skip).length, expected);
  });

  it("identifies every operation of every service", () => {
    const identifier = new ServiceIdentifier(services);
    const wrong: string[] = [];
    for (const captured of requests) {
      const req = toHttpRequest(captured);
      const scope = readCredentialScope(req);
      applyDataPlaneRoutes(req, scope, "000000000000");
      const found = identifier.identify(req, scope);
      const got = found.kind === "operation" ? `${found.service}.${found.operation}` : `${found.kind}`;
      const want = `${captured.service}.${captured.operation}`;
      if (got !== want && got !== TWINS[want]) wrong.push(`${captured.service}.${captured.operation} -> ${got} (${captured.method} ${captured.url})`);
    }
    assert.deepEqual(wrong, []);
  });

  it("over HTTP, every request reaches its own service's handler or NotImplemented, never a 500", async () => {
    const wrong: string[] = [];
    const queue = [...requests];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const res = await fetch(c.url, { method: c.method, headers: c.headers, body: ["GET", "HEAD"].includes(c.method) ? undefined : Buffer.from(c.body, "base64") });
        const text = await res.text();
        if (res.status >= 500 && res.status !== 501) wrong.push(`${c.service}.${c.operation}: ${res.status} ${text.slice(0, 200)}`);
        const named = [c.operation, TWINS[`${c.service}.${c.operation}`]?.split(".")[1]].some((op) => text.includes(`${op} of service ${c.service} `));
        if (res.status === 501 && c.method !== "HEAD" && !named)
          wrong.push(`${c.service}.${c.operation}: 501 for something else: ${text.slice(0, 200)}`);
        if (/UnknownOperation|InvalidAction|UnknownService/.test(text)) wrong.push(`${c.service}.${c.operation}: ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.deepEqual(wrong, []);
  });
});
