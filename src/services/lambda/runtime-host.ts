import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../config.js";
import type { Clock } from "../../platform/clock.js";
import type { Logger } from "../../platform/logger.js";
import { LambdaExecutor } from "../../runtime/executor.js";
import type { BlobStore } from "../../storage/blobs.js";
import { extractZip } from "./code.js";

// What one Lambda service instance (one server) owns beyond its stores: the
// execution engine, the directory where code and layers are extracted, and the
// address functions use to call back (AWS_ENDPOINT_URL).
//
// The endpoint: Config has the host and port asked for, but not the port picked
// when it was 0 (tests, `--port 0`), so the first request that arrives over HTTP
// teaches it (the Host header the client used, as SQS queue URLs do). Until then
// (an invoke from another service before any HTTP call) config.host:config.port is used.

export class LambdaRuntime {
  private executorInstance: LambdaExecutor | undefined;
  private endpoint: string | undefined;
  private rootDir: string | undefined;
  private readonly extracted = new Set<string>();
  clock: Clock | undefined;
  logger: Logger | undefined;
  stopped = false;

  constructor(private readonly config: Config) {}

  learnEndpoint(host: string | undefined): void {
    if (this.endpoint === undefined && host) this.endpoint = `http://${host}`;
  }

  endpointUrl(): string {
    if (this.endpoint) return this.endpoint;
    const host = this.config.host === "0.0.0.0" || this.config.host === "::" ? "127.0.0.1" : this.config.host;
    return `http://${host}:${this.config.port}`;
  }

  executor(): LambdaExecutor {
    if (this.stopped) throw new Error("the Lambda service is stopped");
    this.executorInstance ??= new LambdaExecutor({
      endpointUrl: this.endpointUrl(),
      logger: this.logger,
      now: this.clock ? () => this.clock!.now() : undefined,
      tmpDir: this.root(),
    });
    return this.executorInstance;
  }

  /** Workers running now (for GetAccountSettings-like figures and tests). */
  hasExecutor(): boolean {
    return this.executorInstance !== undefined;
  }

  /** The extracted directory of a stored zip, extracting it on first use (also after a restart). */
  codeDir(blobs: BlobStore, blobKey: string, codeId: string): string {
    const dir = join(this.root(), codeId);
    if (this.extracted.has(codeId) && existsSync(dir)) return dir;
    const zip = blobs.get(blobKey);
    if (!zip) throw new Error(`the code ${blobKey} is missing from the blob store`);
    extractZip(zip, dir);
    this.extracted.add(codeId);
    return dir;
  }

  removeCode(codeId: string): void {
    this.extracted.delete(codeId);
    if (this.rootDir) rmSync(join(this.rootDir, codeId), { recursive: true, force: true });
  }

  release(arn: string, version?: string): void {
    this.executorInstance?.release(arn, version);
  }

  /** reset: every worker stops and every extracted directory goes; the service keeps running. */
  reset(): void {
    const executor = this.executorInstance;
    this.executorInstance = undefined;
    void executor?.shutdown();
    this.removeRoot();
  }

  /** stop: workers are killed (SIGKILL, synchronously issued) and the directories removed. */
  stop(): Promise<void> {
    this.stopped = true;
    const executor = this.executorInstance;
    this.executorInstance = undefined;
    const done = executor?.shutdown() ?? Promise.resolve();
    return done.finally(() => this.removeRoot());
  }

  private root(): string {
    this.rootDir ??= mkdtempSync(join(tmpdir(), "terrarium-lambda-"));
    return this.rootDir;
  }

  private removeRoot(): void {
    this.extracted.clear();
    if (this.rootDir) rmSync(this.rootDir, { recursive: true, force: true });
    this.rootDir = undefined;
  }
}
