// Terrarium's Node.js runtime client: speaks AWS's Lambda Runtime API
// (AWS_LAMBDA_RUNTIME_API) the way the AWS nodejs runtimes do. Plain JavaScript, no
// dependencies. It loads the handler named by _HANDLER from LAMBDA_TASK_ROOT, then
// loops: GET /invocation/next, run the handler, POST /response or /error.

import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

const API = process.env.AWS_LAMBDA_RUNTIME_API;
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
const HANDLER = process.env._HANDLER || "";
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const BOOTSTRAP_PATH = new URL(import.meta.url).pathname;

// ---- logging: "<ISO time>\t<request id>\t<LEVEL>\t<message>", as the AWS nodejs runtime ----

let currentRequestId = undefined;

function writeLog(level, args) {
  const message = format(...args).replaceAll("\n", "\r");
  process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
}

console.log = (...args) => writeLog("INFO", args);
console.info = (...args) => writeLog("INFO", args);
console.warn = (...args) => writeLog("WARN", args);
console.error = (...args) => writeLog("ERROR", args);
console.debug = (...args) => writeLog("DEBUG", args);
console.trace = (...args) => {
  const err = new Error(format(...args));
  err.name = "Trace";
  writeLog("TRACE", [err.stack]);
};
console.fatal = (...args) => writeLog("FATAL", args);

// ---- Runtime API client ----

function call(method, path, body, headers = {}) {
  return new Promise((resolvePromise, reject) => {
    const [host, port] = API.split(":");
    const req = request(
      { host, port: Number(port), method, path: `/2018-06-01/runtime/${path}`, agent, headers: { ...headers, ...(body ? { "Content-Length": body.length } : {}) } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolvePromise({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function post(path, payload, errorType) {
  const headers = { "Content-Type": "application/json" };
  if (errorType) headers["Lambda-Runtime-Function-Error-Type"] = errorType;
  const res = await call("POST", path, Buffer.from(payload, "utf8"), headers);
  if (res.status !== 202) {
    process.stderr.write(`Failed to post to the Runtime API (${path}): ${res.status} ${res.body.toString()}\n`);
  }
}

// ---- errors, in AWS's shape: {errorType, errorMessage, trace} ----

function toErrorPayload(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || "Error",
      errorMessage: error.message,
      trace: typeof error.stack === "string" ? error.stack.split("\n") : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function serialize(payload) {
  try {
    return JSON.stringify(payload);
  } catch {
    return JSON.stringify({ errorType: "Error", errorMessage: "Unable to stringify error", trace: [] });
  }
}

class TypedError extends Error {
  constructor(name, message, cause) {
    super(message);
    this.name = name;
    if (cause?.stack) this.stack = `${name}: ${message}\n${cause.stack.split("\n").slice(1).join("\n")}`;
  }
}

// ---- handler loading: "dir/module.export.nested", CommonJS or ES module ----

async function loadHandler(handlerString) {
  const slash = handlerString.lastIndexOf("/");
  const dir = handlerString.slice(0, slash + 1);
  const rest = handlerString.slice(slash + 1);
  const dot = rest.indexOf(".");
  if (dot <= 0 || dot === rest.length - 1) throw new TypedError("Runtime.MalformedHandlerName", "Bad handler");
  const moduleName = rest.slice(0, dot);
  const path = rest.slice(dot + 1).split(".");
  const moduleRoot = resolve(TASK_ROOT, dir);

  const mod = await loadModule(moduleRoot, moduleName);
  let handler = mod;
  for (const key of path) handler = handler == null ? undefined : handler[key];
  if (typeof handler !== "function") {
    throw new TypedError("Runtime.HandlerNotFound", `${rest} is undefined or not exported`);
  }
  return handler;
}

async function loadModule(root, name) {
  const base = join(root, name);
  try {
    if (existsSync(`${base}.mjs`)) return await import(pathToFileURL(`${base}.mjs`).href);
    if (existsSync(`${base}.cjs`)) return createRequire(BOOTSTRAP_PATH)(`${base}.cjs`);
    if (existsSync(`${base}.js`)) {
      if (isModuleScope(root)) return await import(pathToFileURL(`${base}.js`).href);
      try {
        return createRequire(BOOTSTRAP_PATH)(`${base}.js`);
      } catch (error) {
        if (error?.code === "ERR_REQUIRE_ESM") return await import(pathToFileURL(`${base}.js`).href);
        throw error;
      }
    }
    // A directory module or a package in node_modules, as require() would find it.
    return createRequire(join(root, "noop.js"))(name);
  } catch (error) {
    throw classifyImportError(error);
  }
}

function isModuleScope(dir) {
  for (let at = dir; ; at = dirname(at)) {
    const pkg = join(at, "package.json");
    if (existsSync(pkg)) {
      try {
        return JSON.parse(readFileSync(pkg, "utf8")).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(at) === at) return false;
  }
}

function classifyImportError(error) {
  if (error instanceof SyntaxError) {
    return new TypedError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`, error);
  }
  if (error?.code === "MODULE_NOT_FOUND" || error?.code === "ERR_MODULE_NOT_FOUND") {
    const message = error.code === "MODULE_NOT_FOUND" ? error.message : `${error.message}\nRequire stack:\n- ${BOOTSTRAP_PATH}`;
    return new TypedError("Runtime.ImportModuleError", `Error: ${message}`, error);
  }
  return error;
}

// ---- the context object ----

function makeContext(headers, finish) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"]);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (err, result) => finish(err, result, true),
    succeed: (result) => finish(null, result, true),
    fail: (err) => finish(err ?? "handled", undefined, true),
  };
  if (headers["lambda-runtime-client-context"]) context.clientContext = parseJson(headers["lambda-runtime-client-context"]);
  if (headers["lambda-runtime-cognito-identity"]) context.identity = parseJson(headers["lambda-runtime-cognito-identity"]);
  return context;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---- one invocation ----

let inFlight = undefined; // { requestId, settled }

function runHandler(handler, event, headers) {
  return new Promise((resolveRun) => {
    const requestId = headers["lambda-runtime-aws-request-id"];
    const state = { requestId, settled: false };
    inFlight = state;
    const finish = (err, result, fromCallback) => {
      if (state.settled) return;
      state.settled = true;
      if (state.fallback) process.removeListener("beforeExit", state.fallback);
      if (state.keepAlive) clearInterval(state.keepAlive);
      const send = () => {
        if (inFlight === state) inFlight = undefined;
        resolveRun(err != null ? { error: err } : { result });
      };
      // Callback-style handlers answer once the event loop is empty, unless told not to wait.
      if (fromCallback && context.callbackWaitsForEmptyEventLoop) process.once("beforeExit", send);
      else send();
    };
    const context = makeContext(headers, finish);
    const callback = (err, result) => finish(err, result, true);
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === "function") {
        // A promise that never settles leaves nothing in the event loop, and Node would
        // exit (status 13, unsettled top-level await) instead of running into the
        // timeout as AWS does: hold the loop open while the handler's promise is pending.
        state.keepAlive = setInterval(() => {}, 1 << 30);
        returned.then(
          (result) => finish(null, result, false),
          (err) => finish(err ?? new Error("Promise rejected with no reason"), undefined, false),
        );
      } else {
        // Neither a promise nor (yet) the callback: as on AWS, the invocation ends with
        // null once the event loop is empty, unless the callback comes first.
        state.fallback = () => finish(null, null, false);
        process.once("beforeExit", state.fallback);
      }
    } catch (err) {
      finish(err, undefined, false);
    }
  });
}

async function invocationLoop(handler) {
  for (;;) {
    const next = await call("GET", "invocation/next");
    const headers = next.headers;
    const requestId = headers["lambda-runtime-aws-request-id"];
    currentRequestId = requestId;
    if (headers["lambda-runtime-trace-id"]) process.env._X_AMZN_TRACE_ID = headers["lambda-runtime-trace-id"];
    else delete process.env._X_AMZN_TRACE_ID;
    let event;
    try {
      event = next.body.length ? JSON.parse(next.body.toString("utf8")) : {};
    } catch (err) {
      await post(`invocation/${requestId}/error`, serialize(toErrorPayload(err)), "Runtime.UnmarshalError");
      continue;
    }
    const outcome = await runHandler(handler, event, headers);
    if ("error" in outcome) {
      const payload = toErrorPayload(outcome.error);
      writeLog("ERROR", [`Invoke Error \t${serialize(payload)}`]);
      await post(`invocation/${requestId}/error`, serialize(payload), payload.errorType);
    } else {
      let body;
      try {
        body = outcome.result === undefined ? "null" : JSON.stringify(outcome.result);
      } catch (err) {
        const payload = { errorType: "Runtime.MarshalError", errorMessage: `Unable to stringify response body: ${err.message}`, trace: [] };
        await post(`invocation/${requestId}/error`, serialize(payload), payload.errorType);
        continue;
      }
      await post(`invocation/${requestId}/response`, body);
    }
  }
}

// An error nobody catches ends the environment, as on AWS: report it for the
// invocation in flight (or as an init error), then exit.
async function fatal(error, errorType) {
  const payload = toErrorPayload(error);
  if (errorType) payload.errorType = errorType;
  writeLog("ERROR", [`${errorType === "Runtime.UnhandledPromiseRejection" ? "Unhandled Promise Rejection" : "Uncaught Exception"} \t${serialize(payload)}`]);
  try {
    if (inFlight && !inFlight.settled) await post(`invocation/${inFlight.requestId}/error`, serialize(payload), payload.errorType);
    else if (!initialized) await post("init/error", serialize(payload), payload.errorType);
  } finally {
    process.exit(129);
  }
}

let initialized = false;
process.on("uncaughtException", (error) => void fatal(error));
process.on("unhandledRejection", (reason) => {
  const error = reason instanceof Error ? reason : new Error(String(reason));
  const wrapped = new TypedError("Runtime.UnhandledPromiseRejection", `${error.name}: ${error.message}`, error);
  void fatal(wrapped, "Runtime.UnhandledPromiseRejection");
});

let handler;
try {
  handler = await loadHandler(HANDLER);
} catch (error) {
  const payload = toErrorPayload(error);
  writeLog("ERROR", [`Uncaught Exception \t${serialize(payload)}`]);
  await post("init/error", serialize(payload), payload.errorType);
  process.exit(129);
}
initialized = true;
await invocationLoop(handler);
