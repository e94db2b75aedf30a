import { randomBytes } from "node:crypto";
import type {
  CreateFunctionUrlConfigRequest, CreateFunctionUrlConfigResponse, DeleteFunctionUrlConfigRequest, GetFunctionUrlConfigRequest,
  GetFunctionUrlConfigResponse, ListFunctionUrlConfigsRequest, ListFunctionUrlConfigsResponse, UpdateFunctionUrlConfigRequest,
  UpdateFunctionUrlConfigResponse,
} from "@aws-sdk/client-lambda";
import { functionNotFound, resourceConflict, resourceNotFound } from "../errors.js";
import { parseFunctionName } from "../names.js";
import type { FunctionRecord, FunctionUrlRecord } from "../records.js";
import type { LambdaContext, LambdaHandler } from "../types.js";
import { paginate } from "./functions.js";

// Function URLs: Create/Get/Update/Delete/ListFunctionUrlConfigs. The URL is
// http://<url-id>.lambda-url.<region>.localhost.localstack.cloud:<port>/ (the gateway's
// data-plane routes send it to Invoke; function-url-invoke.ts runs it).

/** The function and the qualifier key ("$LATEST" or an alias) a request names. */
function target(ctx: LambdaContext, functionName: string | undefined, qualifierParam: string | undefined): { fn: FunctionRecord; key: string; qualifier?: string } {
  const { name, qualifier } = parseFunctionName(functionName ?? "", qualifierParam);
  const fn = ctx.store.get(name);
  if (!fn) throw functionNotFound(ctx.store.arn(name, qualifier));
  // Only an alias (or no qualifier) can have a URL.
  if (qualifier !== undefined && qualifier !== "$LATEST" && !fn.aliases[qualifier]) throw functionNotFound(ctx.store.arn(name, qualifier));
  return { fn, key: qualifier ?? "$LATEST", qualifier: qualifier === "$LATEST" ? undefined : qualifier };
}

function urlOf(ctx: LambdaContext, urlId: string): string {
  const port = /:(\d+)$/.exec(new URL(ctx.endpoint).host)?.[1];
  return `http://${urlId}.lambda-url.${ctx.region}.localhost.localstack.cloud${port ? `:${port}` : ""}/`;
}

function view(ctx: LambdaContext, fn: FunctionRecord, url: FunctionUrlRecord) {
  return {
    FunctionUrl: urlOf(ctx, url.urlId),
    FunctionArn: ctx.store.arn(fn.name, url.qualifier),
    AuthType: url.authType,
    ...(url.cors ? { Cors: url.cors } : {}),
    CreationTime: url.creationTime,
    LastModifiedTime: url.lastModifiedTime,
    InvokeMode: url.invokeMode,
  };
}

function notFound() {
  return resourceNotFound("The resource you requested does not exist.");
}

/** 32 lowercase letters and digits, as AWS's URL ids. */
function newUrlId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join("");
}

export const CreateFunctionUrlConfig: LambdaHandler<CreateFunctionUrlConfigRequest, CreateFunctionUrlConfigResponse> = (input, ctx) => {
  const { fn, key, qualifier } = target(ctx, input.FunctionName, input.Qualifier);
  if (fn.urls?.[key]) {
    throw resourceConflict(
      `Failed to create function url config for [functionArn = ${ctx.store.arn(fn.name, qualifier)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    );
  }
  const now = new Date(ctx.clock.now()).toISOString();
  const url: FunctionUrlRecord = {
    urlId: newUrlId(),
    ...(qualifier ? { qualifier } : {}),
    authType: input.AuthType as FunctionUrlRecord["authType"],
    ...(input.Cors ? { cors: input.Cors } : {}),
    invokeMode: (input.InvokeMode as FunctionUrlRecord["invokeMode"] | undefined) ?? "BUFFERED",
    creationTime: now,
    lastModifiedTime: now,
  };
  ctx.store.save({ ...fn, urls: { ...fn.urls, [key]: url } });
  ctx.store.runtime.urlOwners.set(url.urlId, ctx.store.account);
  const { LastModifiedTime: _last, ...created } = view(ctx, fn, url);
  return created as CreateFunctionUrlConfigResponse;
};

export const GetFunctionUrlConfig: LambdaHandler<GetFunctionUrlConfigRequest, GetFunctionUrlConfigResponse> = (input, ctx) => {
  const { fn, key } = target(ctx, input.FunctionName, input.Qualifier);
  const url = fn.urls?.[key];
  if (!url) throw notFound();
  return view(ctx, fn, url) as GetFunctionUrlConfigResponse;
};

export const UpdateFunctionUrlConfig: LambdaHandler<UpdateFunctionUrlConfigRequest, UpdateFunctionUrlConfigResponse> = (input, ctx) => {
  const { fn, key } = target(ctx, input.FunctionName, input.Qualifier);
  const current = fn.urls?.[key];
  if (!current) throw notFound();
  const url: FunctionUrlRecord = {
    ...current,
    ...(input.AuthType ? { authType: input.AuthType as FunctionUrlRecord["authType"] } : {}),
    ...(input.Cors ? { cors: input.Cors } : {}),
    ...(input.InvokeMode ? { invokeMode: input.InvokeMode as FunctionUrlRecord["invokeMode"] } : {}),
    lastModifiedTime: new Date(ctx.clock.now()).toISOString(),
  };
  ctx.store.save({ ...fn, urls: { ...fn.urls, [key]: url } });
  return view(ctx, fn, url) as UpdateFunctionUrlConfigResponse;
};

export const DeleteFunctionUrlConfig: LambdaHandler<DeleteFunctionUrlConfigRequest, object> = (input, ctx) => {
  const { fn, key } = target(ctx, input.FunctionName, input.Qualifier);
  if (!fn.urls?.[key]) throw notFound();
  const { [key]: _gone, ...rest } = fn.urls;
  ctx.store.save({ ...fn, urls: rest });
  return {};
};

export const ListFunctionUrlConfigs: LambdaHandler<ListFunctionUrlConfigsRequest, ListFunctionUrlConfigsResponse> = (input, ctx) => {
  const fn = ctx.store.require(input.FunctionName);
  const all = Object.values(fn.urls ?? {}).sort((a, b) => (a.creationTime < b.creationTime ? -1 : 1));
  const page = paginate(all, input.Marker, input.MaxItems, "FunctionUrlConfigs");
  return { ...page, FunctionUrlConfigs: page.FunctionUrlConfigs.map((u) => view(ctx, fn, u)) } as ListFunctionUrlConfigsResponse;
};
