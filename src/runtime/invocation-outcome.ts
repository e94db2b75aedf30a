// How an invocation ended, in AWS's words: the payload and error type of a timeout,
// a runtime that exited, ran out of memory, or answered too much; the exit text
// Lambda's Go runtime writes ("Runtime exited with error: exit status 1").

import { randomUUID } from "node:crypto";
import { MAX_RESPONSE_BYTES } from "./runtime-api.js";
import { timeoutMessage } from "./invocation-log.js";
import type { RunResult } from "./worker.js";

/** Exceeding MemorySize: AWS kills the environment and reports this error type
 *  ("Runtime exited with error: signal: killed"). Our bootstraps post it, then end. */
export const OUT_OF_MEMORY = "Runtime.OutOfMemory";
export const OOM_EXIT = "signal: killed";

export interface Failure {
  payload: Buffer;
  functionError?: "Unhandled";
  errorType?: string;
  status?: "timeout" | "error";
}

export function describe(result: RunResult, requestId: string, timeoutS: number): Failure {
  switch (result.kind) {
    case "timeout":
      return {
        payload: errorPayload("Sandbox.Timedout", `RequestId: ${requestId} Error: ${timeoutMessage(timeoutS)}`),
        functionError: "Unhandled",
        errorType: "Sandbox.Timedout",
        status: "timeout",
      };
    case "oom":
      return {
        payload: errorPayload(OUT_OF_MEMORY, `RequestId: ${requestId} Error: ${exitMessage(OOM_EXIT)}`),
        functionError: "Unhandled",
        errorType: OUT_OF_MEMORY,
        status: "error",
      };
    case "exit":
      return {
        payload: errorPayload("Runtime.ExitError", `RequestId: ${requestId} Error: ${exitMessage(result.exit)}`),
        functionError: "Unhandled",
        errorType: "Runtime.ExitError",
        status: "error",
      };
    case "outcome": {
      const outcome = result.outcome;
      if (outcome.kind === "response") return { payload: outcome.body };
      if (outcome.kind === "tooLarge") {
        return {
          payload: errorPayload(
            "Function.ResponseSizeTooLarge",
            `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            true,
          ),
          functionError: "Unhandled",
          errorType: "Function.ResponseSizeTooLarge",
        };
      }
      if (outcome.errorType === OUT_OF_MEMORY) {
        return {
          payload: errorPayload(OUT_OF_MEMORY, `RequestId: ${requestId} Error: ${exitMessage(OOM_EXIT)}`),
          functionError: "Unhandled",
          errorType: OUT_OF_MEMORY,
          status: "error",
        };
      }
      const errorType = outcome.errorType ?? errorTypeOf(outcome.body);
      const payload = outcome.body.length > 0 ? outcome.body : errorPayload(errorType ?? "Unknown", "");
      return { payload, functionError: "Unhandled", errorType };
    }
  }
}

/** AWS: "Runtime exited with error: exit status 1"; a clean exit has no reason to give. */
export function exitMessage(exit: string): string {
  return exit === "exit status 0" ? "Runtime exited without providing a reason" : `Runtime exited with error: ${exit}`;
}

export function errorPayload(errorType: string, errorMessage: string, messageFirst = false): Buffer {
  return Buffer.from(JSON.stringify(messageFirst ? { errorMessage, errorType } : { errorType, errorMessage }));
}

export function errorTypeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { errorType?: unknown };
    return typeof parsed.errorType === "string" ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}

/** An X-Ray trace header as Lambda passes it (Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=0). */
export function traceHeader(): string {
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, "0");
  const id = randomUUID().replaceAll("-", "");
  return `Root=1-${time}-${id.slice(0, 24)};Parent=${id.slice(16, 32)};Sampled=0`;
}
