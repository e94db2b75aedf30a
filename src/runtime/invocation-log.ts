// The platform lines Lambda writes around each invocation, in AWS's formats:
//   START RequestId: <id> Version: $LATEST
//   END RequestId: <id>
//   REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 42 MB\t
// plus "Init Duration" on a cold start and "Status: timeout" / "Status: error\tError Type: X"
// when the invocation failed in the platform's eyes.

/** LogType=Tail returns at most the last 4 KB of the log. */
export const LOG_TAIL_BYTES = 4096;

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface Report {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memoryMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  status?: "timeout" | "error";
  errorType?: string;
}

export function reportLine(r: Report): string {
  let line =
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedDurationMs} ms\t` +
    `Memory Size: ${r.memoryMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  if (r.status) line += `Status: ${r.status}\t`;
  if (r.errorType) line += `Error Type: ${r.errorType}\t`;
  return line;
}

export function initReportLine(initDurationMs: number, errorType: string): string {
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${errorType}`;
}

/** "Task timed out after 3.00 seconds", the seconds with two decimals as AWS prints them. */
export function timeoutMessage(timeoutS: number): string {
  return `Task timed out after ${timeoutS.toFixed(2)} seconds`;
}

/** The last `bytes` bytes of `log`, never starting inside a UTF-8 sequence. */
export function logTail(log: string, bytes: number = LOG_TAIL_BYTES): string {
  const buf = Buffer.from(log, "utf8");
  if (buf.length <= bytes) return log;
  let start = buf.length - bytes;
  while (start < buf.length && (buf[start] & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString("utf8");
}

/** Rounds to the 2 decimals Lambda reports. */
export function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
