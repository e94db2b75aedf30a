import type { Operation, Shape, ShapeRef, ServiceModel, TimestampFormat } from "../models/types.js";
import type { HttpRequest } from "./http.js";
import { compileTemplate, matchRequestUri } from "./rest-router.js";
import { setOwn } from "./shape-walk.js";
import { formatNumberText, formatTimestamp, parseNumberText, parseTimestamp, toBuffer } from "./values.js";

// The HTTP bindings of the REST protocols (restJson1, restXml): which request
// path, query and headers carry which input members, which operation a path
// names (rest-router.ts), and where output members go besides the body. Shared
// by both codecs.

// ---------------------------------------------------------------- request bindings

/** How an operation's input or output shape uses the body. */
export type BodyPlan =
  | { kind: "none" }
  /** `payload` names a blob or string member: the body is that value, raw. */
  | { kind: "raw"; member: string; ref: ShapeRef; shape: Shape }
  /** `payload` names a structure, union or document member: the body is that value. */
  | { kind: "payload"; member: string; ref: ShapeRef; shape: Shape }
  /** The members without an HTTP location make up the body. */
  | { kind: "members"; members: string[] };

/**
 * Whether a member travels in the body. In a response only headers and the
 * status code live outside it: a uri or querystring member of a shape shared
 * by input and output is written in the output's body.
 */
export function isBodyMember(ref: ShapeRef, direction: Direction): boolean {
  if (!ref.location) return true;
  return direction === "output" && (ref.location === "uri" || ref.location === "querystring");
}

export type Direction = "input" | "output";

const bodyPlans = { input: new WeakMap<Shape, BodyPlan>(), output: new WeakMap<Shape, BodyPlan>() };
const NO_BODY: BodyPlan = { kind: "none" };

/** How the shape uses the body, worked out once per shape and direction. */
export function bodyPlan(model: ServiceModel, shapeName: string | undefined, direction: Direction): BodyPlan {
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (!shape) return NO_BODY;
  let plan = bodyPlans[direction].get(shape);
  if (!plan) bodyPlans[direction].set(shape, (plan = makeBodyPlan(model, shape, direction)));
  return plan;
}

function makeBodyPlan(model: ServiceModel, shape: Shape, direction: Direction): BodyPlan {
  if (shape.payload) {
    const ref = shape.members![shape.payload];
    const target = model.shapes[ref.shape];
    const raw = target.type === "blob" || target.type === "string";
    return { kind: raw ? "raw" : "payload", member: shape.payload, ref, shape: target };
  }
  const members = Object.entries(shape.members ?? {}).filter(([, r]) => isBodyMember(r, direction)).map(([n]) => n);
  return members.length ? { kind: "members", members } : NO_BODY;
}

interface BoundMember {
  name: string;
  ref: ShapeRef;
  target: Shape;
  /** The label, query parameter or header name (headers lower-cased; a prefix for `headers`). */
  wire: string;
  /** For lists: the item's shape, and for header lists of timestamps whether they are HTTP dates. */
  item?: Shape;
  httpDates?: boolean;
}

/** An operation's input members by where they travel, listed once per operation. */
interface RequestBindingPlan {
  uri: BoundMember[];
  query: BoundMember[];
  /** Single headers by lower-cased name: a request carries a dozen headers, a shape
   *  like PutObjectRequest binds dozens, so the request's headers are the ones walked. */
  headers: Map<string, BoundMember>;
  prefixHeaders: BoundMember[];
  queryMap?: BoundMember;
  /** The template's literal query parameters, which a query-bound map does not take. */
  claimed: Set<string>;
}

const requestPlans = new WeakMap<Operation, RequestBindingPlan | null>();

function requestPlanOf(model: ServiceModel, operation: Operation): RequestBindingPlan | null {
  let plan = requestPlans.get(operation);
  if (plan !== undefined) return plan;
  const shape = operation.input ? model.shapes[operation.input.shape] : undefined;
  plan = null;
  if (shape?.members) {
    plan = {
      uri: [], query: [], headers: new Map(), prefixHeaders: [],
      claimed: new Set(compileTemplate(operation.http.requestUri).queryLiterals.map(([k]) => k)),
    };
    for (const [name, ref] of Object.entries(shape.members)) {
      const target = model.shapes[ref.shape];
      const bound: BoundMember = { name, ref, target, wire: ref.locationName ?? name };
      if (target.type === "list") bound.item = model.shapes[target.member!.shape];
      switch (ref.location) {
        case "uri":
          plan.uri.push(bound);
          break;
        case "querystring":
          if (target.type === "map") plan.queryMap = bound;
          else plan.query.push(bound);
          break;
        case "header":
          bound.wire = bound.wire.toLowerCase();
          if (bound.item?.type === "timestamp") bound.httpDates = timestampFormatOf(target.member!, bound.item, "rfc822") === "rfc822";
          plan.headers.set(bound.wire, bound);
          break;
        case "headers":
          bound.wire = bound.wire.toLowerCase();
          plan.prefixHeaders.push(bound);
          break;
      }
    }
  }
  requestPlans.set(operation, plan);
  return plan;
}

/**
 * Reads the members bound to the uri, query string and headers. Throws
 * BindingError for a value that does not fit its shape. The uri labels are the
 * ones the router matched (req.labels), or matched here.
 */
export function readRequestBindings(req: HttpRequest, model: ServiceModel, operation: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const plan = requestPlanOf(model, operation);
  if (!plan) return out;
  if (plan.uri.length > 0) {
    const values = req.labels ?? matchRequestUri(operation.http.requestUri, req.path, req.query) ?? {};
    for (const { name, ref, target, wire } of plan.uri) {
      if (wire in values) out[name] = readText(values[wire], ref, target, "iso8601");
    }
  }
  for (const { name, ref, target, wire, item } of plan.query) {
    const values = req.query[wire];
    if (!values) continue;
    if (item) out[name] = values.map((v) => readText(v, target.member!, item, "iso8601"));
    else out[name] = readText(values[0], ref, target, "iso8601");
  }
  for (const header in req.headers) {
    const bound = plan.headers.get(header);
    if (bound === undefined) continue;
    const raw = req.headers[header];
    if (bound.item) {
      out[bound.name] = splitHeaderList(raw, bound.httpDates).map((v) => readText(v, bound.target.member!, bound.item!, "rfc822"));
    } else out[bound.name] = readText(raw, bound.ref, bound.target, "rfc822");
  }
  for (const { name, target, wire: prefix } of plan.prefixHeaders) {
    const map: Record<string, unknown> = {};
    let any = false;
    for (const h in req.headers) {
      if (!h.startsWith(prefix)) continue;
      setOwn(map, h.slice(prefix.length), readText(req.headers[h], target.value!, model.shapes[target.value!.shape], "rfc822"));
      any = true;
    }
    if (any) out[name] = map;
  }
  if (plan.queryMap) {
    // A map bound to the query string takes every parameter but the template's
    // literals, named ones included, as Smithy's server protocol tests expect.
    const { name, target } = plan.queryMap;
    const valueShape = model.shapes[target.value!.shape];
    const map: Record<string, unknown> = {};
    for (const [k, values] of Object.entries(req.query)) {
      if (plan.claimed.has(k)) continue;
      setOwn(map, k, valueShape.type === "list" ? values : values[0]);
    }
    if (Object.keys(map).length) out[name] = map;
  }
  return out;
}

/** A value in the uri, query or headers that its shape cannot hold. */
export class BindingError extends Error {}

function readText(text: string, ref: ShapeRef, shape: Shape, defaultFormat: TimestampFormat): unknown {
  switch (shape.type) {
    case "boolean":
      if (text !== "true" && text !== "false") throw new BindingError(`Value '${text}' is not a valid boolean`);
      return text === "true";
    case "integer": case "long": case "short": case "byte":
      if (!/^\s*[-+]?\d+\s*$/.test(text)) throw new BindingError(`Value '${text}' is not a valid integer`);
      return Number(text);
    case "float": case "double": case "bigdecimal": case "biginteger": {
      const n = parseNumberText(text.trim());
      if (Number.isNaN(n) && text.trim() !== "NaN") throw new BindingError(`Value '${text}' is not a valid number`);
      return n;
    }
    case "timestamp": {
      const d = parseTimestamp(text);
      if (!d) throw new BindingError(`Value '${text}' is not a valid ${timestampFormatOf(ref, shape, defaultFormat)} timestamp`);
      return d;
    }
    case "blob":
      return Buffer.from(text, "base64");
    default:
      // A JSON-valued header is base64 on the wire; handlers get the JSON text,
      // as the SDKs type it (Smithy @mediaType strings), and parse it if they need to.
      if (ref.jsonvalue) return Buffer.from(text, "base64").toString("utf8");
      return text;
  }
}

/**
 * Splits a header list: commas separate items except inside double quotes
 * (RFC 7230 quoted-string); an HTTP-date list splits at every second comma,
 * since each date holds one ("Mon, 16 Dec 2019 23:48:18 GMT").
 */
export function splitHeaderList(raw: string, httpDates = false): string[] {
  if (httpDates) return (raw.match(/[^,]+,[^,]+/g) ?? []).map((s) => s.trim());
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quoted) {
      if (c === "\\" && i + 1 < raw.length) cur += raw[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === "") {
      quoted = wasQuoted = true;
      cur = "";
    } else if (c === ",") {
      out.push(wasQuoted ? cur : cur.trim());
      cur = "";
      wasQuoted = false;
    } else if (!wasQuoted) cur += c;
  }
  if (cur !== "" || wasQuoted || out.length) out.push(wasQuoted ? cur : cur.trim());
  return out;
}

// ---------------------------------------------------------------- response bindings

export interface ResponseBindings { status?: number; headers: Record<string, string> }

/** The output members bound to headers and the status code, by member name. */
const responsePlans = new WeakMap<Shape, Map<string, BoundMember>>();

function responsePlanOf(model: ServiceModel, shape: Shape): Map<string, BoundMember> {
  let plan = responsePlans.get(shape);
  if (!plan) {
    plan = new Map();
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location !== "statusCode" && ref.location !== "header" && ref.location !== "headers") continue;
      const target = model.shapes[ref.shape];
      const bound: BoundMember = { name, ref, target, wire: ref.locationName ?? name };
      if (target.type === "list") bound.item = model.shapes[target.member!.shape];
      plan.set(name, bound);
    }
    responsePlans.set(shape, plan);
  }
  return plan;
}

/** Writes the output members bound to headers and the status code. */
export function writeResponseBindings(
  output: Record<string, unknown> | undefined,
  model: ServiceModel,
  shapeName: string | undefined,
): ResponseBindings {
  const result: ResponseBindings = { headers: {} };
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (!output || !shape?.members) return result;
  const plan = responsePlanOf(model, shape);
  if (plan.size === 0) return result;
  // The members the output has (a handler sets a few of the many a shape binds), in
  // its order: a walk over the plan's entries cost an array per bound member.
  for (const name in output) {
    const bound = plan.get(name);
    if (bound === undefined) continue;
    const v = output[name];
    if (v === undefined || v === null) continue;
    const { ref, target, wire, item } = bound;
    if (ref.location === "statusCode") result.status = Number(v);
    else if (ref.location === "header") {
      if (item) {
        const texts = (v as unknown[]).map((x) => writeText(x, target.member!, item));
        result.headers[wire] = headerSafe(texts.map((t) => (item.type === "timestamp" ? t : quoteListItem(t))).join(", "));
      } else result.headers[wire] = headerSafe(writeText(v, ref, target));
    } else {
      const valueShape = model.shapes[target.value!.shape];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x !== undefined && x !== null) result.headers[wire + k] = headerSafe(writeText(x, target.value!, valueShape));
      }
    }
  }
  return result;
}

/**
 * Node refuses control characters in header values and sends the rest as
 * Latin-1; S3 answers non-ASCII metadata as RFC 2047 encoded words instead.
 */
function headerSafe(v: string): string {
  return /[^\t\x20-\x7e]/.test(v) ? `=?UTF-8?B?${Buffer.from(v, "utf8").toString("base64")}?=` : v;
}

function quoteListItem(s: string): string {
  return /[",]/.test(s) ? `"${s.replace(/[\\"]/g, (c) => "\\" + c)}"` : s;
}

/** A scalar as a header, label or query value (timestamps default to the header form). */
export function writeText(value: unknown, ref: ShapeRef, shape: Shape, defaultFormat: TimestampFormat = "rfc822"): string {
  switch (shape.type) {
    case "timestamp":
      return String(formatTimestamp(value, timestampFormatOf(ref, shape, defaultFormat)));
    case "blob":
      return toBuffer(value).toString("base64");
    case "boolean":
      return value === true || value === "true" ? "true" : "false";
    case "integer": case "long": case "float": case "double": case "short": case "byte":
      return typeof value === "number" ? formatNumberText(value) : String(value);
    default:
      if (ref.jsonvalue) return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64");
      return String(value);
  }
}

export function timestampFormatOf(ref: ShapeRef, shape: Shape, fallback: TimestampFormat): TimestampFormat {
  return ref.timestampFormat ?? shape.timestampFormat ?? fallback;
}
