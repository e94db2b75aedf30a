import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseOptions, UsageError, type BenchOptions } from "../../bench/options.js";
import { TARGET_NAMES } from "../../bench/targets.js";

// `npm run bench -- [options]`: defaults, --quick's shorter runs, and the
// mistakes that must stop the bench before it starts a server.

function parse(...argv: string[]): BenchOptions {
  const options = parseOptions(argv);
  assert.notEqual(options, "help");
  return options as BenchOptions;
}

describe("bench options", () => {
  it("defaults to every workload and target, full-length runs", () => {
    const o = parse();
    assert.equal(o.quick, false);
    assert.equal(o.only, undefined);
    assert.deepEqual(o.targets, [...TARGET_NAMES]);
    assert.equal(o.startupRuns, 5);
    assert.equal(o.sdkCalls, 3000);
    assert.equal(o.sdkWarmupCalls, 1000);
    assert.equal(o.sdkConcurrency, 16);
    assert.equal(o.rawSeconds, 5);
    assert.equal(o.rawWarmupSeconds, 1);
    assert.equal(o.rawConnections, 32);
    assert.equal(o.transferMiB, 1024);
    assert.equal(o.check, false);
    assert.match(o.out, /bench[/\\]results[/\\]latest\.json$/);
  });

  it("--quick shortens every run", () => {
    const o = parse("--quick");
    assert.equal(o.quick, true);
    assert.equal(o.startupRuns, 3);
    assert.equal(o.sdkCalls, 300);
    assert.equal(o.sdkWarmupCalls, 100);
    assert.equal(o.rawSeconds, 1.5);
    assert.equal(o.rawWarmupSeconds, 0.5);
    assert.equal(o.transferMiB, 64);
  });

  it("--transfer-mib sets the S3 transfer's object size, over --quick's, rounded", () => {
    assert.equal(parse("--quick", "--transfer-mib", "256").transferMiB, 256);
    assert.equal(parse("--transfer-mib=20.4").transferMiB, 20);
  });

  it("takes values after the flag or after =, and explicit figures over --quick's", () => {
    const o = parse("--quick", "--sdk-calls=1000", "--raw-seconds", "2.5", "--connections", "8", "--sdk-concurrency=4", "--startup-runs", "1");
    assert.equal(o.sdkCalls, 1000);
    assert.equal(o.sdkWarmupCalls, 333);
    assert.equal(o.rawSeconds, 2.5);
    assert.equal(o.rawConnections, 8);
    assert.equal(o.sdkConcurrency, 4);
    assert.equal(o.startupRuns, 1);
  });

  it("warms up in rounds of a third of the calls, at least 50, and rounds counts", () => {
    assert.equal(parse("--sdk-calls", "100").sdkWarmupCalls, 50);
    assert.equal(parse("--sdk-calls", "12.6").sdkCalls, 13);
  });

  it("reads lists lower-cased, trimmed, without empty entries", () => {
    const o = parse("--only", "STS, dynamodb-get,,", "--targets=Terrarium,bare");
    assert.deepEqual(o.only, ["sts", "dynamodb-get"]);
    assert.deepEqual(o.targets, ["terrarium", "bare"]);
  });

  it("--check and --out", () => {
    const o = parse("--check", "--out", "/tmp/bench.json");
    assert.equal(o.check, true);
    assert.equal(o.out, "/tmp/bench.json");
  });

  it("--help wins over every other known option", () => {
    assert.equal(parseOptions(["--quick", "--help"]), "help");
  });

  it("refuses what it does not know, before starting anything", () => {
    const refused: [string[], RegExp][] = [
      [["--fast"], /unknown option --fast/],
      [["--help", "--fast"], /unknown option --fast/],
      [["quick"], /unexpected argument quick/],
      [["--quick=false"], /--quick takes no value/],
      [["--only"], /--only needs a value/],
      [["--targets", "terrarium,localstack"], /unknown target localstack/],
      [["--sdk-calls", "0"], /--sdk-calls needs a positive number/],
      [["--raw-seconds", "soon"], /--raw-seconds needs a positive number/],
      [["--connections=-4"], /--connections needs a positive number/],
      [["--transfer-mib", "0"], /--transfer-mib needs a positive number/],
    ];
    for (const [argv, message] of refused) {
      assert.throws(() => parseOptions(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(" "));
    }
  });
});
