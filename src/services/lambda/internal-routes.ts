import type { HttpRequest, HttpResponse } from "../../protocols/http.js";
import type { InternalRouteContext } from "../service.js";
import { invokeFunctionUrl } from "./function-url-invoke.js";
import type { LambdaStore } from "./store.js";

// Lambda's own endpoints under /_terrarium/lambda/: the deployment packages that
// GetFunction's Code.Location and GetLayerVersion's Content.Location point at (on
// AWS, presigned S3 URLs valid for 10 minutes; here plain URLs on this server), and
// function URLs by path: /_terrarium/lambda/function-urls/<account>/<region>/<url-id>/...

const CODE = /^code\/(\d{12})\/([a-z0-9-]+)\/([^/]+)\/([0-9a-f-]{36})\.zip$/;
const LAYER = /^layers\/(\d{12})\/([a-z0-9-]+)\/([^/]+)\/(\d+)\.zip$/;

export function codePath(account: string, region: string, functionName: string, codeId: string): string {
  return `/_terrarium/lambda/code/${account}/${region}/${encodeURIComponent(functionName)}/${codeId}.zip`;
}

export function layerPath(account: string, region: string, layerName: string, version: number): string {
  return `/_terrarium/lambda/layers/${account}/${region}/${encodeURIComponent(layerName)}/${version}.zip`;
}

const FUNCTION_URL = /^function-urls\/(\d{12})\/([a-z0-9-]+)\/([a-z0-9]{32})(\/.*)?$/;

export function lambdaInternalRoutes(
  req: HttpRequest,
  path: string,
  ctx: InternalRouteContext<LambdaStore>,
): HttpResponse | Promise<HttpResponse> | undefined {
  // A function URL with its response headers intact (any method).
  const url = FUNCTION_URL.exec(path);
  if (url) {
    const [, caller, region, urlId, rest] = url;
    // Unsigned calls (most) come as the default account: the URL's owner is looked up.
    const owner = ctx.storeFor(caller, region).runtime.urlOwners.get(urlId) ?? caller;
    const store = ctx.storeFor(owner, region);
    const query = new URLSearchParams(Object.entries(req.query).flatMap(([k, vs]) => vs.map((v) => [k, v]))).toString();
    const target = (rest ?? "/") + (query ? `?${query}` : "");
    return invokeFunctionUrl(store, urlId, { method: req.method, target, headers: req.headers, body: req.body, host: req.headers["host"] ?? "" }, store.clock.now());
  }
  if (req.method !== "GET" && req.method !== "HEAD") return undefined;
  const code = CODE.exec(path);
  if (code) {
    const [, account, region, name, codeId] = code;
    const store = ctx.storeFor(account, region);
    const fn = store.get(decodeURIComponent(name));
    // Only a package the named function uses is served (a deleted function's is gone).
    const used = fn && Object.values(fn.versions).some((v) => v.codeId === codeId);
    return zipResponse(used ? store.codeBytes(codeId) : undefined, req.method);
  }
  const layer = LAYER.exec(path);
  if (layer) {
    const [, account, region, name, version] = layer;
    const store = ctx.storeFor(account, region);
    const record = store.layer(decodeURIComponent(name))?.versions[version];
    return zipResponse(record ? store.codeBytes(record.codeId) : undefined, req.method);
  }
  return undefined;
}

function zipResponse(zip: Buffer | undefined, method: string): HttpResponse {
  // S3's answer to a presigned URL whose object is gone.
  if (!zip) return { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "NoSuchKey: the code package does not exist\n" };
  return {
    status: 200,
    headers: { "content-type": "application/zip", "content-length": String(zip.length) },
    body: method === "HEAD" ? "" : zip,
  };
}
