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

export interface DataPlaneRoute {
  name: string;
  /** Rewrites the request in place when it is this route's; returns whether it was. */
  apply(req: HttpRequest, scope: CredentialScope): boolean;
}

export const dataPlaneRoutes: DataPlaneRoute[] = [{ name: "s3-virtual-host", apply: s3VirtualHost }];

export function applyDataPlaneRoutes(req: HttpRequest, scope: CredentialScope): void {
  for (const route of dataPlaneRoutes) if (route.apply(req, scope)) return;
}
