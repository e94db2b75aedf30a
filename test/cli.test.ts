import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, spawnServer, waitForExit, type ServerProcess } from "./process.js";

const run = promisify(execFile);
let server: ServerProcess;

before(async () => {
  server = await spawnServer([]);
});
after(async () => {
  server.child.kill("SIGTERM");
  await waitForExit(server.child);
});

function terrarium(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, ["bin/terrarium.js", ...args], {
    cwd: ROOT,
    env: { ...process.env, TERRARIUM_ENDPOINT: server.endpoint, ...env },
    timeout: 60_000,
  });
}

describe("terrarium command", () => {
  it("prints the endpoint, the services and Ready. on start", () => {
    assert.match(server.output(), /Terrarium \d+\.\d+\.\d+ listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(server.output(), /services: .*sts.*iam|services: .*iam.*sts/);
  });

  it("status prints the running server's health", async () => {
    const { stdout } = await terrarium(["status"]);
    assert.equal(JSON.parse(stdout).status, "running");
  });

  it("reset resets a service", async () => {
    const { stdout } = await terrarium(["reset", "iam"]);
    assert.deepEqual(JSON.parse(stdout), { reset: "iam" });
  });

  it("aws runs the AWS CLI against the endpoint with dummy credentials", async () => {
    const { stdout } = await terrarium(["aws", "sts", "get-caller-identity", "--output", "json"], {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
    });
    assert.equal(JSON.parse(stdout).Account, "000000000000");
  });

  it("aws says clearly when no AWS CLI is installed", async () => {
    // A PATH holding only node, so no `aws` can be found.
    const nodeOnly = mkdtempSync(join(tmpdir(), "terrarium-path-"));
    symlinkSync(process.execPath, join(nodeOnly, "node"));
    await assert.rejects(terrarium(["aws", "sts", "get-caller-identity"], { PATH: nodeOnly }), (error: any) => {
      assert.equal(error.code, 127);
      assert.match(error.stderr, /the AWS CLI is not installed/);
      return true;
    });
  });

  it("status says when no server answers", async () => {
    await assert.rejects(terrarium(["status"], { TERRARIUM_ENDPOINT: "http://127.0.0.1:1" }), /no server answers/);
  });
});
