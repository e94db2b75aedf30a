import type { Operation, Shape, ShapeRef, ServiceModel } from "../models/types.js";
import type { ProtocolCodec, ResponseContext } from "./codec.js";
import type { HttpRequest, HttpResponse } from "./http.js";
import { BindingError, isBodyMember, timestampFormatOf, writeResponseBindings, type Direction } from "./http-bindings.js";
import { errorShapeName, parseRestRequest, serializeRestResponse } from "./rest-message.js";
import { ServiceError } from "./service-error.js";
import { setOwn } from "./shape-walk.js";
import { formatNumberText, formatTimestamp, parseNumberText, parseTimestamp, toBuffer } from "./values.js";

// restJson1 (Lambda, API Gateway, ...): HTTP bindings plus a JSON body.
// Body members are named by locationName (Smithy's jsonName), timestamps are
// epoch seconds unless a timestampFormat says otherwise, blobs are base64.

export const restJsonCodec: ProtocolCodec = {
  parseRequest(req, model, operation) {
    try {
      return parseRestJsonRequest(req, model, operation);
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      if (e instanceof BindingError || e instanceof JsonShapeError) throw serializationError(e.message);
      throw e;
    }
  },
  serializeResponse(output, model, operation, ctx) {
    return serializeRestResponse(output, model, operation, { "x-amzn-RequestId": ctx.requestId }, (b) => {
      let json: unknown;
      if (b.plan.kind === "payload") {
        json = writeJsonValue(b.output[b.plan.member], b.plan.ref, model);
      } else if (b.shapeName && b.status !== 204 && b.status !== 304) {
        // Smithy's server rule (RestJsonEmptyInputAndEmptyOutput): an output
        // without a payload member is a JSON object, even with no body members.
        json = writeJsonStructure(b.output, model.shapes[b.shapeName], model, "output");
      } else {
        return "";
      }
      b.headers["Content-Type"] = "application/json";
      return JSON.stringify(json);
    });
  },
  serializeError(error, model, _operation, ctx) {
    return serializeRestJsonError(error, model, ctx);
  },
};

function parseRestJsonRequest(req: HttpRequest, model: ServiceModel, operation: Operation): Record<string, unknown> {
  return parseRestRequest(req, model, operation, (plan) => {
    if (plan.kind === "payload") {
      return req.body.length > 0 ? { [plan.member]: readJsonValue(parseJsonBody(req.body), plan.ref, model, plan.member) } : {};
    }
    const doc = req.body.length > 0 ? parseJsonBody(req.body) : {};
    return readJsonStructure(doc, model.shapes[operation.input!.shape], model, "", "input");
  });
}

function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw serializationError("Unable to parse request body as JSON");
  }
}

function serializationError(message: string): ServiceError {
  return new ServiceError("SerializationException", message, { status: 400, senderFault: true });
}

/**
 * AWS SDKs take the code from `x-amzn-ErrorType` first, then `code` or
 * `__type` in the body, ignoring any `namespace#` prefix and `:uri` suffix;
 * the message comes from `message` or `Message`, so the error shape's own
 * spelling is used when it models one.
 */
export function serializeRestJsonError(error: ServiceError, model: ServiceModel, ctx: ResponseContext): HttpResponse {
  const shapeName = errorShapeName(error, model);
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  const bindings = writeResponseBindings(error.fields, model, shapeName);
  const headers: Record<string, string> = {
    "x-amzn-RequestId": ctx.requestId,
    "x-amzn-ErrorType": error.code,
    "Content-Type": "application/json",
    ...bindings.headers,
    ...error.headers,
  };
  const body: Record<string, unknown> = { __type: error.code };
  const messageKey = Object.keys(shape?.members ?? {}).find((m) => m.toLowerCase() === "message") ?? "message";
  if (error.message) body[shape?.members?.[messageKey]?.locationName ?? messageKey] = error.message;
  const fields = withoutKey(error.fields, messageKey);
  // Fields the shape does not model still reach the client, as they were given.
  for (const [k, v] of Object.entries(fields)) if (!shape?.members?.[k] && v !== undefined) body[k] = v;
  if (shape) Object.assign(body, writeJsonStructure(fields, shape, model, "output"));
  return { status: error.status, headers, body: JSON.stringify(body) };
}

function withoutKey(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!(key in obj)) return obj;
  const { [key]: _omit, ...rest } = obj;
  return rest;
}

// ---------------------------------------------------------------- JSON values

class JsonShapeError extends Error {}

function readJsonStructure(
  doc: unknown,
  shape: Shape,
  model: ServiceModel,
  path: string,
  topLevel?: Direction,
): Record<string, unknown> {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new JsonShapeError(`Expected an object${path ? ` at '${path}'` : ""}`);
  }
  const src = doc as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (topLevel && !isBodyMember(ref, topLevel)) continue;
    const v = src[ref.locationName ?? name];
    if (v === undefined || v === null) continue;
    out[name] = readJsonValue(v, ref, model, path ? `${path}.${name}` : name);
  }
  return out;
}

/** Reads a parsed JSON value as the shape `ref` names; throws on a value the shape cannot hold. */
export function readJsonShape(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  try {
    return readJsonValue(v, ref, model, "");
  } catch (e) {
    throw e instanceof JsonShapeError ? serializationError(e.message) : e;
  }
}

/** Writes a value of the shape `ref` names as a JSON-ready value (timestamps, blobs, NaN as text). */
export function writeJsonShape(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  return writeJsonValue(v, ref, model);
}

function readJsonValue(v: unknown, ref: ShapeRef, model: ServiceModel, path: string): unknown {
  const shape = model.shapes[ref.shape];
  const fail = (what: string) => new JsonShapeError(`Expected ${what} at '${path}'`);
  if (shape.document) return v;
  switch (shape.type) {
    case "structure":
      return readJsonStructure(v, shape, model, path);
    case "list":
      if (!Array.isArray(v)) throw fail("a list");
      return v.map((item, i) => (item === null ? null : readJsonValue(item, shape.member!, model, `${path}[${i}]`)));
    case "map": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw fail("a map");
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) setOwn(out, k, x === null ? null : readJsonValue(x, shape.value!, model, `${path}.${k}`));
      return out;
    }
    case "boolean":
      if (typeof v !== "boolean") throw fail("a boolean");
      return v;
    case "integer": case "long": case "short": case "byte":
      if (typeof v !== "number" || !Number.isInteger(v)) throw fail("an integer");
      return v;
    case "float": case "double": case "bigdecimal": case "biginteger":
      if (typeof v === "number") return v;
      if (v === "NaN") return NaN;
      if (v === "Infinity") return Infinity;
      if (v === "-Infinity") return -Infinity;
      throw fail("a number");
    case "timestamp": {
      const d = typeof v === "number" || typeof v === "string" ? parseTimestamp(v) : undefined;
      if (!d) throw fail("a timestamp");
      return d;
    }
    case "blob":
      if (typeof v !== "string") throw fail("a base64 string");
      return Buffer.from(v, "base64");
    default:
      if (typeof v !== "string") throw fail("a string");
      return v;
  }
}

function writeJsonStructure(
  value: Record<string, unknown>,
  shape: Shape,
  model: ServiceModel,
  topLevel?: Direction,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (topLevel && !isBodyMember(ref, topLevel)) continue;
    const v = value[name];
    if (v === undefined || v === null) continue;
    out[ref.locationName ?? name] = writeJsonValue(v, ref, model);
  }
  return out;
}

function writeJsonValue(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  const shape = model.shapes[ref.shape];
  if (shape.document) return v;
  switch (shape.type) {
    case "structure":
      return writeJsonStructure(v as Record<string, unknown>, shape, model);
    case "list":
      return (v as unknown[]).map((item) => (item === null || item === undefined ? null : writeJsonValue(item, shape.member!, model)));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x !== undefined) setOwn(out, k, x === null ? null : writeJsonValue(x, shape.value!, model));
      }
      return out;
    }
    case "timestamp":
      return formatTimestamp(v, timestampFormatOf(ref, shape, "unixTimestamp"));
    case "blob":
      return toBuffer(v).toString("base64");
    case "float": case "double": {
      const n = typeof v === "number" ? v : parseNumberText(String(v));
      return Number.isFinite(n) ? n : formatNumberText(n);
    }
    case "integer": case "long": case "short": case "byte": case "bigdecimal": case "biginteger":
      return Number(v);
    case "boolean":
      return v === true || v === "true";
    default:
      return String(v);
  }
}
