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

/** Lambda function URLs: <url-id>.lambda-url.<region>.<domain>[:port]. The request
 *  goes, as it came, to Lambda's own route for the URL (which keeps the function's
 *  response headers). The account is the caller's: function URLs are mostly called
 *  unsigned, so a URL of another account than the default needs a signed call. */
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
}

export const dataPlaneRoutes: DataPlaneRoute[] = [
  { name: "lambda-function-url", apply: lambdaFunctionUrl },
  { name: "s3-virtual-host", apply: s3VirtualHost },
];

export function applyDataPlaneRoutes(req: HttpRequest, scope: CredentialScope, account: string): void {
  for (const route of dataPlaneRoutes) if (route.apply(req, scope, account)) return;
}
