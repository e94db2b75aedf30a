import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { LambdaExecutor } from "./executor.js";
import { UnsupportedRuntimeError } from "./runtimes.js";
import { ThrottledError, type FunctionSpec, type LogEvent } from "./types.js";

const root = mkdtempSync(join(tmpdir(), "terrarium-runtime-test-"));
const logs: LogEvent[] = [];
const executor = new LambdaExecutor({
  endpointUrl: "http://127.0.0.1:4566",
  idleTimeoutMs: 60_000,
  onLog: (event) => logs.push(event),
  defaultCredentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" },
});
after(async () => {
  await executor.shutdown();
  rmSync(root, { recursive: true, force: true });
});

let counter = 0;
/** Writes `files` into a fresh code directory and returns a spec for it. */
function fn(files: Record<string, string>, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  const name = `fn-${++counter}`;
  const codeDir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(codeDir, path, ".."), { recursive: true });
    writeFileSync(join(codeDir, path), text);
  }
  return {
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    name,
    version: "$LATEST",
    runtime: "nodejs20.x",
    handler: "index.handler",
    codeDir,
    layers: [],
    memoryMb: 128,
    timeoutS: 3,
    environment: {},
    concurrencyLimit: 10,
    region: "us-east-1",
    account: "000000000000",
    ...overrides,
  };
}

const invoke = (spec: FunctionSpec, event: unknown = {}) => executor.invoke(spec, Buffer.from(JSON.stringify(event)));
const json = (payload: Buffer) => JSON.parse(payload.toString("utf8"));

describe("node handlers", () => {
  test("CommonJS async handler: cold start once, then warm", async () => {
    const spec = fn({
      "index.js": `let inits = 0; inits++; let calls = 0;
        exports.handler = async (event, context) => ({ inits, calls: ++calls, event, requestId: context.awsRequestId });`,
    });
    const first = await invoke(spec, { a: 1 });
    assert.equal(first.functionError, undefined);
    assert.deepEqual({ ...json(first.payload), requestId: undefined }, { inits: 1, calls: 1, event: { a: 1 }, requestId: undefined });
    assert.equal(json(first.payload).requestId, first.requestId);
    assert.ok(first.initDurationMs !== undefined && first.initDurationMs > 0);
    const second = await invoke(spec, { a: 2 });
    assert.deepEqual(json(second.payload).calls, 2);
    assert.equal(json(second.payload).inits, 1);
    assert.equal(second.initDurationMs, undefined);
    assert.equal(executor.workerCount(spec), 1);
  });

  test("ES modules: .mjs, and .js under package.json type module", async () => {
    const mjs = fn({ "app.mjs": `export const handler = async (e) => ({ esm: "mjs", v: e.v });` }, { handler: "app.handler" });
    assert.deepEqual(json((await invoke(mjs, { v: 1 })).payload), { esm: "mjs", v: 1 });
    const js = fn({ "package.json": `{"type":"module"}`, "src/index.js": `export async function main() { return "esm-js"; }` }, { handler: "src/index.main" });
    assert.equal(json((await invoke(js)).payload), "esm-js");
    const cjs = fn({ "h.cjs": `module.exports.go = async () => "cjs";` }, { handler: "h.go" });
    assert.equal(json((await invoke(cjs)).payload), "cjs");
  });

  test("callback handler waits for the event loop unless told not to", async () => {
    const spec = fn({
      "index.js": `exports.handler = (event, context, callback) => {
          setTimeout(() => console.log("timer ran"), 30);
          callback(null, { ok: true, remaining: context.getRemainingTimeInMillis() > 0 });
        };
        exports.nowait = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => {}, 2000);
          callback(null, "fast");
        };`,
    });
    const result = await invoke(spec);
    assert.deepEqual(json(result.payload), { ok: true, remaining: true });
    assert.match(result.log, /INFO\ttimer ran/);
    const fast = await invoke({ ...spec, handler: "index.nowait" });
    assert.equal(json(fast.payload), "fast");
    assert.ok(fast.durationMs < 1500, `took ${fast.durationMs} ms`);
  });

  test("the context object", async () => {
    const spec = fn({
      "index.js": `exports.handler = async (e, c) => ({
          functionName: c.functionName, functionVersion: c.functionVersion, invokedFunctionArn: c.invokedFunctionArn,
          memoryLimitInMB: c.memoryLimitInMB, logGroupName: c.logGroupName, logStreamName: c.logStreamName,
          waits: c.callbackWaitsForEmptyEventLoop, remaining: c.getRemainingTimeInMillis(), clientContext: c.clientContext,
          trace: process.env._X_AMZN_TRACE_ID });`,
    });
    const result = await executor.invoke(spec, Buffer.from("{}"), {
      invokedFunctionArn: `${spec.arn}:live`,
      clientContext: JSON.stringify({ custom: { k: "v" } }),
      traceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
    });
    const ctx = json(result.payload);
    assert.equal(ctx.functionName, spec.name);
    assert.equal(ctx.functionVersion, "$LATEST");
    assert.equal(ctx.invokedFunctionArn, `${spec.arn}:live`);
    assert.equal(ctx.memoryLimitInMB, "128");
    assert.equal(ctx.logGroupName, `/aws/lambda/${spec.name}`);
    assert.match(ctx.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(ctx.waits, true);
    assert.ok(ctx.remaining > 2000 && ctx.remaining <= 3000);
    assert.deepEqual(ctx.clientContext, { custom: { k: "v" } });
    assert.equal(ctx.trace, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
  });

  test("environment as AWS sets it, with the function's variables and layers", async () => {
    const layer1 = join(root, "layer1");
    const layer2 = join(root, "layer2");
    mkdirSync(join(layer1, "nodejs", "node_modules", "greet"), { recursive: true });
    writeFileSync(join(layer1, "nodejs", "node_modules", "greet", "index.js"), `module.exports = () => "from layer1";`);
    mkdirSync(join(layer2, "nodejs", "node_modules", "greet"), { recursive: true });
    writeFileSync(join(layer2, "nodejs", "node_modules", "greet", "index.js"), `module.exports = () => "from layer2";`);
    const spec = fn(
      {
        "index.js": `const greet = require("greet");
          exports.handler = async () => ({ env: process.env, cwd: process.cwd(), greet: greet(), heap: require("v8").getHeapStatistics().heap_size_limit });`,
      },
      { environment: { MY_VAR: "hello" }, layers: [layer1, layer2], memoryMb: 256 },
    );
    const out = json((await invoke(spec)).payload);
    const env = out.env as Record<string, string>;
    assert.equal(out.greet, "from layer2");
    // MemorySize caps the V8 heap (--max-old-space-size).
    assert.ok(out.heap < 300 * 1024 * 1024 && out.heap > 200 * 1024 * 1024, `heap limit ${out.heap}`);
    assert.equal(out.cwd, spec.codeDir);
    assert.equal(env.MY_VAR, "hello");
    assert.equal(env.AWS_REGION, "us-east-1");
    assert.equal(env.AWS_DEFAULT_REGION, "us-east-1");
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, spec.name);
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, "$LATEST");
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, "256");
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, `/aws/lambda/${spec.name}`);
    assert.ok(env.AWS_LAMBDA_LOG_STREAM_NAME);
    assert.equal(env.LAMBDA_TASK_ROOT, spec.codeDir);
    assert.ok(env.LAMBDA_RUNTIME_DIR);
    assert.equal(env._HANDLER, "index.handler");
    assert.equal(env.TZ, ":UTC");
    assert.equal(env.AWS_EXECUTION_ENV, "AWS_Lambda_nodejs20.x");
    assert.equal(env.AWS_ACCESS_KEY_ID, "AKIAEXAMPLE");
    assert.equal(env.AWS_SECRET_ACCESS_KEY, "secret");
    assert.equal(env.AWS_SESSION_TOKEN, "token");
    assert.match(env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/);
    assert.equal(env.AWS_ENDPOINT_URL, "http://127.0.0.1:4566");
    assert.match(env.NODE_PATH, /nodejs\/node_modules/);
  });

  test("a thrown error: AWS's error payload and log lines", async () => {
    const spec = fn({
      "index.js": `class ValidationError extends Error { constructor(m) { super(m); this.name = "ValidationError"; } }
        exports.handler = async () => { throw new ValidationError("bad input"); };
        exports.str = async () => { throw "plain string"; };`,
    });
    const result = await invoke(spec);
    assert.equal(result.functionError, "Unhandled");
    assert.equal(result.errorType, "ValidationError");
    const body = json(result.payload);
    assert.equal(body.errorType, "ValidationError");
    assert.equal(body.errorMessage, "bad input");
    assert.ok(Array.isArray(body.trace) && body.trace[0] === "ValidationError: bad input");
    assert.match(result.log, /\tERROR\tInvoke Error \t\{"errorType":"ValidationError"/);
    const str = await invoke({ ...spec, handler: "index.str" });
    assert.deepEqual(json(str.payload), { errorType: "string", errorMessage: "plain string", trace: [] });
  });

  test("init errors: missing module, missing handler", async () => {
    const missing = fn({ "other.js": "" }, { handler: "index.handler" });
    const r1 = await invoke(missing);
    assert.equal(r1.functionError, "Unhandled");
    const b1 = json(r1.payload);
    assert.equal(b1.errorType, "Runtime.ImportModuleError");
    assert.match(b1.errorMessage, /^Error: Cannot find module 'index'/);
    assert.match(r1.log, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError/);

    const notExported = fn({ "index.js": "exports.other = () => 1;" });
    const b2 = json((await invoke(notExported)).payload);
    assert.equal(b2.errorType, "Runtime.HandlerNotFound");
    assert.equal(b2.errorMessage, "index.handler is undefined or not exported");
  });

  test("console lines carry time, request id and level", async () => {
    const spec = fn({
      "index.js": `console.log("at init");
        exports.handler = async () => { console.log("hello", { a: 1 }); console.warn("careful"); console.error("bad\\nthing"); return 1; };`,
    });
    const result = await invoke(spec);
    const id = result.requestId;
    const lines = result.log.slice(0, -1).split("\n");
    assert.match(lines[0], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\tundefined\tINFO\tat init$/);
    assert.equal(lines[1], `START RequestId: ${id} Version: $LATEST`);
    assert.match(lines[2], new RegExp(`^\\S+Z\\t${id}\\tINFO\\thello \\{ a: 1 \\}$`));
    assert.match(lines[3], new RegExp(`\\t${id}\\tWARN\\tcareful$`));
    assert.match(result.log, new RegExp(`\\t${id}\\tERROR\\tbad\\nthing\\n`));
    assert.equal(lines.at(-2), `END RequestId: ${id}`);
    assert.match(
      lines.at(-1)!,
      new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d{2} ms\\t$`),
    );
    assert.equal(result.logTail, result.log);
    // CloudWatch Logs receives the same lines, in one stream for this worker.
    const mine = logs.filter((e) => e.logGroupName === `/aws/lambda/${spec.name}`);
    assert.ok(mine.some((e) => e.message === `START RequestId: ${id} Version: $LATEST`));
    assert.equal(new Set(mine.map((e) => e.logStreamName)).size, 1);
  });

  test("the log tail is the last 4 KB", async () => {
    const spec = fn({ "index.js": `exports.handler = async () => { for (let i = 0; i < 200; i++) console.log("line " + i + " " + "x".repeat(40)); return 1; };` });
    const result = await invoke(spec);
    assert.ok(result.log.length > 8000);
    assert.ok(Buffer.byteLength(result.logTail) <= 4096);
    assert.ok(result.log.endsWith(result.logTail));
    assert.match(result.logTail, /REPORT RequestId/);
  });

  test("timeout kills the worker and reports Task timed out", async () => {
    const spec = fn(
      { "index.js": `let n = 0; exports.handler = async (e) => { n++; if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return n; };` },
      { timeoutS: 1 },
    );
    assert.equal(json((await invoke(spec)).payload), 1);
    const result = await invoke(spec, { hang: true });
    assert.equal(result.functionError, "Unhandled");
    assert.deepEqual(json(result.payload), {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds`,
    });
    assert.ok(result.durationMs >= 1000);
    assert.match(result.log, /Status: timeout/);
    assert.match(result.log, new RegExp(`Z ${result.requestId} Task timed out after 1.00 seconds`));
    // The environment was recycled: the next call is a cold start.
    const after = await invoke(spec);
    assert.equal(json(after.payload), 1);
    assert.ok(after.initDurationMs !== undefined);
  });

  test("a promise that never settles times out (the process is kept alive, no exit status 13)", async () => {
    const spec = fn({ "index.js": `exports.handler = () => new Promise(() => {});` }, { timeoutS: 1 });
    const result = await invoke(spec);
    assert.equal(result.errorType, "Sandbox.Timedout");
    assert.deepEqual(json(result.payload), {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds`,
    });
    assert.doesNotMatch(result.log, /exit status 13/);
  });

  test("warm workers are reused under concurrency instead of a cold start per request", async () => {
    const spec = fn({ "index.js": `exports.handler = async (e) => e;` }, { concurrencyLimit: 100 });
    await invoke(spec);
    for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: 16 }, () => invoke(spec)));
    // Not one cold start per concurrent request: a few workers serve all 16 (how few
    // depends on how busy the machine is, since stalls of the queue add workers).
    assert.ok(executor.workerCount(spec) <= 8, `workers: ${executor.workerCount(spec)}`);
  });

  test("slow handlers still scale out: concurrent requests run in parallel", async () => {
    const spec = fn({ "index.js": `exports.handler = async () => { await new Promise((r) => setTimeout(r, 1000)); return process.pid; };` });
    await invoke(spec);
    const pids = (await Promise.all(Array.from({ length: 4 }, () => invoke(spec)))).map((r) => json(r.payload));
    // Four processes answered: the slow invocations ran side by side.
    assert.equal(new Set(pids).size, 4);
  });

  test("process exit mid-invocation is Runtime.ExitError", async () => {
    const spec = fn({ "index.js": `exports.handler = async (e) => { console.log("bye"); process.exit(e.code); };` });
    const result = await invoke(spec, { code: 1 });
    assert.equal(result.functionError, "Unhandled");
    assert.deepEqual(json(result.payload), {
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 1`,
    });
    assert.match(result.log, /INFO\tbye/);
    assert.match(result.log, /Status: error\tError Type: Runtime.ExitError/);
    const clean = await invoke(spec, { code: 0 });
    assert.equal(json(clean.payload).errorMessage, `RequestId: ${clean.requestId} Error: Runtime exited without providing a reason`);
  });

  test("an uncaught exception fails the invocation and ends the environment", async () => {
    const spec = fn({
      "index.js": `let n = 0; exports.handler = async (e) => {
          n++;
          if (e.boom) { setTimeout(() => { throw new TypeError("async boom"); }, 5); await new Promise((r) => setTimeout(r, 1000)); }
          return n; };`,
    });
    assert.equal(json((await invoke(spec)).payload), 1);
    const result = await invoke(spec, { boom: true });
    assert.equal(result.functionError, "Unhandled");
    assert.equal(json(result.payload).errorType, "TypeError");
    assert.equal(json(result.payload).errorMessage, "async boom");
    assert.match(result.log, /ERROR\tUncaught Exception \t\{"errorType":"TypeError"/);
    while (executor.workerCount(spec) > 0) await new Promise((r) => setTimeout(r, 10));
    const next = await invoke(spec);
    assert.equal(json(next.payload), 1);
  });

  test("concurrency: scale out to the limit, then throttle", async () => {
    const spec = fn(
      { "index.js": `exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 300)); return process.pid; };` },
      { concurrencyLimit: 3, reservedConcurrency: true },
    );
    const running = [invoke(spec), invoke(spec), invoke(spec)];
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(invoke(spec), (error: unknown) => {
      assert.ok(error instanceof ThrottledError);
      assert.equal(error.reason, "ReservedFunctionConcurrentInvocationLimitExceeded");
      return true;
    });
    await Promise.all(running);
    const workers = executor.workerCount(spec);
    assert.ok(workers >= 1 && workers <= 3, `workers: ${workers}`);
    // Warm workers are reused: never more than the limit.
    await Promise.all([invoke(spec), invoke(spec)]);
    assert.ok(executor.workerCount(spec) <= 3);
  });

  test("the account's unreserved pool: shared by unreserved functions, not by reserved or provisioned concurrency", async () => {
    const go = join(root, "account-go");
    const code = { "index.js": `const fs = require("fs");
      exports.handler = async (e) => { while (!fs.existsSync(e.go)) await new Promise((r) => setTimeout(r, 10)); return "ok"; };` };
    // Another account, so that the other tests' functions do not share the pool.
    const account = { account: "111111111111", unreservedConcurrency: 1, concurrencyLimit: 2 };
    const arn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;
    const a = fn(code, account);
    a.arn = arn(a.name);
    const b = fn(code, account);
    b.arn = arn(b.name);
    const reserved = fn(code, { account: "111111111111", concurrencyLimit: 1, reservedConcurrency: true });
    reserved.arn = arn(reserved.name);
    const provisioned = fn(code, { ...account, concurrencyLimit: 2 });
    provisioned.arn = arn(provisioned.name);
    assert.equal(await executor.provision(provisioned, 1), 1);
    const event = { go };
    const running = [invoke(a, event)];
    const throttled = (error: unknown) => {
      assert.ok(error instanceof ThrottledError);
      assert.equal(error.reason, "ConcurrentInvocationLimitExceeded");
      return true;
    };
    // The pool (1) is taken by a: b is throttled for the account, not for itself.
    await assert.rejects(invoke(b, event), throttled);
    // A reserved function runs on its reservation; a provisioned one on its provisioned worker.
    running.push(invoke(reserved, event), invoke(provisioned, event));
    // Beyond its provisioned concurrency, the provisioned function needs the (full) pool too.
    await assert.rejects(invoke(provisioned, event), throttled);
    writeFileSync(go, "1");
    for (const result of await Promise.all(running)) assert.equal(json(result.payload), "ok");
    assert.equal(json((await invoke(b, event)).payload), "ok");
    await executor.provision(provisioned, 0);
  });

  test("provision starts initialized workers (provisioned concurrency)", async () => {
    const spec = fn({ "index.js": `exports.handler = async () => process.env.AWS_LAMBDA_INITIALIZATION_TYPE;` });
    assert.equal(await executor.provision(spec, 2), 2);
    assert.equal(executor.workerCount(spec), 2);
    const result = await invoke(spec);
    assert.equal(result.initDurationMs, undefined);
    assert.equal(json(result.payload), "provisioned-concurrency");
  });

  test("an unsupported runtime is a clear error", async () => {
    await assert.rejects(invoke(fn({}, { runtime: "java21" })), UnsupportedRuntimeError);
  });

  test("a too-large response is Function.ResponseSizeTooLarge", async () => {
    const spec = fn({ "index.js": `exports.handler = async () => "x".repeat(7 * 1024 * 1024);` });
    const result = await invoke(spec);
    assert.equal(result.functionError, "Unhandled");
    assert.equal(json(result.payload).errorType, "Function.ResponseSizeTooLarge");
  });
});

describe("idle reaping", () => {
  test("warm workers end after the idle timeout", async () => {
    const local = new LambdaExecutor({ endpointUrl: "http://127.0.0.1:4566", idleTimeoutMs: 150 });
    try {
      const spec = fn({ "index.js": `exports.handler = async () => process.pid;` });
      const pid = json((await local.invoke(spec, Buffer.from("{}"))).payload) as number;
      assert.equal(local.workerCount(spec), 1);
      const deadline = Date.now() + 5000;
      while (local.workerCount(spec) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.equal(local.workerCount(spec), 0);
      assert.throws(() => process.kill(pid, 0));
    } finally {
      await local.shutdown();
    }
  });
});

describe("provisioned concurrency", () => {
  test("provisioned workers outlive the idle timeout, a crashed one is replaced, provision(0) releases them", async () => {
    const local = new LambdaExecutor({ endpointUrl: "http://127.0.0.1:4566", idleTimeoutMs: 100 });
    try {
      const spec = fn({
        "index.js": `exports.handler = async (e) => { if (e.crash) process.exit(3); return { pid: process.pid, type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE }; };`,
      });
      assert.equal(await local.provision(spec, 2), 2);
      assert.equal(local.workerCount(spec), 2);
      assert.equal(local.provisionedCount(spec), 2);
      // The idle reaper's timers (100 ms) come due before this one: provisioned workers stay.
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(local.workerCount(spec), 2);
      assert.equal(local.provisionedCount(spec), 2);

      const crashed = await local.invoke(spec, Buffer.from('{"crash":true}'));
      assert.equal(crashed.errorType, "Runtime.ExitError");
      const deadline = Date.now() + 10_000;
      while (local.provisionedCount(spec) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.equal(local.provisionedCount(spec), 2, "the crashed provisioned worker was not replaced");
      const warm = await local.invoke(spec, Buffer.from("{}"));
      assert.equal(warm.initDurationMs, undefined);
      assert.equal(json(warm.payload).type, "provisioned-concurrency");

      assert.equal(await local.provision(spec, 0), 0);
      while (local.workerCount(spec) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.equal(local.workerCount(spec), 0);
    } finally {
      await local.shutdown();
    }
  });
});

describe("init timeout", () => {
  test("init that runs past the init timeout fails with Sandbox.Timedout", async () => {
    const local = new LambdaExecutor({ endpointUrl: "http://127.0.0.1:4566", initTimeoutMs: 300 });
    try {
      const spec = fn({ "slow.mjs": `await new Promise((r) => setTimeout(r, 5000)); export const handler = async () => 1;` }, { handler: "slow.handler" });
      const result = await local.invoke(spec, Buffer.from("{}"));
      assert.equal(result.functionError, "Unhandled");
      assert.equal(json(result.payload).errorType, "Sandbox.Timedout");
      assert.equal(json(result.payload).errorMessage, `RequestId: ${result.requestId} Error: Task timed out after 0.30 seconds`);
    } finally {
      await local.shutdown();
    }
  });
});

describe("python handlers", () => {
  test("result, context, cold then warm", async () => {
    const spec = fn(
      {
        "app.py": `import os
INITS = 0
INITS += 1
CALLS = 0
def handler(event, context):
    global CALLS
    CALLS += 1
    print("python says", event)
    return {"inits": INITS, "calls": CALLS, "request": context.aws_request_id, "name": context.function_name,
            "memory": context.memory_limit_in_mb, "remaining": context.get_remaining_time_in_millis() > 0,
            "group": context.log_group_name, "region": os.environ["AWS_REGION"], "arn": context.invoked_function_arn}
`,
      },
      { runtime: "python3.11", handler: "app.handler" },
    );
    const first = await invoke(spec, { x: 1 });
    const out = json(first.payload);
    assert.deepEqual(out, {
      inits: 1,
      calls: 1,
      request: first.requestId,
      name: spec.name,
      memory: "128",
      remaining: true,
      group: `/aws/lambda/${spec.name}`,
      region: "us-east-1",
      arn: spec.arn,
    });
    assert.match(first.log, /python says \{'x': 1\}/);
    const second = json((await invoke(spec)).payload);
    assert.equal(second.calls, 2);
    assert.equal(second.inits, 1);
  });

  test("errors in AWS's python shape", async () => {
    const spec = fn(
      { "app.py": `def handler(event, context):\n    raise ValueError("nope")\n` },
      { runtime: "python3.11", handler: "app.handler" },
    );
    const result = await invoke(spec);
    assert.equal(result.functionError, "Unhandled");
    const body = json(result.payload);
    assert.equal(body.errorType, "ValueError");
    assert.equal(body.errorMessage, "nope");
    assert.equal(body.requestId, result.requestId);
    assert.ok(body.stackTrace.length >= 1);
    assert.match(body.stackTrace[0], /File ".*app\.py", line 2, in handler/);
    assert.match(result.log, /\[ERROR\] ValueError: nope/);

    const missing = await invoke({ ...spec, handler: "nothere.handler" });
    assert.equal(json(missing.payload).errorType, "Runtime.ImportModuleError");
    assert.match(json(missing.payload).errorMessage, /^Unable to import module 'nothere': No module named 'nothere'/);
  });
});

describe("MemorySize", () => {
  test("a handler that outgrows MemorySize is ended as AWS reports it (Runtime.OutOfMemory); the next invoke gets a fresh environment", async () => {
    const spec = fn(
      {
        "app.py": `import os
HOLD = []
def handler(event, context):
    if event.get("grow"):
        while True:
            HOLD.append(b"x" * (8 * 1024 * 1024))
    return {"pid": os.getpid(), "small": len(b"x" * (32 * 1024 * 1024))}
`,
      },
      { runtime: "python3.12", handler: "app.handler", memoryMb: 128 },
    );
    // Well under the cap works, and stays in the same environment.
    const fine = await invoke(spec);
    assert.equal(fine.functionError, undefined, fine.payload.toString());
    const before = json(fine.payload).pid;

    const oom = await invoke(spec, { grow: true });
    assert.equal(oom.functionError, "Unhandled");
    assert.equal(oom.errorType, "Runtime.OutOfMemory");
    assert.deepEqual(json(oom.payload), {
      errorType: "Runtime.OutOfMemory",
      errorMessage: `RequestId: ${oom.requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.equal(oom.maxMemoryUsedMb, 128);
    assert.match(oom.log, new RegExp(`RequestId: ${oom.requestId} Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\nEND RequestId: ${oom.requestId}\n`));
    assert.match(oom.log, /Memory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory/);

    const after = await invoke(spec);
    assert.equal(after.functionError, undefined);
    assert.notEqual(json(after.payload).pid, before);
    assert.ok(after.initDurationMs !== undefined, "a cold start replaces the killed environment");
  });

  test("a Python handler with threads (boto3-style pools) runs within 128 MB", async () => {
    const spec = fn(
      {
        "app.py": `from concurrent.futures import ThreadPoolExecutor
def handler(event, context):
    with ThreadPoolExecutor(max_workers=16) as pool:
        return sum(pool.map(lambda i: len(b"x" * (1024 * 1024)) + i, range(64)))
`,
      },
      { runtime: "python3.12", handler: "app.handler", memoryMb: 128 },
    );
    const result = await invoke(spec);
    assert.equal(result.functionError, undefined, result.payload.toString());
    assert.equal(json(result.payload), 64 * 1024 * 1024 + (63 * 64) / 2);
  });

  test("a Node handler that outgrows MemorySize outside the V8 heap is Runtime.OutOfMemory", async () => {
    const spec = fn({
      "index.js": `const hold = []; exports.handler = async () => { for (;;) { hold.push(Buffer.alloc(16 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)); } };`,
    }, { memoryMb: 128 });
    const oom = await invoke(spec);
    assert.equal(oom.errorType, "Runtime.OutOfMemory");
    assert.deepEqual(json(oom.payload), {
      errorType: "Runtime.OutOfMemory",
      errorMessage: `RequestId: ${oom.requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.match(oom.log, /Max Memory Used: 128 MB\t(Init Duration: [\d.]+ ms\t)?Status: error\tError Type: Runtime.OutOfMemory/);
  });

  test("running out of memory during init is Runtime.OutOfMemory too", async () => {
    const spec = fn(
      { "app.py": `BIG = b"x" * (512 * 1024 * 1024)\ndef handler(event, context):\n    return 1\n` },
      { runtime: "python3.12", handler: "app.handler", memoryMb: 128 },
    );
    const result = await invoke(spec);
    assert.equal(result.functionError, "Unhandled");
    assert.deepEqual(json(result.payload), {
      errorType: "Runtime.OutOfMemory",
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed`,
    });
    assert.match(result.log, /INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.OutOfMemory/);
  });
});

describe("custom runtimes", () => {
  test("provided.al2023: a shell bootstrap speaking the Runtime API with curl", async () => {
    const spec = fn(
      {
        bootstrap: `#!/bin/sh
set -eu
echo "bootstrap init"
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d' ' -f2 | tr -d '\\r\\n')
  rm -f "$HEADERS"
  echo "handling $REQUEST_ID"
  curl -sS -o /dev/null -X POST "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\"}"
done
`,
      },
      { runtime: "provided.al2023", handler: "function.handler" },
    );
    chmodSync(join(spec.codeDir, "bootstrap"), 0o755);
    const result = await invoke(spec, { hi: "there" });
    assert.deepEqual(json(result.payload), { echo: { hi: "there" }, handler: "function.handler" });
    assert.match(result.log, /bootstrap init/);
    assert.match(result.log, new RegExp(`handling ${result.requestId}`));
    const again = await invoke(spec, { n: 2 });
    assert.deepEqual(json(again.payload).echo, { n: 2 });
  });

  test("a missing bootstrap is Runtime.InvalidEntrypoint", async () => {
    const spec = fn({ "readme.txt": "" }, { runtime: "provided.al2" });
    const result = await invoke(spec);
    assert.equal(result.functionError, "Unhandled");
    assert.equal(json(result.payload).errorType, "Runtime.InvalidEntrypoint");
  });
});
