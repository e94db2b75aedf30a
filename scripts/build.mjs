// Transpiles src/ to dist/ file by file (no bundling: services load lazily by
// dynamic import) and copies the model JSON files. esbuild takes ~100 ms; type
// checking is `npm run typecheck`, part of `npm test`.
import { build } from "esbuild";
import { cpSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const src = join(root, "src");
const dist = join(root, "dist");

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    // test-vectors.ts is a helper of the codec tests only.
    const isTestOnly = name.endsWith(".test.ts") || name === "test-vectors.ts";
    return name.endsWith(".ts") && !isTestOnly && !name.endsWith(".d.ts") ? [path] : [];
  });
}

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: sources(src),
  outdir: dist,
  outbase: src,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});
cpSync(join(src, "models"), join(dist, "models"), { recursive: true, filter: (p) => statSync(p).isDirectory() || p.endsWith(".json") });
// The Lambda bootstraps run as they are (plain JS and Python), beside the runtime.
cpSync(join(src, "runtime", "bootstraps"), join(dist, "runtime", "bootstraps"), { recursive: true });
