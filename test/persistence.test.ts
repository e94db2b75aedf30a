import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { clientConfig } from "./helpers.js";
import { spawnServer, waitForExit, type ServerProcess } from "./process.js";

// "Nothing lost": with --data-dir every acknowledged write survives kill -9.

const dataDir = mkdtempSync(join(tmpdir(), "terrarium-crash-"));
const started: ServerProcess[] = [];
after(() => {
  for (const s of started) s.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await spawnServer(["--data-dir", dataDir]);
  started.push(server);
  return server;
}

describe("persistence", () => {
  it("keeps every acknowledged write across kill -9 and a restart", async () => {
    const first = await start();
    const iam = new IAMClient(clientConfig(first.endpoint));
    const names = Array.from({ length: 25 }, (_, i) => `crash-user-${i}`);
    for (const UserName of names) await iam.send(new CreateUserCommand({ UserName, Tags: [{ Key: "n", Value: UserName }] }));
    first.child.kill("SIGKILL");
    assert.equal((await waitForExit(first.child)).signal, "SIGKILL");
    iam.destroy();

    const second = await start();
    const again = new IAMClient(clientConfig(second.endpoint));
    const listed = await again.send(new ListUsersCommand({ MaxItems: 1000 }));
    assert.deepEqual(listed.Users?.map((u) => u.UserName).sort(), [...names].sort());
    const one = await again.send(new GetUserCommand({ UserName: "crash-user-7" }));
    assert.deepEqual(one.User?.Tags, [{ Key: "n", Value: "crash-user-7" }]);
    again.destroy();
    second.child.kill("SIGTERM");
    const exit = await waitForExit(second.child);
    assert.equal(exit.code, 0, second.output());
  });

  it("keeps Terrarium's time across a restart: an advanced clock does not go back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "terrarium-clock-"));
    try {
      const day = 86_400;
      const first = await spawnServer(["--data-dir", dir]);
      started.push(first);
      const advanced = await fetch(`${first.endpoint}/_terrarium/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: day }) });
      const reached = Date.parse(((await advanced.json()) as { now: string }).now);
      first.child.kill("SIGKILL");
      await waitForExit(first.child);

      const second = await spawnServer(["--data-dir", dir]);
      started.push(second);
      const now = Date.parse(((await (await fetch(`${second.endpoint}/_terrarium/clock`)).json()) as { now: string }).now);
      assert.ok(now >= reached, `${new Date(now).toISOString()} is before ${new Date(reached).toISOString()}`);
      assert.ok(now < reached + 60_000);
      second.child.kill("SIGTERM");
      await waitForExit(second.child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("starts empty without --data-dir", async () => {
    const server = await spawnServer([]);
    started.push(server);
    const iam = new IAMClient(clientConfig(server.endpoint));
    const listed = await iam.send(new ListUsersCommand({}));
    assert.deepEqual(listed.Users, []);
    iam.destroy();
    server.child.kill("SIGINT");
    assert.equal((await waitForExit(server.child)).code, 0);
  });
});
