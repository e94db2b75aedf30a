import type {
  DeleteFunctionEventInvokeConfigRequest, FunctionEventInvokeConfig, GetFunctionEventInvokeConfigRequest,
  ListFunctionEventInvokeConfigsRequest, ListFunctionEventInvokeConfigsResponse, PutFunctionEventInvokeConfigRequest,
  UpdateFunctionEventInvokeConfigRequest,
} from "@aws-sdk/client-lambda";
import { functionNotFound, resourceNotFound } from "../errors.js";
import { parseFunctionName } from "../names.js";
import type { EventInvokeConfigRecord, FunctionRecord } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaContext, LambdaHandler } from "../types.js";
import { paginate } from "./functions.js";

// EventInvokeConfig per function version or alias: retries, maximum event age and
// destinations of asynchronous invocations (used by async-invoke.ts).

function target(store: LambdaStore, functionName: string | undefined, qualifierParam?: string): { fn: FunctionRecord; qualifier: string } {
  const { name, qualifier = "$LATEST" } = parseFunctionName(functionName ?? "", qualifierParam);
  const fn = store.get(name);
  if (!fn) throw functionNotFound(store.arn(name, qualifier === "$LATEST" ? undefined : qualifier));
  if (qualifier !== "$LATEST" && !fn.versions[qualifier] && !fn.aliases[qualifier]) throw functionNotFound(store.arn(name, qualifier));
  return { fn, qualifier };
}

function view(store: LambdaStore, fn: FunctionRecord, qualifier: string, c: EventInvokeConfigRecord): FunctionEventInvokeConfig {
  return {
    LastModified: new Date(c.LastModified),
    FunctionArn: store.arn(fn.name, qualifier),
    ...(c.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: c.MaximumRetryAttempts } : {}),
    ...(c.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: c.MaximumEventAgeInSeconds } : {}),
    DestinationConfig: { OnSuccess: c.DestinationConfig?.OnSuccess ?? {}, OnFailure: c.DestinationConfig?.OnFailure ?? {} },
  };
}

function put(input: PutFunctionEventInvokeConfigRequest, ctx: LambdaContext, merge: boolean): FunctionEventInvokeConfig {
  const store = ctx.store;
  const { fn, qualifier } = target(store, input.FunctionName, input.Qualifier);
  const previous = merge ? fn.eventInvokeConfigs[qualifier] : undefined;
  const record: EventInvokeConfigRecord = {
    MaximumRetryAttempts: input.MaximumRetryAttempts ?? previous?.MaximumRetryAttempts,
    MaximumEventAgeInSeconds: input.MaximumEventAgeInSeconds ?? previous?.MaximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: input.DestinationConfig?.OnSuccess ?? previous?.DestinationConfig?.OnSuccess,
      OnFailure: input.DestinationConfig?.OnFailure ?? previous?.DestinationConfig?.OnFailure,
    },
    LastModified: ctx.clock.now(),
  };
  fn.eventInvokeConfigs[qualifier] = record;
  store.save(fn);
  return view(store, fn, qualifier, record);
}

export const PutFunctionEventInvokeConfig: LambdaHandler<PutFunctionEventInvokeConfigRequest, FunctionEventInvokeConfig> = (input, ctx) =>
  put(input, ctx, false);

export const UpdateFunctionEventInvokeConfig: LambdaHandler<UpdateFunctionEventInvokeConfigRequest, FunctionEventInvokeConfig> = (input, ctx) =>
  put(input, ctx, true);

export const GetFunctionEventInvokeConfig: LambdaHandler<GetFunctionEventInvokeConfigRequest, FunctionEventInvokeConfig> = (input, ctx) => {
  const { fn, qualifier } = target(ctx.store, input.FunctionName, input.Qualifier);
  const config = fn.eventInvokeConfigs[qualifier];
  if (!config) throw resourceNotFound(`The function ${ctx.store.arn(fn.name, qualifier)} doesn't have an EventInvokeConfig`);
  return view(ctx.store, fn, qualifier, config);
};

export const DeleteFunctionEventInvokeConfig: LambdaHandler<DeleteFunctionEventInvokeConfigRequest, object> = (input, ctx) => {
  const { fn, qualifier } = target(ctx.store, input.FunctionName, input.Qualifier);
  if (!fn.eventInvokeConfigs[qualifier]) throw resourceNotFound(`The function ${ctx.store.arn(fn.name, qualifier)} doesn't have an EventInvokeConfig`);
  delete fn.eventInvokeConfigs[qualifier];
  ctx.store.save(fn);
  return {};
};

export const ListFunctionEventInvokeConfigs: LambdaHandler<ListFunctionEventInvokeConfigsRequest, ListFunctionEventInvokeConfigsResponse> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  const configs = Object.entries(fn.eventInvokeConfigs).map(([q, c]) => view(ctx.store, fn, q, c));
  return paginate(configs, input.Marker, input.MaxItems, "FunctionEventInvokeConfigs");
};
