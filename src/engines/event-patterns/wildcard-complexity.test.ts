import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePattern } from "./index.js";
import { complexity, WILDCARD_COMPLEXITY_LIMIT, wildcardsTooComplex } from "./wildcard-complexity.js";

// The Ruler's wildcard complexity, on the patterns AWS is reported to have accepted or
// refused with "Rule is too complex" (see wildcard-complexity.ts), and the docs' examples.

const tooComplex = (values: string[]) =>
  wildcardsTooComplex(parsePattern(JSON.stringify({ detail: { object: { key: values.map((wildcard) => ({ wildcard })) } } }), { dialect: "eventbridge" }));

describe("wildcard complexity", () => {
  it("accepts what AWS accepted and refuses what it refused", () => {
    assert.equal(tooComplex(["*.bif", "*.tiff", "*.tif", "*.svs"]), false);
    assert.equal(tooComplex(["*/datasync/*.bif", "*/datasync/*.tif"]), false);
    assert.equal(tooComplex(["*/datasync/*.bif", "*/datasync/*.tif", "*/datasync/*.tiff", "*/datasync/*.svs"]), true);
    assert.equal(tooComplex(["*:stack/SharedStack/*", "*:stack/ApiStack/*", "*:stack/WorkerStack/*"]), false);
    assert.equal(tooComplex(["*:stack/SharedStack/*", "*:stack/ApiStack/*", "*:stack/WorkerStack/*", "*:stack/MonitoringStack/*"]), true);
  });

  it("takes the user guide's wildcard examples", () => {
    for (const value of ["Simple*Service", "*/lib/*", "arn:aws:s3:::amzn-s3-demo-bucket/*.png", "dir/*/file*", "a\\*b"]) {
      assert.ok(complexity([value]) <= WILDCARD_COMPLEXITY_LIMIT, value);
      assert.equal(tooComplex([value]), false, value);
    }
  });

  it("counts repeating sequences after a wildcard, and each field on its own", () => {
    assert.equal(tooComplex(["*a*a*a*a*a*a*"]), true);
    assert.equal(tooComplex(["a*b*c*d*e*f*"]), false);
    const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, [{ wildcard: "*.bif" }, { wildcard: "*.tif" }, { wildcard: "*.svs" }]]));
    assert.equal(wildcardsTooComplex(parsePattern(JSON.stringify(fields(6)), { dialect: "eventbridge" })), false);
    // Values of one field given under $or alternatives share its machine.
    const or = { $or: [{ k: [{ wildcard: "*/d/*.a" }, { wildcard: "*/d/*.b" }] }, { k: [{ wildcard: "*/d/*.c" }, { wildcard: "*/d/*.e" }] }] };
    assert.equal(wildcardsTooComplex(parsePattern(JSON.stringify(or), { dialect: "eventbridge" })), true);
  });
});
