import { randomUUID } from "node:crypto";
import type { Clock } from "../../platform/clock.js";
import type { BlobStore } from "../../storage/blobs.js";
import type { Collection } from "../../storage/documents.js";
import type { FunctionSpec } from "../../runtime/types.js";
import type { Invoke, StoreScope } from "../service.js";
import { codeInfo, readZip } from "./code.js";
import { functionNotFound, invalidParameter, resourceNotFound } from "./errors.js";
import { LambdaLimits } from "./limits.js";
import { functionArn, layerArn, parseFunctionName, parseLayerVersionArn } from "./names.js";
import type { AliasRecord, FunctionRecord, LayerRecord, LayerVersionRecord, VersionRecord } from "./records.js";
import type { EventSourceMappingRecord } from "./event-source-records.js";
import { allocate, provisionedSum } from "./provisioned-concurrency.js";
import type { LambdaRuntime } from "./runtime-host.js";
import { SqsPoller } from "./sqs-poller.js";
import { StreamPoller } from "./stream-poller.js";
import type { Logger } from "../../platform/logger.js";

// One account and region's functions and layers: records in the DocumentStore,
// zips in the blob store (extracted on demand by the LambdaRuntime).

/** A function version as an operation resolved it from FunctionName and Qualifier. */
export interface Resolved {
  fn: FunctionRecord;
  /** The version record the qualifier names (an alias's primary version). */
  config: VersionRecord;
  qualifier?: string;
  alias?: AliasRecord;
}

export class LambdaStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  readonly blobs: BlobStore;
  readonly invoke: Invoke;
  readonly logger: Logger;
  private readonly functions: Collection<FunctionRecord>;
  private readonly layers: Collection<LayerRecord>;
  readonly mappings: Collection<EventSourceMappingRecord>;
  /** The account's concurrency limit in this region (GetAccountSettings ConcurrentExecutions). */
  readonly concurrentExecutions: number;

  constructor(
    scope: StoreScope,
    readonly runtime: LambdaRuntime,
  ) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.blobs = scope.blobs;
    this.invoke = scope.invoke;
    this.functions = scope.documents.collection<FunctionRecord>(scope.service, scope.account, scope.region, "functions");
    this.layers = scope.documents.collection<LayerRecord>(scope.service, scope.account, scope.region, "layers");
    this.mappings = scope.documents.collection<EventSourceMappingRecord>(scope.service, scope.account, scope.region, "event-source-mappings");
    this.logger = scope.logger;
    this.concurrentExecutions = scope.config.lambdaConcurrentExecutions ?? LambdaLimits.concurrentExecutions;
    // After a restart (--data-dir), enabled mappings poll again and provisioned workers start again.
    for (const mapping of this.mappings.values()) queueMicrotask(() => this.syncPoller(mapping.UUID));
    for (const fn of this.functions.values()) {
      for (const url of Object.values(fn.urls ?? {})) runtime.urlOwners.set(url.urlId, this.account);
      for (const qualifier of Object.keys(fn.provisionedConcurrency ?? {})) queueMicrotask(() => this.reallocate(fn.name, qualifier));
    }
  }

  arn(name: string, qualifier?: string): string {
    return functionArn(this.region, this.account, name, qualifier);
  }

  // ---- code ----

  private blobKey(codeId: string): string {
    return `lambda/${this.account}/${this.region}/${codeId}`;
  }

  /** Stores a zip (checking that it is one) and returns its id, hash and size. */
  putCode(zip: Uint8Array): { codeId: string; codeSha256: string; codeSize: number } {
    if (zip.byteLength > LambdaLimits.zippedCodeBytes) {
      throw invalidParameter(`Unzipped size must be smaller than ${LambdaLimits.unzippedCodeBytes} bytes`);
    }
    readZip(zip);
    const codeId = randomUUID();
    this.blobs.put(this.blobKey(codeId), Buffer.from(zip));
    const info = codeInfo(zip);
    return { codeId, codeSha256: info.sha256, codeSize: info.size };
  }

  codeBytes(codeId: string): Buffer | undefined {
    return this.blobs.get(this.blobKey(codeId));
  }

  codeDir(codeId: string): string {
    return this.runtime.codeDir(this.blobs, this.blobKey(codeId), codeId);
  }

  /** Drops a zip no version or layer uses any more. */
  dropCodeIfUnused(codeId: string): void {
    for (const fn of this.functions.values()) for (const v of Object.values(fn.versions)) if (v.codeId === codeId) return;
    for (const layer of this.layers.values()) for (const v of Object.values(layer.versions)) if (v.codeId === codeId) return;
    this.blobs.delete(this.blobKey(codeId));
    this.runtime.removeCode(codeId);
  }

  // ---- functions ----

  all(): FunctionRecord[] {
    return this.functions.values().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): FunctionRecord | undefined {
    return this.functions.get(name);
  }

  save(fn: FunctionRecord): void {
    this.functions.put(fn.name, fn);
  }

  remove(fn: FunctionRecord): void {
    this.functions.delete(fn.name);
  }

  /** The function a FunctionName names (any qualifier ignored), or ResourceNotFoundException. */
  require(functionName: string | undefined): FunctionRecord {
    const { name } = parseFunctionName(functionName ?? "");
    const fn = this.functions.get(name);
    if (!fn) throw functionNotFound(this.arn(name));
    return fn;
  }

  /** FunctionName (+ Qualifier) to a function version, through an alias when it names one. */
  resolve(functionName: string | undefined, qualifierParam?: string): Resolved {
    const { name, qualifier } = parseFunctionName(functionName ?? "", qualifierParam);
    const fn = this.functions.get(name);
    if (!fn) throw functionNotFound(this.arn(name, qualifier));
    if (qualifier === undefined || qualifier === "$LATEST") return { fn, config: fn.versions.$LATEST, qualifier };
    const version = fn.versions[qualifier];
    if (version) return { fn, config: version, qualifier };
    const alias = fn.aliases[qualifier];
    if (alias) return { fn, config: fn.versions[alias.functionVersion], qualifier, alias };
    throw functionNotFound(this.arn(name, qualifier));
  }

  /** What unreserved concurrency may not go below (PutFunctionConcurrency, PutProvisionedConcurrencyConfig). */
  get minimumUnreserved(): number {
    return Math.min(LambdaLimits.minimumUnreserved, this.concurrentExecutions);
  }

  /**
   * The account's unreserved concurrency: what reserved concurrency leaves, less the
   * provisioned concurrency of functions without a reservation (it comes out of the same
   * pool). `except` leaves one provisioned configuration out (the one being replaced).
   */
  unreservedConcurrency(exceptFunction?: string, exceptQualifier?: string): number {
    let taken = 0;
    for (const fn of this.functions.values()) {
      if (fn.reservedConcurrency !== undefined) {
        taken += fn.reservedConcurrency;
        continue;
      }
      for (const [qualifier, config] of Object.entries(fn.provisionedConcurrency ?? {})) {
        if (fn.name !== exceptFunction || qualifier !== exceptQualifier) taken += config.requested;
      }
    }
    return this.concurrentExecutions - taken;
  }

  /** The execution engine's view of one version. */
  spec(fn: FunctionRecord, config: VersionRecord): FunctionSpec {
    const reserved = fn.reservedConcurrency;
    // Without a reservation a function runs on its provisioned concurrency, then on the
    // unreserved pool it shares with every other such function of the account and region.
    const unreserved = reserved === undefined ? this.unreservedConcurrency() : undefined;
    return {
      arn: this.arn(fn.name),
      name: fn.name,
      version: config.version,
      runtime: config.runtime,
      handler: config.handler,
      codeDir: this.codeDir(config.codeId),
      layers: config.layers.map((arn) => this.layerDir(arn)),
      memoryMb: config.memorySize,
      timeoutS: config.timeout,
      environment: config.environment ?? {},
      concurrencyLimit: reserved ?? Math.max(0, unreserved!) + provisionedSum(fn),
      reservedConcurrency: reserved !== undefined,
      ...(unreserved !== undefined ? { unreservedConcurrency: Math.max(0, unreserved) } : {}),
      region: this.region,
      account: this.account,
      revision: config.revisionId,
    };
  }

  private reallocate(name: string, qualifier: string): void {
    const fn = this.functions.get(name);
    if (!fn?.provisionedConcurrency?.[qualifier]) return;
    try {
      allocate(this, fn, qualifier);
    } catch (error) {
      this.logger.warn(`lambda: provisioned concurrency for ${name}:${qualifier} not restarted: ${(error as Error).message}`);
    }
  }

  // ---- event source mappings ----

  /** Starts or stops the poller of a mapping to match its record (enabled, disabled, deleted). */
  syncPoller(uuid: string): void {
    const key = `${this.account}/${this.region}/${uuid}`;
    const mapping = this.mappings.get(uuid);
    const running = this.runtime.pollers.get(key);
    if (mapping?.Enabled && !this.runtime.stopped) {
      if (running) return;
      const source = mapping.EventSourceArn.split(":")[2];
      if (source !== "sqs" && source !== "dynamodb") return;
      const poller = source === "sqs" ? new SqsPoller(this, uuid, this.logger) : new StreamPoller(this, uuid, this.logger);
      this.runtime.pollers.set(key, poller);
      poller.start();
    } else if (running) {
      running.stop();
      this.runtime.pollers.delete(key);
    }
  }

  // ---- layers ----

  layer(name: string): LayerRecord | undefined {
    return this.layers.get(name);
  }

  allLayers(): LayerRecord[] {
    return this.layers.values().sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  saveLayer(layer: LayerRecord): void {
    this.layers.put(layer.name, layer);
  }

  /** A layer version by its ARN; InvalidParameterValueException as CreateFunction reports it. */
  requireLayerVersion(arn: string): LayerVersionRecord {
    const parsed = parseLayerVersionArn(arn);
    const version = parsed && parsed.account === this.account && parsed.region === this.region
      ? this.layers.get(parsed.name)?.versions[String(parsed.version)]
      : undefined;
    if (!version) throw invalidParameter(`Layer version ${arn} does not exist.`);
    return version;
  }

  layerVersion(name: string, version: number): LayerVersionRecord {
    const found = this.layers.get(name)?.versions[String(version)];
    if (!found) throw resourceNotFound("The resource you requested does not exist.");
    return found;
  }

  layerArn(name: string, version?: number): string {
    return layerArn(this.region, this.account, name, version);
  }

  private layerDir(arn: string): string {
    return this.codeDir(this.requireLayerVersion(arn).codeId);
  }
}
