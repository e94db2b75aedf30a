import type { HttpRequest } from "../protocols/http.js";
import type { CredentialScope } from "./credentials.js";

// The explicit table of data-plane addresses whose meaning is in the Host header
// rather than the path. It is the one place in the gateway that names services.

/** S3 virtual-hosted addressing: <bucket>.s3.<anything> and <bucket>.localhost[:port].
 *  Rewrites the request into path style so the S3 routes from the model apply. */
function s3VirtualHost(req: HttpRequest, scope: CredentialScope): boolean {
  if (scope.signingName && scope.signingName !== "s3") return false;
  const host = (req.headers["host"] ?? "").replace(/:\d+$/, "");
  const m = /^(.+?)\.s3(?:[.-][^.]+)*\.(?:localhost\.localstack\.cloud|amazonaws\.com|localhost)$/.exec(host) ??
    /^(.+)\.localhost$/.exec(host);
  if (!m) return false;
  req.path = req.path === "/" ? `/${m[1]}` : `/${m[1]}${req.path}`;
  return true;
}

/** S3 website endpoints: <bucket>.s3-website-<region>.<domain> and
 *  <bucket>.s3-website.<region>.<domain> as on AWS, and LocalStack's
 *  <bucket>.s3-website.localhost.localstack.cloud. They answer HTML, not the REST
 *  API, so they go to S3's own route (requests are unsigned: the default account). */
function s3Website(req: HttpRequest, _scope: CredentialScope, account: string): boolean {
  const host = (req.headers["host"] ?? "").replace(/:\d+$/, "");
  const m = /^(.+?)\.s3-website(?:-[a-z0-9-]+)?(?:\.[a-z0-9-]+)?\.(?:localhost\.localstack\.cloud|amazonaws\.com|localhost)$/.exec(host);
  if (!m) return false;
  req.path = `/_terrarium/s3/website/${account}/${m[1]}${req.path}`;
  return true;
}

/** S3 POST Object (browser form uploads): an unsigned multipart/form-data POST to a
 *  bucket, path style or virtual-hosted. It is not an operation of S3's model, so it
 *  goes to S3's own route. */
function s3PostObject(req: HttpRequest, scope: CredentialScope, account: string): boolean {
  if (req.method !== "POST" || req.headers["authorization"] || !/^multipart\/form-data/i.test(req.headers["content-type"] ?? "")) return false;
  if (scope.signingName && scope.signingName !== "s3") return false;
  // Virtual-hosted first, so both styles read /<bucket> from here on.
  s3VirtualHost(req, scope);
  const m = /^\/([^/]+)\/?$/.exec(req.path);
  if (m) req.path = `/_terrarium/s3/post/${account}/${m[1]}`;
  return true;
}

/** Lambda function URLs: <url-id>.lambda-url.<region>.<domain>[:port]. The request
 *  goes, as it came, to Lambda's own route for the URL (which keeps the function's
 *  response headers). The account is the caller's (the default one when unsigned, as
 *  function URLs mostly are): Lambda's route finds the account that owns the URL. */
function lambdaFunctionUrl(req: HttpRequest, _scope: CredentialScope, account: string): boolean {
  const host = req.headers["host"] ?? "";
  const m = /^([a-z0-9]{32})\.lambda-url\.([a-z0-9-]+)\.(?:localhost\.localstack\.cloud|localhost|on\.aws)(?::\d+)?$/.exec(host);
  if (!m) return false;
  req.path = `/_terrarium/lambda/function-urls/${account}/${m[2]}/${m[1]}${req.path}`;
  return true;
}

export interface DataPlaneRoute {
  name: string;
  /** Rewrites the request in place when it is this route's; returns whether it was.
   *  `account` is the caller's, from the credential scope. */
  apply(req: HttpRequest, scope: CredentialScope, account: string): boolean;
  /** The internal path under which the route's target answers browser preflights itself
   *  (function URLs, from their Cors config), also when called there directly. */
  ownPreflightPath?: string;
}

export const dataPlaneRoutes: DataPlaneRoute[] = [
  { name: "lambda-function-url", apply: lambdaFunctionUrl, ownPreflightPath: "/_terrarium/lambda/function-urls/" },
  { name: "s3-website", apply: s3Website },
  { name: "s3-post-object", apply: s3PostObject },
  { name: "s3-virtual-host", apply: s3VirtualHost },
];

const postObjectRoute = dataPlaneRoutes.find((route) => route.apply === s3PostObject)!;

/** Whether a preflight to this (internal) path is answered by its target rather than the gateway. */
export function answersOwnPreflight(path: string): boolean {
  return dataPlaneRoutes.some((route) => route.ownPreflightPath !== undefined && path.startsWith(route.ownPreflightPath));
}

/** Rewrites the request for the first route that claims it, and returns that route. */
export function applyDataPlaneRoutes(req: HttpRequest, scope: CredentialScope, account: string): DataPlaneRoute | undefined {
  // Most requests name the endpoint by address (127.0.0.1:4566, localhost:4566):
  // no host-named route can claim them, and POST uploads are the only route left
  // (a new route that can match such a host must be added here too).
  if (plainHost(req.headers["host"])) return s3PostObject(req, scope, account) ? postObjectRoute : undefined;
  for (const route of dataPlaneRoutes) if (route.apply(req, scope, account)) return route;
  return undefined;
}

/** A host with no name to read: an IP address or bare `localhost`, with or without a port. */
function plainHost(host: string | undefined): boolean {
  if (host === undefined || host.startsWith("localhost:") || host === "localhost" || host.startsWith("[")) return true;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c === 58 /* : */) return true;
    if (c !== 46 /* . */ && (c < 48 || c > 57)) return false;
  }
  return true;
}
