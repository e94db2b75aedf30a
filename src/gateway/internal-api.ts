import type { HttpRequest, HttpResponse } from "../protocols/http.js";
import type { Clock } from "../platform/clock.js";
import type { ServiceHost } from "../services/host.js";
import type { ModelIndexEntry } from "../models/load.js";

// Terrarium's own endpoints (/_terrarium/*) and the aliases existing tools probe:
// LocalStack's health check (testcontainers, awslocal, cdklocal) and moto's reset.

export interface InternalApiDeps {
  version: string;
  startedAt: number;
  clock: Clock;
  host: ServiceHost;
  services: ModelIndexEntry[];
  resetAll(): void;
}

export function isInternalPath(path: string): boolean {
  return path.startsWith("/_terrarium/") || path.startsWith("/_localstack/") || path.startsWith("/moto-api/");
}

export function handleInternal(req: HttpRequest, deps: InternalApiDeps): HttpResponse | Promise<HttpResponse> {
  const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
  const serviceRoute = /^\/_terrarium\/([a-z0-9-]+)\/(.*)$/.exec(req.path);
  if (serviceRoute && deps.services.some((s) => s.name === serviceRoute[1])) {
    return deps.host
      .internalRoute(serviceRoute[1], req, serviceRoute[2])
      .then((response) => response ?? json(404, { error: "NotFound", message: `No internal endpoint ${req.method} ${req.path}` }));
  }
  switch (route) {
    case "GET /_terrarium/health":
    case "HEAD /_terrarium/health":
      return json(200, {
        status: "running",
        version: deps.version,
        uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
        services: Object.fromEntries(deps.services.map((s) => [s.name, deps.host.state(s.name)])),
      });
    case "GET /_localstack/health":
    case "HEAD /_localstack/health":
      return json(200, {
        services: Object.fromEntries(deps.services.map((s) => [s.name, localstackState(deps.host.state(s.name))])),
        edition: "community",
        version: deps.version,
      });
    case "GET /_localstack/info":
      return json(200, { version: deps.version, edition: "community", is_license_activated: false, uptime: Math.round((Date.now() - deps.startedAt) / 1000) });
    case "POST /_terrarium/reset":
    case "POST /moto-api/reset":
      return reset(req, deps);
    case "GET /_terrarium/clock":
      return json(200, { now: deps.clock.date().toISOString() });
    case "POST /_terrarium/clock":
      return advanceClock(req, deps.clock);
    default:
      return json(404, { error: "NotFound", message: `No internal endpoint ${req.method} ${req.path}` });
  }
}

function reset(req: HttpRequest, deps: InternalApiDeps): HttpResponse {
  const service = req.query["service"]?.[0];
  if (service === undefined) {
    deps.resetAll();
    return json(200, { reset: "all" });
  }
  if (!deps.services.some((s) => s.name === service)) return json(400, { error: "UnknownService", message: `No service named '${service}'` });
  deps.host.reset(service);
  return json(200, { reset: service });
}

function advanceClock(req: HttpRequest, clock: Clock): HttpResponse {
  let body: unknown;
  try {
    body = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
  } catch {
    return json(400, { error: "InvalidRequest", message: "The body must be JSON: {\"advanceSeconds\": N}" });
  }
  const seconds = (body as { advanceSeconds?: unknown } | null)?.advanceSeconds;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
    return json(400, { error: "InvalidRequest", message: "advanceSeconds must be a number >= 0 (time never moves backwards)" });
  }
  clock.advance(seconds);
  return json(200, { now: clock.date().toISOString() });
}

function localstackState(state: string): string {
  return state === "not implemented" ? "disabled" : state;
}

function json(status: number, value: unknown): HttpResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}
