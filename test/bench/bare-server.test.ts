import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { type RunningTarget, setCannedAnswers, startTarget, TARGETS } from "../../bench/targets.js";
import { WORKLOADS } from "../../bench/workloads/index.js";
import { isMeasured, type Workload } from "../../bench/workloads/types.js";

// The bare server (bench/bare-server.mjs) and the canned answers each workload
// declares for its SDK row: every one must satisfy the real SDK client, or the
// ceiling row would time errors. A few calls each, no load.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The bare server runs load workloads only (a measured one needs a real store). */
const LOAD_WORKLOADS = WORKLOADS.filter((w): w is Workload => !isMeasured(w));

function send(endpoint: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL("/", endpoint), { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end("Action=Anything");
  });
}

describe("bare server", () => {
  let bare: RunningTarget;
  before(async () => {
    bare = await startTarget(TARGETS.bare, TARGETS.bare.resolve(), 10_000);
  });
  after(async () => {
    await bare?.stop();
  });

  it("answers the fixed body by default, a single canned answer to everything, and the default again after an empty list", async () => {
    assert.match((await send(bare.endpoint)).body, /<Result>ok<\/Result>/);
    await setCannedAnswers(bare.endpoint, [{ status: 201, headers: { "content-type": "text/plain" }, body: "canned" }]);
    assert.deepEqual(await send(bare.endpoint, { "x-amz-target": "Whatever.Op" }), { status: 201, body: "canned" });
    await setCannedAnswers(bare.endpoint, []);
    assert.match((await send(bare.endpoint)).body, /<Result>ok<\/Result>/);
  });

  it("chooses among several answers by X-Amz-Target, and refuses a request none names", async () => {
    await setCannedAnswers(bare.endpoint, [
      { amzTarget: "Svc.A", status: 200, headers: {}, body: "a" },
      { amzTarget: "Svc.B", status: 200, headers: {}, body: "b" },
    ]);
    try {
      assert.equal((await send(bare.endpoint, { "x-amz-target": "Svc.B" })).body, "b");
      assert.equal((await send(bare.endpoint, { "x-amz-target": "Svc.A" })).body, "a");
      assert.equal((await send(bare.endpoint, { "x-amz-target": "Svc.C" })).status, 400);
    } finally {
      await setCannedAnswers(bare.endpoint, []);
    }
  });

  it("refuses a control request that is not a JSON list", async () => {
    await assert.rejects(setCannedAnswers(bare.endpoint, "nonsense" as never), /HTTP 400/);
  });

  for (const workload of LOAD_WORKLOADS) {
    const ceiling = workload.ceilingSdk;
    if (!ceiling) continue;
    it(`${workload.name}: the SDK call succeeds on the canned answers`, async () => {
      await setCannedAnswers(bare.endpoint, ceiling.answers);
      const prepared = ceiling.prepare({ endpoint: bare.endpoint, concurrency: 2 });
      try {
        // Twice: a call that keeps state between calls (a counter) must work after the first too.
        await prepared.call();
        await prepared.call();
      } finally {
        await prepared.close();
        await setCannedAnswers(bare.endpoint, []);
      }
    });
  }

  it("has an SDK row for the workloads with an issue target", () => {
    const missing = LOAD_WORKLOADS.filter((w) => w.sdkCpuTargetMs !== undefined && !w.ceilingSdk).map((w) => w.name);
    assert.deepEqual(missing, []);
  });
});
