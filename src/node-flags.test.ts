import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { NODE_FLAGS } from "./node-flags.js";

const root = new URL("..", import.meta.url);

test("npm start and the terrarium command run node with Terrarium's V8 flags", () => {
  const start = (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> }).scripts.start;
  const shebang = readFileSync(new URL("bin/terrarium.js", root), "utf8").split("\n")[0];
  for (const flag of NODE_FLAGS) {
    assert.match(start, new RegExp(`node ${flag} dist/main\\.js`));
    assert.equal(shebang, `#!/usr/bin/env -S node ${NODE_FLAGS.join(" ")}`);
  }
});
