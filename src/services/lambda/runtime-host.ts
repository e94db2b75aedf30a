import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../config.js";
import type { Clock } from "../../platform/clock.js";
import type { Logger } from "../../platform/logger.js";
import { LambdaExecutor } from "../../runtime/executor.js";
import type { BlobStore } from "../../storage/blobs.js";
import { extractZip } from "./code.js";
import type { LogDelivery } from "./log-delivery.js";
import type { Allocation } from "./provisioned-concurrency.js";

// What one Lambda service instance (one server) owns beyond its stores: the
// execution engine, the directory where code and layers are extracted, and the
// address functions use to call back (AWS_ENDPOINT_URL): the server's own base URL,
// from the store scope (StoreScope.endpoint()).

export class LambdaRuntime {
  private executorInstance: LambdaExecutor | undefined;
  /** The server's base URL, set by the first store created. */
  endpoint: (() => string) | undefined;
  private rootDir: string | undefined;
  /** Extracted code and layer directories by code id. */
  private readonly extracted = new Map<string, string>();
  clock: Clock | undefined;
  logger: Logger | undefined;
  /** Event source mapping pollers running, by account/region/UUID. */
  readonly pollers = new Map<string, { stop(): void }>();
  /** Provisioned concurrency allocations, by account/region/function/qualifier (provisioned-concurrency.ts). */
  readonly provisioned = new Map<string, Allocation>();
  /** The account of each function URL id (ids are unique), for unsigned calls to a URL. */
  readonly urlOwners = new Map<string, string>();
  /** Delivers function output to CloudWatch Logs; set by the first store created. */
  logs: LogDelivery | undefined;
  stopped = false;

  constructor(private readonly config: Config) {}

  endpointUrl(): string {
    if (this.endpoint) return this.endpoint();
    const host = this.config.host === "0.0.0.0" || this.config.host === "::" ? "127.0.0.1" : this.config.host;
    return `http://${host}:${this.config.port}`;
  }

  executor(): LambdaExecutor {
    if (this.stopped) throw new Error("the Lambda service is stopped");
    this.executorInstance ??= new LambdaExecutor({
      endpointUrl: () => this.endpointUrl(),
      logger: this.logger,
      now: this.clock ? () => this.clock!.now() : undefined,
      tmpDir: this.root(),
      onLog: this.logs ? (event) => this.logs!.add(event) : undefined,
    });
    return this.executorInstance;
  }

  /** Workers running now (for GetAccountSettings-like figures and tests). */
  hasExecutor(): boolean {
    return this.executorInstance !== undefined;
  }

  /** The extracted directory of a stored zip, extracting it on first use (also after a restart). */
  codeDir(blobs: BlobStore, blobKey: string, codeId: string): string {
    // Called on every invoke (through spec()): the map, not a stat, says it is there.
    const known = this.extracted.get(codeId);
    if (known) return known;
    const dir = join(this.root(), codeId);
    const zip = blobs.get(blobKey);
    if (!zip) throw new Error(`the code ${blobKey} is missing from the blob store`);
    extractZip(zip, dir);
    this.extracted.set(codeId, dir);
    return dir;
  }

  removeCode(codeId: string): void {
    this.extracted.delete(codeId);
    if (this.rootDir) rmSync(join(this.rootDir, codeId), { recursive: true, force: true });
  }

  /** PutFunctionConcurrency / DeleteFunctionConcurrency: running pools follow the new reservation. */
  reservationChanged(arn: string, reserved: number | undefined): void {
    this.executorInstance?.reservationChanged(arn, reserved);
  }

  release(arn: string, version?: string): void {
    this.executorInstance?.release(arn, version);
  }

  /** reset: every worker stops and every extracted directory goes; the service keeps running. */
  reset(): void {
    const executor = this.executorInstance;
    this.executorInstance = undefined;
    void executor?.shutdown();
    this.stopPollers();
    this.provisioned.clear();
    this.urlOwners.clear();
    this.logs?.forget();
    this.removeRoot();
  }

  /** stop: workers are killed (SIGKILL, synchronously issued) and the directories removed. */
  stop(): Promise<void> {
    this.stopped = true;
    this.stopPollers();
    this.logs?.stop();
    const executor = this.executorInstance;
    this.executorInstance = undefined;
    const done = executor?.shutdown() ?? Promise.resolve();
    return done.finally(() => this.removeRoot());
  }

  private stopPollers(): void {
    for (const poller of this.pollers.values()) poller.stop();
    this.pollers.clear();
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
