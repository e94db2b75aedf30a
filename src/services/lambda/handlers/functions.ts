import type {
  CreateFunctionRequest, DeleteFunctionRequest, FunctionConfiguration, GetFunctionConfigurationRequest, GetFunctionRequest,
  GetFunctionResponse, ListFunctionsRequest, ListFunctionsResponse, UpdateFunctionCodeRequest, UpdateFunctionConfigurationRequest,
} from "@aws-sdk/client-lambda";
import { randomUUID } from "node:crypto";
import { codeBytes, imagesNeedContainers } from "../code-source.js";
import { functionNotFound, invalidParameter, resourceConflict } from "../errors.js";
import { LambdaLimits } from "../limits.js";
import { allocationKey } from "../provisioned-concurrency.js";
import { lambdaTimestamp, parseFunctionName } from "../names.js";
import type { FunctionRecord, VersionRecord } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaContext, LambdaHandler } from "../types.js";
import { validateArchitectures, validateEnvironment, validateLayerCount, validateRuntime, validateTimeout } from "../validate.js";
import { functionConfiguration } from "../views.js";
import { publish } from "./versions.js";
import { codePath } from "../internal-routes.js";

// CreateFunction, GetFunction(Configuration), Update*, DeleteFunction, ListFunctions.

function checkLayers(store: LambdaStore, layers: string[] | undefined): string[] {
  const list = layers ?? [];
  validateLayerCount(list);
  for (const arn of list) store.requireLayerVersion(arn);
  return list;
}

export const CreateFunction: LambdaHandler<CreateFunctionRequest, FunctionConfiguration> = async (input, ctx) => {
  const store = ctx.store;
  if (input.PackageType === "Image") throw imagesNeedContainers();
  const { name } = parseFunctionName(input.FunctionName ?? "");
  if (store.get(name)) throw resourceConflict(`Function already exist: ${name}`);
  const runtime = validateRuntime(input.Runtime);
  if (input.Handler === undefined) throw invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  validateTimeout(input.Timeout ?? 3);
  validateEnvironment(input.Environment?.Variables);
  const architectures = validateArchitectures(input.Architectures);
  const layers = checkLayers(store, input.Layers);
  const zip = await codeBytes(input.Code ?? {}, ctx);
  // A concurrent CreateFunction may have won while the code was fetched.
  if (store.get(name)) throw resourceConflict(`Function already exist: ${name}`);
  const code = store.putCode(zip);
  const latest: VersionRecord = {
    version: "$LATEST",
    runtime,
    handler: input.Handler,
    role: input.Role ?? "",
    description: input.Description ?? "",
    timeout: input.Timeout ?? 3,
    memorySize: input.MemorySize ?? 128,
    environment: input.Environment?.Variables,
    architectures,
    ephemeralStorage: input.EphemeralStorage?.Size ?? 512,
    tracingMode: input.TracingConfig?.Mode ?? "PassThrough",
    deadLetterTargetArn: input.DeadLetterConfig?.TargetArn,
    layers,
    kmsKeyArn: input.KMSKeyArn,
    ...code,
    lastModified: lambdaTimestamp(ctx.clock.now()),
    revisionId: randomUUID(),
  };
  const fn: FunctionRecord = {
    name,
    versions: { $LATEST: latest },
    lastVersion: 0,
    aliases: {},
    policies: {},
    tags: { ...(input.Tags ?? {}) },
    eventInvokeConfigs: {},
  };
  store.save(fn);
  // Extract now, so the function is ready (Active) when the first read comes.
  store.codeDir(latest.codeId);
  const shown = input.Publish ? publish(store, fn, latest.codeSha256, undefined, ctx) : latest;
  return functionConfiguration(store, fn, shown, { state: { State: "Pending", LastUpdateStatus: "InProgress" }, qualifiedArn: input.Publish === true });
};

export const GetFunction: LambdaHandler<GetFunctionRequest, GetFunctionResponse> = (input, ctx) => {
  const { fn, config, qualifier, alias } = ctx.store.resolve(input.FunctionName, input.Qualifier);
  const tagged = qualifier === undefined || qualifier === "$LATEST" ? {} : undefined;
  return {
    Configuration: functionConfiguration(ctx.store, fn, config, { qualifiedArn: qualifier !== undefined && !alias && qualifier !== "$LATEST" }),
    Code: { RepositoryType: "S3", Location: codeLocation(ctx, fn.name, config) },
    ...(tagged && Object.keys(fn.tags).length ? { Tags: fn.tags } : {}),
    ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
  };
};

/**
 * AWS answers a presigned S3 URL; Terrarium serves the zip itself (internal-routes.ts),
 * on the host the client used when there is one.
 */
function codeLocation(ctx: LambdaContext, name: string, config: VersionRecord): string {
  const base = ctx.http?.host ? `http://${ctx.http.host}` : ctx.endpoint;
  return base + codePath(ctx.account, ctx.region, name, config.codeId);
}

export const GetFunctionConfiguration: LambdaHandler<GetFunctionConfigurationRequest, FunctionConfiguration> = (input, ctx) => {
  const { fn, config, qualifier, alias } = ctx.store.resolve(input.FunctionName, input.Qualifier);
  return functionConfiguration(ctx.store, fn, config, { qualifiedArn: qualifier !== undefined && !alias && qualifier !== "$LATEST" });
};

const UPDATING = { State: "Active", LastUpdateStatus: "InProgress" } as const;

export const UpdateFunctionCode: LambdaHandler<UpdateFunctionCodeRequest, FunctionConfiguration> = async (input, ctx) => {
  const store = ctx.store;
  const fn = store.require(input.FunctionName);
  const latest = fn.versions.$LATEST;
  checkRevision(latest.revisionId, input.RevisionId);
  if (input.ImageUri) throw imagesNeedContainers();
  if (input.Architectures) latest.architectures = validateArchitectures(input.Architectures);
  const zip = await codeBytes(input, ctx);
  const code = store.putCode(zip);
  const previous = latest.codeId;
  Object.assign(latest, code, { lastModified: lambdaTimestamp(ctx.clock.now()), revisionId: randomUUID() });
  store.save(fn);
  store.codeDir(latest.codeId);
  store.dropCodeIfUnused(previous);
  store.runtime.release(store.arn(fn.name), "$LATEST");
  if (input.DryRun) return functionConfiguration(store, fn, latest);
  const shown = input.Publish ? publish(store, fn, latest.codeSha256, undefined, ctx) : latest;
  return functionConfiguration(store, fn, shown, { state: UPDATING, qualifiedArn: input.Publish === true });
};

export const UpdateFunctionConfiguration: LambdaHandler<UpdateFunctionConfigurationRequest, FunctionConfiguration> = (input, ctx) => {
  const store = ctx.store;
  const fn = store.require(input.FunctionName);
  const latest = fn.versions.$LATEST;
  checkRevision(latest.revisionId, input.RevisionId);
  if (input.Runtime !== undefined) latest.runtime = validateRuntime(input.Runtime);
  if (input.Timeout !== undefined) validateTimeout(input.Timeout);
  if (input.Environment) validateEnvironment(input.Environment.Variables);
  if (input.Layers) latest.layers = checkLayers(store, input.Layers);
  if (input.Handler !== undefined) latest.handler = input.Handler;
  if (input.Role !== undefined) latest.role = input.Role;
  if (input.Description !== undefined) latest.description = input.Description;
  if (input.Timeout !== undefined) latest.timeout = input.Timeout;
  if (input.MemorySize !== undefined) latest.memorySize = input.MemorySize;
  if (input.Environment) latest.environment = input.Environment.Variables ?? {};
  if (input.EphemeralStorage?.Size !== undefined) latest.ephemeralStorage = input.EphemeralStorage.Size;
  if (input.TracingConfig?.Mode) latest.tracingMode = input.TracingConfig.Mode;
  if (input.DeadLetterConfig) latest.deadLetterTargetArn = input.DeadLetterConfig.TargetArn || undefined;
  if (input.KMSKeyArn !== undefined) latest.kmsKeyArn = input.KMSKeyArn || undefined;
  latest.lastModified = lambdaTimestamp(ctx.clock.now());
  latest.revisionId = randomUUID();
  store.save(fn);
  return functionConfiguration(store, fn, latest, { state: UPDATING });
};

export function checkRevision(current: string, given: string | undefined): void {
  if (given !== undefined && given !== current) {
    throw invalidParameter("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
  }
}

export const DeleteFunction: LambdaHandler<DeleteFunctionRequest, object> = (input, ctx) => {
  const store = ctx.store;
  const { name, qualifier } = parseFunctionName(input.FunctionName ?? "", input.Qualifier);
  const fn = store.get(name);
  if (!fn) throw functionNotFound(store.arn(name, qualifier));
  const arn = store.arn(name);
  if (qualifier === undefined) {
    store.remove(fn);
    store.runtime.release(arn);
    for (const q of Object.keys(fn.provisionedConcurrency ?? {})) store.runtime.provisioned.delete(allocationKey(store, fn.name, q));
    for (const version of Object.values(fn.versions)) store.dropCodeIfUnused(version.codeId);
    return {};
  }
  if (qualifier === "$LATEST") throw invalidParameter("$LATEST version cannot be deleted without deleting the function.");
  const version = fn.versions[qualifier];
  if (!version) throw functionNotFound(store.arn(name, qualifier));
  const usedBy = Object.values(fn.aliases).find((a) => a.functionVersion === qualifier || (a.weights && qualifier in a.weights));
  if (usedBy) {
    throw resourceConflict(`Unable to delete version because the following aliases reference it: [${usedBy.name}]`);
  }
  delete fn.versions[qualifier];
  delete fn.provisionedConcurrency?.[qualifier];
  store.save(fn);
  store.runtime.release(arn, qualifier);
  store.runtime.provisioned.delete(allocationKey(store, fn.name, qualifier));
  store.dropCodeIfUnused(version.codeId);
  return {};
};

/** ListFunctions: sorted by name; Marker is the opaque position AWS hands back. */
export const ListFunctions: LambdaHandler<ListFunctionsRequest, ListFunctionsResponse> = (input, ctx) => {
  const store = ctx.store;
  const all = input.FunctionVersion === "ALL";
  const entries: FunctionConfiguration[] = [];
  for (const fn of store.all()) {
    entries.push(functionConfiguration(store, fn, fn.versions.$LATEST, { qualifiedArn: all }));
    if (all) {
      for (const v of publishedVersions(fn)) entries.push(functionConfiguration(store, fn, v));
    }
  }
  return paginate(entries, input.Marker, input.MaxItems, "Functions");
};

export function publishedVersions(fn: FunctionRecord): VersionRecord[] {
  return Object.values(fn.versions)
    .filter((v) => v.version !== "$LATEST")
    .sort((a, b) => Number(a.version) - Number(b.version));
}

/** Marker-based pages: the marker is the base64 index of the next item. */
export function paginate<T, K extends string>(
  items: T[],
  marker: string | undefined,
  maxItems: number | undefined,
  key: K,
): { [P in K]: T[] } & { NextMarker?: string } {
  let start = 0;
  if (marker) {
    start = Number(Buffer.from(marker, "base64").toString("utf8"));
    if (!Number.isInteger(start) || start < 0) throw invalidParameter("Invalid pagination token");
  }
  const size = maxItems ?? LambdaLimits.defaultMaxItems;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString("base64") : undefined;
  return { [key]: page, ...(next ? { NextMarker: next } : {}) } as { [P in K]: T[] } & { NextMarker?: string };
}
