import type {
  Concurrency, DeleteFunctionConcurrencyRequest, GetAccountSettingsResponse, GetFunctionCodeSigningConfigRequest,
  GetFunctionCodeSigningConfigResponse, GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse, ListTagsRequest, ListTagsResponse, PutFunctionConcurrencyRequest, TagResourceRequest,
  UntagResourceRequest,
} from "@aws-sdk/client-lambda";
import { functionNotFound, invalidParameter } from "../errors.js";
import { LambdaLimits } from "../limits.js";
import { provisionedSum } from "../provisioned-concurrency.js";
import type { FunctionRecord } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaHandler } from "../types.js";

// Reserved concurrency, tags, and the account's settings.

export const PutFunctionConcurrency: LambdaHandler<PutFunctionConcurrencyRequest, Concurrency> = (input, ctx) => {
  const store = ctx.store;
  const fn = store.require(input.FunctionName);
  const wanted = input.ReservedConcurrentExecutions!;
  // The reservation must hold the function's provisioned concurrency. The message is
  // unverified (AWS documents the rule, not its wording): it follows the wording of
  // Lambda's other concurrency errors.
  const provisioned = provisionedSum(fn);
  if (wanted < provisioned) {
    throw invalidParameter(`ReservedConcurrentExecutions  ${wanted} should not be lower than function's total provisioned concurrency [${provisioned}].`);
  }
  // What the account has left without this function's current reservation (or its provisioned concurrency).
  const current = fn.reservedConcurrency ?? provisioned;
  const unreserved = store.unreservedConcurrency() + current - wanted;
  if (unreserved < store.minimumUnreserved) {
    throw invalidParameter(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${store.minimumUnreserved}].`,
    );
  }
  fn.reservedConcurrency = wanted;
  store.save(fn);
  store.runtime.reservationChanged(store.arn(fn.name), wanted);
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
  ctx.store.runtime.reservationChanged(ctx.store.arn(fn.name), undefined);
  return {};
};

/** Code signing is not supported (PutFunctionCodeSigningConfig answers NotImplemented), so no
 *  function has a configuration: the answer has no CodeSigningConfigArn, which SDKs and
 *  Terraform (its aws_lambda_function reads this after every create) take as none. */
export const GetFunctionCodeSigningConfig: LambdaHandler<GetFunctionCodeSigningConfigRequest, GetFunctionCodeSigningConfigResponse> = (input, ctx) => {
  ctx.store.require(input.FunctionName);
  return {} as GetFunctionCodeSigningConfigResponse;
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
      ConcurrentExecutions: store.concurrentExecutions,
      UnreservedConcurrentExecutions: store.unreservedConcurrency(),
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
