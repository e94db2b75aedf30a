import type { HttpRequest, HttpResponse } from "../../protocols/http.js";
import { randomString } from "../../platform/ids.js";
import type { InternalRouteContext } from "../service.js";
import { corsResponseHeaders } from "./cors.js";
import { postObject } from "./post-object.js";
import type { S3Store } from "./store.js";
import { serveWebsite } from "./website.js";

// What the gateway sends to S3 outside the REST API's model (data-plane-routes.ts):
//   website/<caller account>/<bucket>/<key>  requests to <bucket>.s3-website... hosts
//   post/<caller account>/<bucket>           browser form uploads (POST Object)
// Bucket names are global: the caller's store finds the bucket, whose owner's
// store then serves it. S3's request ids are 16 upper-case letters and digits.

const ROUTE = /^(website|post)\/(\d{12})\/([^/]+)\/?(.*)$/;

export function s3InternalRoutes(req: HttpRequest, path: string, ctx: InternalRouteContext<S3Store>): HttpResponse | Promise<HttpResponse> | undefined {
  const m = ROUTE.exec(path);
  if (!m) return undefined;
  const [, kind, account, bucketName, rawKey] = m;
  const bucket = ctx.storeFor(account, "global").findBucket(bucketName);
  const store = ctx.storeFor(bucket?.account ?? account, "global");
  const requestId = randomString(16);
  // Both answer browsers: the bucket's CORS rules apply to them as to the REST API.
  const withCors = (response: HttpResponse) => {
    const cors = corsResponseHeaders(bucket, { method: req.method, headers: req.headers });
    if (cors) Object.assign(response.headers, cors);
    return response;
  };
  if (kind === "post") return rawKey === "" ? postObject(req, store, bucketName, requestId).then(withCors) : undefined;
  return withCors(serveWebsite(req, store, bucketName, rawKey, requestId));
}
