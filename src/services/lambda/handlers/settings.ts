import type {
  Concurrency, DeleteFunctionConcurrencyRequest, GetAccountSettingsResponse, GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse, ListTagsRequest, ListTagsResponse, PutFunctionConcurrencyRequest, TagResourceRequest,
  UntagResourceRequest,
} from "@aws-sdk/client-lambda";
import { functionNotFound, invalidParameter } from "../errors.js";
import { LambdaLimits } from "../limits.js";
import type { FunctionRecord } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaHandler } from "../types.js";

// Reserved concurrency, tags, and the account's settings.

export const PutFunctionConcurrency: LambdaHandler<PutFunctionConcurrencyRequest, Concurrency> = (input, ctx) => {
  const store = ctx.store;
  const fn = store.require(input.FunctionName);
  const wanted = input.ReservedConcurrentExecutions!;
  const unreserved = LambdaLimits.concurrentExecutions - store.reservedTotal(fn.name) - wanted;
  if (unreserved < LambdaLimits.minimumUnreserved) {
    throw invalidParameter(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${LambdaLimits.minimumUnreserved}].`,
    );
  }
  fn.reservedConcurrency = wanted;
  store.save(fn);
  return { ReservedConcurrentExecutions: wanted };
};

export const GetFunctionConcurrency: LambdaHandler<GetFunctionConcurrencyRequest, GetFunctionConcurrencyResponse> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  return fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
};

export const DeleteFunctionConcurrency: LambdaHandler<DeleteFunctionConcurrencyRequest, object> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  delete fn.reservedConcurrency;
  ctx.store.save(fn);
  return {};
};

export const GetAccountSettings: LambdaHandler<object, GetAccountSettingsResponse> = (_input, ctx) => {
  const store = ctx.store;
  const functions = store.all();
  let totalCodeSize = 0;
  for (const fn of functions) for (const v of Object.values(fn.versions)) totalCodeSize += v.codeSize;
  return {
    AccountLimit: {
      TotalCodeSize: LambdaLimits.totalCodeBytes,
      CodeSizeUnzipped: LambdaLimits.unzippedCodeBytes,
      CodeSizeZipped: LambdaLimits.zippedCodeBytes,
      ConcurrentExecutions: LambdaLimits.concurrentExecutions,
      UnreservedConcurrentExecutions: LambdaLimits.concurrentExecutions - store.reservedTotal(),
    },
    AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
  };
};

/** Tags live on functions; the resource is the function's ARN (a qualified one is refused). */
function taggable(store: LambdaStore, resource: string | undefined): FunctionRecord {
  const m = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(:.+)?$/.exec(resource ?? "");
  if (!m) throw invalidParameter(`1 validation error detected: Value '${resource}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:[a-zA-Z0-9-_]+)`);
  if (m[4]) throw invalidParameter("Tags are not supported on function versions or aliases.");
  const fn = m[1] === store.region && m[2] === store.account ? store.get(m[3]) : undefined;
  if (!fn) throw functionNotFound(resource!);
  return fn;
}

export const TagResource: LambdaHandler<TagResourceRequest, object> = (input, ctx) => {
  const fn = taggable(ctx.store, input.Resource);
  Object.assign(fn.tags, input.Tags ?? {});
  ctx.store.save(fn);
  return {};
};

export const UntagResource: LambdaHandler<UntagResourceRequest, object> = (input, ctx) => {
  const fn = taggable(ctx.store, input.Resource);
  for (const key of input.TagKeys ?? []) delete fn.tags[key];
  ctx.store.save(fn);
  return {};
};

export const ListTags: LambdaHandler<ListTagsRequest, ListTagsResponse> = (input, ctx) => {
  return { Tags: { ...taggable(ctx.store, input.Resource).tags } };
};
