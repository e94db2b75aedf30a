import type { Operation, ServiceModel } from "../models/types.js";

// Which operation a REST request (restJson1, restXml) names: the model's
// requestUri templates compiled once per model, indexed by method and first
// path segment, the most specific path winning, then query literals and the
// required query members and headers present.

// ---------------------------------------------------------------- uri templates

interface Segment { kind: "literal" | "label" | "greedy"; text: string }

export interface CompiledTemplate {
  segments: Segment[];
  /** Literal query parts: `?tagging` (value undefined: any value) or `?list-type=2`. */
  queryLiterals: [string, string | undefined][];
}

const compiled = new Map<string, CompiledTemplate>();

export function compileTemplate(requestUri: string): CompiledTemplate {
  let t = compiled.get(requestUri);
  if (t) return t;
  const q = requestUri.indexOf("?");
  const path = q < 0 ? requestUri : requestUri.slice(0, q);
  const segments: Segment[] = splitPath(path).map((s) => {
    const m = /^\{([^}]+?)(\+)?\}$/.exec(s);
    if (!m) return { kind: "literal", text: s };
    return { kind: m[2] ? "greedy" : "label", text: m[1] };
  });
  const queryLiterals = (q < 0 ? [] : requestUri.slice(q + 1).split("&").filter(Boolean)).map(
    (part): [string, string | undefined] => {
      const eq = part.indexOf("=");
      return eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)];
    },
  );
  t = { segments, queryLiterals };
  compiled.set(requestUri, t);
  return t;
}

function splitPath(path: string): string[] {
  return (path.startsWith("/") ? path.slice(1) : path).split("/");
}

/** Path segments are percent-decoded without form rules: '+' stays '+'. */
function decodeSegment(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/**
 * Matches a request path and query against an operation's `requestUri`.
 * Returns the decoded uri labels, or undefined when the template does not match.
 */
export function matchRequestUri(
  requestUri: string,
  path: string,
  query: Record<string, string[]>,
): Record<string, string> | undefined {
  const t = compileTemplate(requestUri);
  return hasQueryLiterals(t, query) ? matchPath(t.segments, splitPath(path || "/")) : undefined;
}

function hasQueryLiterals(t: CompiledTemplate, query: Record<string, string[]>): boolean {
  return t.queryLiterals.every(([k, v]) => Object.hasOwn(query, k) && (v === undefined || query[k].includes(v)));
}

function matchPath(segments: Segment[], raw: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const g = segments.findIndex((s) => s.kind === "greedy");
  // A trailing slash is tolerated ("/bucket/" for "/{Bucket}") unless a greedy label would own it.
  if (g < 0 && raw.length === segments.length + 1 && raw[raw.length - 1] === "") raw = raw.slice(0, -1);
  if (g < 0 ? raw.length !== segments.length : raw.length < segments.length) return undefined;
  const tail = g < 0 ? 0 : segments.length - g - 1;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const rawIndex = g >= 0 && i > g ? raw.length - (segments.length - i) : i;
    if (seg.kind === "greedy") {
      const value = raw.slice(g, raw.length - tail).join("/");
      if (value === "") return undefined;
      labels[seg.text] = decodeSegment(value);
      continue;
    }
    const part = decodeSegment(raw[rawIndex]);
    if (seg.kind === "literal") {
      if (part !== seg.text) return undefined;
    } else {
      if (part === "") return undefined;
      labels[seg.text] = part;
    }
  }
  return labels;
}

// ---------------------------------------------------------------- routing

export interface RouteMatch { operation: Operation; labels: Record<string, string> }

export interface RestRouter {
  /** Finds the operation a REST request names; headers (lower-cased names) only break ties. */
  match(method: string, path: string, query: Record<string, string[]>, headers?: Record<string, string>): RouteMatch | undefined;
}

interface Route {
  operation: Operation;
  template: CompiledTemplate;
  /** literal > label > greedy, per segment: the most specific path wins. */
  rank: number[];
  requiredQuery: string[];
  requiredHeaders: string[];
  order: number;
}

const routers = new WeakMap<ServiceModel, RestRouter>();

/** The router of a model, built on first use and kept for the model's lifetime. */
export function restRouterFor(model: ServiceModel): RestRouter {
  let r = routers.get(model);
  if (!r) routers.set(model, (r = createRestRouter(model)));
  return r;
}

export function createRestRouter(model: ServiceModel): RestRouter {
  let index: Map<string, Map<string, Route[]>> | undefined;
  return {
    match(method, path, query, headers = {}) {
      index ??= buildIndex(model);
      const byFirst = index.get(method.toUpperCase());
      if (!byFirst) return undefined;
      const raw = splitPath(path || "/");
      const candidates = [...(byFirst.get(decodeSegment(raw[0])) ?? []), ...(byFirst.get("\u0000label") ?? [])];
      let best: { route: Route; labels: Record<string, string>; score: number[] } | undefined;
      for (const route of candidates) {
        const labels = hasQueryLiterals(route.template, query) ? matchPath(route.template.segments, raw) : undefined;
        if (!labels) continue;
        const missing =
          route.requiredQuery.filter((q) => !Object.hasOwn(query, q)).length +
          route.requiredHeaders.filter((h) => !Object.hasOwn(headers, h)).length;
        const present = route.requiredQuery.length + route.requiredHeaders.length - missing;
        const score = [
          route.template.queryLiterals.length, -missing, present, route.operation.deprecated ? 0 : 1, -route.order,
        ];
        const byPath = best ? compareScores(route.rank, best.route.rank) : 1;
        if (byPath > 0 || (byPath === 0 && compareScores(score, best!.score) > 0)) best = { route, labels, score };
      }
      return best && { operation: best.route.operation, labels: best.labels };
    },
  };
}

function buildIndex(model: ServiceModel): Map<string, Map<string, Route[]>> {
  const index = new Map<string, Map<string, Route[]>>();
  let order = 0;
  for (const operation of Object.values(model.operations)) {
    const template = compileTemplate(operation.http.requestUri);
    const input = operation.input ? model.shapes[operation.input.shape] : undefined;
    const required = new Set(input?.required ?? []);
    const requiredQuery: string[] = [];
    const requiredHeaders: string[] = [];
    for (const [name, ref] of Object.entries(input?.members ?? {})) {
      if (!required.has(name)) continue;
      if (ref.location === "querystring" && model.shapes[ref.shape]?.type !== "map") requiredQuery.push(ref.locationName ?? name);
      if (ref.location === "header") requiredHeaders.push((ref.locationName ?? name).toLowerCase());
    }
    const rank = template.segments.map((s) => (s.kind === "literal" ? 2 : s.kind === "label" ? 1 : 0));
    const first = template.segments[0];
    const key = first.kind === "literal" ? first.text : "\u0000label";
    const method = operation.http.method.toUpperCase();
    if (!index.has(method)) index.set(method, new Map());
    const byFirst = index.get(method)!;
    byFirst.set(key, [...(byFirst.get(key) ?? []), { operation, template, rank, requiredQuery, requiredHeaders, order: order++ }]);
  }
  return index;
}

/** Lexicographic; when one is a prefix of the other, the longer wins (more segments to satisfy). */
function compareScores(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

