// One invocation on one worker, and the InvokeResult it comes to: the platform lines
// Lambda writes around it (START, END, REPORT, the timeout and exit lines), the
// billed duration and memory, and the results of an environment that could not
// start (init failure) or could not even be set up (no bootstrap, bad handler).

import { performance } from "node:perf_hooks";
import { endLine, initReportLine, logTail, reportLine, round2, startLine, timeoutMessage } from "./invocation-log.js";
import { describe, errorPayload, exitMessage, type Failure, OOM_EXIT, OUT_OF_MEMORY, traceHeader } from "./invocation-outcome.js";
import type { Invocation } from "./runtime-api.js";
import type { RuntimeFamily } from "./runtimes.js";
import type { FunctionSpec, InvokeOptions, InvokeResult } from "./types.js";
import type { InitResult, RunResult, Worker } from "./worker.js";

/** What the results of a function version's invocations depend on besides the worker. */
export interface InvocationContext {
  spec: FunctionSpec;
  family: RuntimeFamily;
  initTimeoutMs: number;
  /** Terrarium's clock, for the timestamp of the timeout line. */
  now: () => number;
}

/** Runs one event on `worker`; a worker killed for outgrowing MemorySize is recycled here. */
export async function runInvocation(
  ctx: InvocationContext,
  worker: Worker,
  requestId: string,
  event: Buffer,
  options: InvokeOptions,
  initDurationMs?: number,
): Promise<InvokeResult> {
  const spec = ctx.spec;
  const invocation: Invocation = {
    requestId,
    payload: event,
    deadlineMs: Date.now() + spec.timeoutS * 1000,
    invokedFunctionArn: options.invokedFunctionArn ?? spec.arn,
    traceId: options.traceId ?? traceHeader(),
    clientContext: options.clientContext,
    cognitoIdentity: options.cognitoIdentity,
  };
  worker.log(startLine(requestId, spec.version));
  const started = performance.now();
  const result = await worker.run(invocation, spec.timeoutS * 1000);
  const durationMs = round2(performance.now() - started);
  const failure = describe(result, requestId, spec.timeoutS);
  if (result.kind === "exit") {
    worker.log(`RequestId: ${requestId} Error: ${exitMessage(result.exit)}`);
    worker.log("Runtime.ExitError");
  }
  if (failure.errorType === OUT_OF_MEMORY) {
    // Killed for outgrowing MemorySize (or the runtime hit its own cap and is ending): recycle the environment.
    worker.kill();
    worker.log(`RequestId: ${requestId} Error: ${exitMessage(OOM_EXIT)}`);
    worker.log(OUT_OF_MEMORY);
  }
  return finish(ctx, worker, requestId, durationMs, initDurationMs, failure, result);
}

/** The answer to the request whose environment failed its init (as on AWS, that request gets the init error). */
export function initFailureResult(
  ctx: InvocationContext,
  requestId: string,
  worker: Worker,
  init: Extract<InitResult, { ok: false }>,
): InvokeResult {
  let payload: Buffer;
  if (init.payload && init.payload.length > 0) payload = init.payload;
  else if (init.timedOut) payload = errorPayload("Sandbox.Timedout", `RequestId: ${requestId} Error: ${timeoutMessage(ctx.initTimeoutMs / 1000)}`);
  else if (init.errorType === OUT_OF_MEMORY) payload = errorPayload(OUT_OF_MEMORY, `RequestId: ${requestId} Error: ${exitMessage(OOM_EXIT)}`);
  else payload = errorPayload(init.errorType, `RequestId: ${requestId} Error: ${exitMessage(init.exit ?? "exit status 1")}`);
  worker.log(initReportLine(round2(init.durationMs), init.errorType));
  worker.log(startLine(requestId, ctx.spec.version));
  return finish(ctx, worker, requestId, 0, undefined, {
    payload,
    functionError: "Unhandled",
    errorType: init.errorType,
    status: "error",
  });
}

/** The answer when no environment could be set up at all (the launch plan is an error). */
export function setupFailureResult(spec: FunctionSpec, requestId: string, error: { errorType: string; errorMessage: string }): InvokeResult {
  const payload = errorPayload(error.errorType, `RequestId: ${requestId} Error: ${error.errorMessage}`);
  const log = [startLine(requestId, spec.version), `RequestId: ${requestId} Error: ${error.errorMessage}`, error.errorType, endLine(requestId)].join("\n") + "\n";
  return {
    requestId,
    payload,
    functionError: "Unhandled",
    errorType: error.errorType,
    log,
    logTail: logTail(log),
    durationMs: 0,
    billedDurationMs: 0,
    maxMemoryUsedMb: 0,
  };
}

function finish(
  ctx: InvocationContext,
  worker: Worker,
  requestId: string,
  durationMs: number,
  initDurationMs: number | undefined,
  failure: Failure,
  result?: RunResult,
): InvokeResult {
  const spec = ctx.spec;
  // AWS reports the whole MemorySize as used when it killed the function for exceeding it.
  const maxMemoryUsedMb = failure.errorType === OUT_OF_MEMORY ? spec.memoryMb : worker.maxMemoryUsedMb() || 1;
  // Custom runtimes are billed for their init too (AWS bills managed runtimes' init separately).
  const billedDurationMs = Math.max(1, Math.ceil(durationMs + (ctx.family === "provided" ? (initDurationMs ?? 0) : 0)));
  worker.log(endLine(requestId));
  worker.log(
    reportLine({
      requestId,
      durationMs,
      billedDurationMs,
      memoryMb: spec.memoryMb,
      maxMemoryUsedMb,
      initDurationMs: initDurationMs === undefined ? undefined : round2(initDurationMs),
      status: failure.status,
      errorType: failure.status === "error" ? failure.errorType : undefined,
    }),
  );
  if (result?.kind === "timeout") worker.log(`${new Date(ctx.now()).toISOString()} ${requestId} ${timeoutMessage(spec.timeoutS)}`);
  const log = worker.takeLines().join("\n") + "\n";
  return {
    requestId,
    payload: failure.payload,
    functionError: failure.functionError,
    errorType: failure.errorType,
    log,
    logTail: logTail(log),
    durationMs,
    billedDurationMs,
    initDurationMs: initDurationMs === undefined ? undefined : round2(initDurationMs),
    maxMemoryUsedMb,
  };
}
