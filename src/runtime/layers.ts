// Layers: AWS extracts every layer into /opt, in order, later layers overwriting
// earlier files. Here each published layer is its own directory, so a function
// version gets one merged copy ("its /opt") that its environment points at.

import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface OptDir {
  path: string;
  dispose(): void;
}

export function mergeLayers(layers: readonly string[], parent: string = tmpdir()): OptDir {
  const path = mkdtempSync(join(parent, "terrarium-opt-"));
  for (const layer of layers) cpSync(layer, path, { recursive: true, force: true, verbatimSymlinks: true });
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}
