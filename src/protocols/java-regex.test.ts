import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { compileJavaPattern, matchesJavaPattern } from "./java-regex.js";

describe("Java patterns", () => {
  it("matches the whole string, as Matcher.matches()", () => {
    assert.equal(matchesJavaPattern("[a-zA-Z0-9_.-]+", "a;"), false);
    assert.equal(matchesJavaPattern("[a-zA-Z0-9_.-]+", "my-table.v2"), true);
    assert.equal(matchesJavaPattern("(?i)all|[0-9]{12}", "ALL"), true);
  });

  it("translates Unicode and POSIX properties (POSIX ones are ASCII-only in Java)", () => {
    assert.equal(matchesJavaPattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", "Ünïcode tag 1"), true);
    assert.equal(matchesJavaPattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", "a,b"), false);
    assert.equal(matchesJavaPattern("^\\p{ASCII}+$", "キー"), false);
    assert.equal(matchesJavaPattern("arn:[\\p{Alnum}\\-]+:x", "arn:aws-cn:x"), true);
    assert.equal(matchesJavaPattern("\\p{Alpha}+", "é"), false);
  });

  it("translates \\A, \\z, \\s, possessive quantifiers and needless escapes", () => {
    assert.equal(matchesJavaPattern("\\A\\S[\\p{Print}]*\\z", "ab c"), true);
    assert.equal(matchesJavaPattern("\\A\\S[\\p{Print}]*\\z", " ab"), false);
    assert.equal(matchesJavaPattern("[a-z]++\\-[0-9]*+", "abc-12"), true);
    assert.equal(matchesJavaPattern("[a-zA-Z0-9\\_\\-]+", "a_b-c"), true);
    assert.equal(matchesJavaPattern("[\\w-_]*", "a-b_c"), true);
    assert.equal(matchesJavaPattern("\\s", "\u00a0"), false); // Java's \s is ASCII
  });

  it("answers undefined (the check is skipped) for what it cannot translate", () => {
    assert.equal(compileJavaPattern("[a-z&&[^c]]"), undefined);
    assert.equal(matchesJavaPattern("[a-z&&[^c]]", "c"), true);
  });

  it("compiles every pattern of the generated models", () => {
    const dir = new URL("../models/", import.meta.url);
    const failed: string[] = [];
    for (const file of readdirSync(dir)) {
      if (!file.endsWith(".json") || file === "index.json") continue;
      const model = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as { shapes: Record<string, { pattern?: string }> };
      for (const shape of Object.values(model.shapes)) {
        if (shape.pattern !== undefined && !compileJavaPattern(shape.pattern)) failed.push(`${file}: ${shape.pattern}`);
      }
    }
    assert.deepEqual(failed, []);
  });
});
