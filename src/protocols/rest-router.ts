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
  let index: RouteIndex | undefined;
  // Which route wins depends only on a few traits of a request (see decisionKey):
  // remembered per trait set, the scan over a method's routes (S3 has ~40 PUTs)
  // runs once per kind of request instead of once per request.
  const decisions = new Map<string, Route | null>();
  return {
    match(method, path, query, headers = {}) {
      index ??= buildIndex(model);
      const byFirst = index.routes.get(method.toUpperCase());
      if (!byFirst) return undefined;
      const raw = splitPath(path || "/");
      const first = decodeSegment(raw[0]);
      const key = decisionKey(index, method, byFirst.has(first) ? first : "\u0000label", raw, query, headers);
      let route = decisions.get(key);
      if (route === undefined) {
        route = bestRoute([...(byFirst.get(first) ?? []), ...(byFirst.get("\u0000label") ?? [])], raw, query, headers) ?? null;
        if (decisions.size >= MAX_DECISIONS) decisions.clear();
        decisions.set(key, route);
      }
      if (!route) return undefined;
      return { operation: route.operation, labels: matchPath(route.template.segments, raw)! };
    },
  };
}

const MAX_DECISIONS = 4096;

/** The traits of a request the choice of route depends on: the method and first
 *  segment, which segments are empty, the segments some template has a literal at,
 *  which of the query members and headers any route names are present (with the
 *  values of query literals that require one). */
function decisionKey(index: RouteIndex, method: string, first: string, raw: string[], query: Record<string, string[]>, headers: Record<string, string>): string {
  let key = `${method}\n${first}\n${raw.length}\n`;
  for (const segment of raw) key += segment === "" ? "0" : "1";
  // Texts from the request are length-prefixed: no text can pass for another trait.
  for (const i of index.literalFromStart) if (i < raw.length) key += `\n${i}=${sized(decodeSegment(raw[i]))}`;
  for (const d of index.literalFromEnd) if (d <= raw.length) key += `\n-${d}=${sized(decodeSegment(raw[raw.length - d]))}`;
  key += "\n";
  // In the request's order: the same set in another order is only another entry.
  for (const name in query) {
    if (!index.queryNames.has(name)) continue;
    key += index.queryValueNames.has(name) ? `${name}=${sized(query[name].join("\u0000"))}&` : `${name}&`;
  }
  key += "\n";
  for (const name of index.headerNames) key += Object.hasOwn(headers, name) ? "1" : "0";
  return key;
}

function sized(text: string): string {
  return `${text.length}:${text}`;
}

function bestRoute(candidates: Route[], raw: string[], query: Record<string, string[]>, headers: Record<string, string>): Route | undefined {
  let best: { route: Route; score: number[] } | undefined;
  for (const route of candidates) {
    const labels = hasQueryLiterals(route.template, query) ? matchPath(route.template.segments, raw) : undefined;
    if (!labels) continue;
    const missing =
      route.requiredQuery.filter((q) => !Object.hasOwn(query, q)).length +
      route.requiredHeaders.filter((h) => !Object.hasOwn(headers, h)).length;
    const present = route.requiredQuery.length + route.requiredHeaders.length - missing;
    const score = [route.template.queryLiterals.length, -missing, present, route.operation.deprecated ? 0 : 1, -route.order];
    const byPath = best ? compareScores(route.rank, best.route.rank) : 1;
    if (byPath > 0 || (byPath === 0 && compareScores(score, best!.score) > 0)) best = { route, score };
  }
  return best?.route;
}

interface RouteIndex {
  /** By method, then by first literal segment ("\u0000label" for a label). */
  routes: Map<string, Map<string, Route[]>>;
  /** Segment positions, from the start and (after a greedy label) from the end, where a template has a literal. */
  literalFromStart: number[];
  literalFromEnd: number[];
  /** Every query member a template or a route's required members name; those whose literal requires a value. */
  queryNames: Set<string>;
  queryValueNames: Set<string>;
  headerNames: string[];
}

function buildIndex(model: ServiceModel): RouteIndex {
  const routes = new Map<string, Map<string, Route[]>>();
  const literalFromStart = new Set<number>();
  const literalFromEnd = new Set<number>();
  const queryNames = new Set<string>();
  const queryValueNames = new Set<string>();
  const headerNames = new Set<string>();
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
    const { segments } = template;
    const greedy = segments.findIndex((s) => s.kind === "greedy");
    segments.forEach((segment, i) => {
      if (i === 0 || segment.kind !== "literal") return;
      if (greedy >= 0 && i > greedy) literalFromEnd.add(segments.length - i);
      else literalFromStart.add(i);
    });
    for (const [name, value] of template.queryLiterals) {
      queryNames.add(name);
      if (value !== undefined) queryValueNames.add(name);
    }
    for (const name of requiredQuery) queryNames.add(name);
    for (const name of requiredHeaders) headerNames.add(name);
    const rank = segments.map((s) => (s.kind === "literal" ? 2 : s.kind === "label" ? 1 : 0));
    const first = segments[0];
    const key = first.kind === "literal" ? first.text : "\u0000label";
    const method = operation.http.method.toUpperCase();
    if (!routes.has(method)) routes.set(method, new Map());
    const byFirst = routes.get(method)!;
    byFirst.set(key, [...(byFirst.get(key) ?? []), { operation, template, rank, requiredQuery, requiredHeaders, order: order++ }]);
  }
  return {
    routes,
    literalFromStart: [...literalFromStart],
    literalFromEnd: [...literalFromEnd],
    queryNames,
    queryValueNames,
    headerNames: [...headerNames],
  };
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

