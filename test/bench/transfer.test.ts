import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Terrarium } from "../../src/index.js";
import { CAPS, measureTransfer, s3Transfer } from "../../bench/workloads/s3-transfer.js";
import type { MeasureContext } from "../../bench/workloads/types.js";
import { startTestServer } from "../helpers.js";

// The S3 transfer workload against a real (in-process) Terrarium at a small
// size, its clients in their own processes as in the bench: every figure it
// declares comes back, a capped run says what it cut, a failed client says why.
// No timing is asserted: the figures only have to exist.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** An in-process server (so /proc readings are this process's) that `restart` replaces; `stop` stops the current one. */
async function inProcess(sizeMiB: number): Promise<{ ctx: MeasureContext; restarts(): number; stop(): Promise<void> }> {
  let terrarium: Terrarium = await startTestServer();
  let restarts = 0;
  const ctx: MeasureContext = {
    endpoint: terrarium.endpoint,
    pid: process.pid,
    quick: true,
    sizeMiB,
    async restart() {
      await terrarium.stop();
      terrarium = await startTestServer();
      restarts++;
      return { endpoint: terrarium.endpoint, pid: process.pid };
    },
  };
  return { ctx, restarts: () => restarts, stop: () => terrarium.stop() };
}

describe("S3 transfer workload", () => {
  it("uploads and downloads with both clients, each on a fresh server, and reports every declared figure", async () => {
    // 20 MiB: a 16 MiB part and a 4 MiB last part.
    const server = await inProcess(20);
    try {
      const { figures, notes } = await measureTransfer(server.ctx, CAPS);
      assert.deepEqual(notes, []);
      assert.equal(server.restarts(), 1);
      for (const figure of s3Transfer.extraFigures) {
        const value = figures[figure.key];
        assert.ok(Number.isFinite(value), `${figure.key} = ${value}`);
      }
      assert.equal(figures.sizeMiB, 20);
      assert.ok(figures.sdkUploadMBps > 0 && figures.rawDownloadMBps > 0);
    } finally {
      await server.stop();
    }
  });

  it("stops starting parts once the time cap has passed, completes what it has, and notes it", async () => {
    // 40 MiB is three parts; a cap of 0 s lets only the first one start (one always does).
    const server = await inProcess(40);
    try {
      const { figures, notes } = await measureTransfer(server.ctx, { seconds: 0, rssGrowth: CAPS.rssGrowth });
      for (const client of ["sdk", "raw"]) {
        assert.ok(notes.includes(`${client} client upload capped (0 s): 16 of 40 MiB uploaded, figures over those`), notes.join("\n"));
      }
      assert.ok(Number.isFinite(figures.sdkUploadMBps) && Number.isFinite(figures.rawDownloadMBps));
    } finally {
      await server.stop();
    }
  });

  it("fails with the client process's error when the transfer cannot run", async () => {
    const server = await inProcess(20);
    const endpoint = server.ctx.endpoint;
    await server.stop();
    // The server is gone: the client's first call is refused.
    await assert.rejects(measureTransfer({ ...server.ctx, endpoint }, CAPS), /^Error: sdk client: .*ECONNREFUSED/);
  });
});
