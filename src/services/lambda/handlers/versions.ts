import type {
  AliasConfiguration, CreateAliasRequest, DeleteAliasRequest, FunctionConfiguration, GetAliasRequest, ListAliasesRequest,
  ListAliasesResponse, ListVersionsByFunctionRequest, ListVersionsByFunctionResponse, PublishVersionRequest, UpdateAliasRequest,
} from "@aws-sdk/client-lambda";
import { randomUUID } from "node:crypto";
import { functionNotFound, invalidParameter, resourceConflict, resourceNotFound } from "../errors.js";
import { lambdaTimestamp } from "../names.js";
import { allocate, deallocate } from "../provisioned-concurrency.js";
import type { AliasRecord, FunctionRecord, VersionRecord } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaContext, LambdaHandler } from "../types.js";
import { aliasConfiguration, functionConfiguration } from "../views.js";
import { checkRevision, paginate, publishedVersions } from "./functions.js";

// PublishVersion, ListVersionsByFunction, and aliases with weighted routing.

/** What makes two versions the same: publishing an unchanged $LATEST returns the last version. */
function sameContent(a: VersionRecord, b: VersionRecord): boolean {
  const strip = ({ version, lastModified, revisionId, description, ...rest }: VersionRecord) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

export function publish(store: LambdaStore, fn: FunctionRecord, codeSha256: string | undefined, description: string | undefined, ctx: LambdaContext): VersionRecord {
  const latest = fn.versions.$LATEST;
  if (codeSha256 !== undefined && codeSha256 !== latest.codeSha256) {
    throw invalidParameter(
      `CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  const last = publishedVersions(fn).at(-1);
  if (last && sameContent(last, latest)) return last;
  fn.lastVersion += 1;
  const version: VersionRecord = {
    ...structuredClone(latest),
    version: String(fn.lastVersion),
    description: description ?? latest.description,
    lastModified: lambdaTimestamp(ctx.clock.now()),
    revisionId: randomUUID(),
  };
  fn.versions[version.version] = version;
  store.save(fn);
  return version;
}

export const PublishVersion: LambdaHandler<PublishVersionRequest, FunctionConfiguration> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  checkRevision(fn.versions.$LATEST.revisionId, input.RevisionId);
  const version = publish(ctx.store, fn, input.CodeSha256, input.Description, ctx);
  return functionConfiguration(ctx.store, fn, version);
};

export const ListVersionsByFunction: LambdaHandler<ListVersionsByFunctionRequest, ListVersionsByFunctionResponse> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  const versions = [fn.versions.$LATEST, ...publishedVersions(fn)].map((v) => functionConfiguration(ctx.store, fn, v, { qualifiedArn: true }));
  return paginate(versions, input.Marker, input.MaxItems, "Versions");
};

function checkTargets(store: LambdaStore, fn: FunctionRecord, version: string, weights: Record<string, number> | undefined): void {
  if (!fn.versions[version]) throw functionNotFound(store.arn(fn.name, version));
  if (!weights) return;
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1");
  for (const [extra] of entries) {
    if (extra === "$LATEST" || version === "$LATEST") {
      throw invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
    }
    if (!fn.versions[extra]) throw functionNotFound(store.arn(fn.name, extra));
    if (extra === version) throw invalidParameter(`Invalid function version ${extra}. Function version ${extra} is already included in routing configuration.`);
  }
}

function requireAlias(store: LambdaStore, fn: FunctionRecord, name: string | undefined): AliasRecord {
  const alias = fn.aliases[name ?? ""];
  if (!alias) throw resourceNotFound(`Cannot find alias arn: ${store.arn(fn.name, name)}`);
  return alias;
}

export const CreateAlias: LambdaHandler<CreateAliasRequest, AliasConfiguration> = (input, ctx) => {
  const store = ctx.store;
  const fn = store.require(input.FunctionName);
  const name = input.Name!;
  if (fn.aliases[name]) throw resourceConflict(`Alias already exists: ${store.arn(fn.name, name)}`);
  const weights = input.RoutingConfig?.AdditionalVersionWeights;
  checkTargets(store, fn, input.FunctionVersion!, weights);
  const alias: AliasRecord = {
    name,
    functionVersion: input.FunctionVersion!,
    description: input.Description ?? "",
    ...(weights && Object.keys(weights).length ? { weights } : {}),
    revisionId: randomUUID(),
  };
  fn.aliases[name] = alias;
  store.save(fn);
  return aliasConfiguration(store, fn, alias);
};

export const GetAlias: LambdaHandler<GetAliasRequest, AliasConfiguration> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  return aliasConfiguration(ctx.store, fn, requireAlias(ctx.store, fn, input.Name));
};

export const UpdateAlias: LambdaHandler<UpdateAliasRequest, AliasConfiguration> = (input, ctx) => {
  const store = ctx.store;
  const fn = store.require(input.FunctionName);
  const alias = requireAlias(store, fn, input.Name);
  if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId) {
    throw lambdaPreconditionFailed();
  }
  const version = input.FunctionVersion ?? alias.functionVersion;
  const weights = input.RoutingConfig ? input.RoutingConfig.AdditionalVersionWeights : alias.weights;
  checkTargets(store, fn, version, weights);
  const previous = alias.functionVersion;
  alias.functionVersion = version;
  if (input.Description !== undefined) alias.description = input.Description;
  if (weights && Object.keys(weights).length) alias.weights = weights;
  else delete alias.weights;
  alias.revisionId = randomUUID();
  store.save(fn);
  // The alias's provisioned concurrency moves to the version it now points to.
  if (previous !== version && fn.provisionedConcurrency?.[alias.name]) {
    deallocate(store, fn, previous, alias.name);
    allocate(store, fn, alias.name);
  }
  return aliasConfiguration(store, fn, alias);
};

function lambdaPreconditionFailed() {
  return invalidParameter("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
}

export const DeleteAlias: LambdaHandler<DeleteAliasRequest, object> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  // Deleting an alias that does not exist succeeds on AWS.
  if (input.Name && fn.aliases[input.Name]) {
    const version = fn.aliases[input.Name].functionVersion;
    const provisioned = fn.provisionedConcurrency?.[input.Name];
    delete fn.aliases[input.Name];
    delete fn.policies[input.Name];
    delete fn.provisionedConcurrency?.[input.Name];
    ctx.store.save(fn);
    // Its provisioned concurrency goes with it.
    if (provisioned) deallocate(ctx.store, fn, version, input.Name);
  }
  return {};
};

export const ListAliases: LambdaHandler<ListAliasesRequest, ListAliasesResponse> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  const aliases = Object.values(fn.aliases)
    .filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((a) => aliasConfiguration(ctx.store, fn, a));
  return paginate(aliases, input.Marker, input.MaxItems, "Aliases");
};
