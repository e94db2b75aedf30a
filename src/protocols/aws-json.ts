import type { ServiceModel, Shape, ShapeRef } from "../models/types.js";
import type { ProtocolCodec, ResponseContext } from "./codec.js";
import type { HttpResponse } from "./http.js";
import { ServiceError } from "./service-error.js";
import { RawJsonSplicer } from "./raw-json.js";
import { shapeValues } from "./shape-walk.js";
import { formatTimestamp, parseTimestamp, toBuffer } from "./values.js";

// awsJson1_0 / awsJson1_1: the operation comes from X-Amz-Target (the gateway's
// job), the body is the input structure as JSON. Timestamps travel as epoch
// seconds unless a timestampFormat trait says otherwise, blobs as base64,
// non-finite floats as the strings "NaN", "Infinity", "-Infinity".

export const awsJsonCodec: ProtocolCodec = {
  parseRequest(req, model, operation) {
    const text = req.body.toString("utf8");
    let doc: unknown = {};
    if (text.trim() !== "") {
      try {
        doc = JSON.parse(text);
      } catch {
        // DynamoDB answers malformed JSON with a bare SerializationException, no
        // message (dynalite mirrors it: `{"__type":"...#SerializationException"}`).
        throw serializationError("");
      }
    }
    if (!operation.input) return {};
    return guardDecode(() => readJsonValue(doc, operation.input!, model) as Record<string, unknown>) ?? {};
  },

  serializeResponse(output, model, operation, ctx) {
    const splicer = new RawJsonSplicer();
    splicing = splicer;
    try {
      const body = operation.output ? writeSplicedJsonValue(output ?? {}, operation.output, model) : {};
      return jsonResponse(200, splicer.stringify(body ?? {}), model, ctx);
    } finally {
      splicing = undefined;
    }
  },

  serializeError(error, model, _operation, ctx) {
    const names = errorWireNames(error, model);
    const body: Record<string, unknown> = { __type: names.jsonType, ...errorFields(error, names.shapeName, model, writeJsonValue) };
    const res = jsonResponse(error.status, body, model, ctx);
    Object.assign(res.headers, queryCompatibleHeader(error, names, model), error.headers);
    return res;
  },
};

function jsonResponse(status: number, body: unknown, model: ServiceModel, ctx: ResponseContext): HttpResponse {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    status,
    headers: {
      "content-type": `application/x-amz-json-${model.metadata.jsonVersion ?? "1.0"}`,
      "x-amzn-requestid": ctx.requestId,
    },
    body: text,
  };
}

// ---------------------------------------------------------------- errors, shared with query and CBOR

export interface ErrorWireNames {
  /** The model's exception shape, when the error maps to one. */
  shapeName?: string;
  /** What JSON and CBOR bodies carry as `__type`: the shape name (as clients map it to a class). */
  jsonType: string;
  /** What query `<Code>` and the `x-amzn-query-error` header carry: the shape's `error.code` when present. */
  queryCode: string;
}

const codeIndex = new WeakMap<ServiceModel, Map<string, string>>();

/**
 * Finds the error's shape: by `shapeName`, else a shape named like the code, else
 * a shape whose awsQueryError code is the code (a handler may throw the query
 * code, e.g. "AWS.SimpleQueueService.NonExistentQueue").
 */
export function errorWireNames(error: ServiceError, model: ServiceModel): ErrorWireNames {
  let shapeName = error.shapeName && model.shapes[error.shapeName] ? error.shapeName : undefined;
  if (!shapeName && model.shapes[error.code]?.exception) shapeName = error.code;
  if (!shapeName) shapeName = exceptionByQueryCode(model).get(error.code);
  if (!shapeName) return { jsonType: error.code, queryCode: error.code };
  const queryCode = model.shapes[shapeName].error?.code;
  // An explicit code that is neither the shape name nor its query code is the handler's choice: keep it.
  const jsonType = error.code === shapeName || error.code === queryCode ? shapeName : error.code;
  return { shapeName, jsonType, queryCode: queryCode ?? error.code };
}

function exceptionByQueryCode(model: ServiceModel): Map<string, string> {
  let index = codeIndex.get(model);
  if (!index) {
    index = new Map();
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.exception && shape.error?.code) index.set(shape.error.code, name);
    }
    codeIndex.set(model, index);
  }
  return index;
}

/**
 * `x-amzn-query-error: <Code>;Sender|Receiver` tells clients of awsQueryCompatible
 * services (SQS, CloudWatch) the code the query protocol would have sent (see
 * the json_1_0-query-compatible and rpc-v2-cbor query-compatible vectors).
 */
export function queryCompatibleHeader(error: ServiceError, names: ErrorWireNames, model: ServiceModel): Record<string, string> {
  if (!model.metadata.awsQueryCompatible) return {};
  return { "x-amzn-query-error": `${names.queryCode};${error.senderFault ? "Sender" : "Receiver"}` };
}

/**
 * The error body's members besides `__type`: the message under the shape's own
 * member name ("Message" or "message"; clients read both), then the shape's
 * other members from `error.fields`. An empty message is left out, as AWS does
 * for SerializationException.
 */
export function errorFields(
  error: ServiceError,
  shapeName: string | undefined,
  model: ServiceModel,
  write: (value: unknown, ref: ShapeRef, model: ServiceModel) => unknown,
): Record<string, unknown> {
  const members = shapeName ? model.shapes[shapeName].members ?? {} : {};
  const messageKey = Object.keys(members).find((m) => m.toLowerCase() === "message") ?? "message";
  const out: Record<string, unknown> = {};
  if (error.message) out[messageKey] = error.message;
  for (const [name, value] of Object.entries(error.fields)) {
    if (value === undefined || value === null || name.toLowerCase() === "message") continue;
    const ref = members[name];
    const written = ref ? write(value, ref, model) : value;
    if (written !== undefined) out[ref?.locationName ?? name] = written;
  }
  return out;
}

// ---------------------------------------------------------------- reading and writing (the walk is shape-walk.ts's)

export function serializationError(message: string): ServiceError {
  return new ServiceError("SerializationException", message, { status: 400, senderFault: true });
}

/** Runs a decoder; a stack overflow on absurdly nested input becomes a SerializationException, not a 500. */
export function guardDecode<T>(decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof RangeError) throw serializationError("Request nesting is too deep");
    throw e;
  }
}

/**
 * `readJsonValue` reads a parsed JSON value as a shape (undefined for JSON
 * null); `writeJsonValue` writes one into a JSON-ready value (undefined: leave
 * the member out). Members travel under their locationName.
 */
const jsonFormat = {
  memberKey: (name: string, ref: ShapeRef) => ref.locationName ?? name,
  isObject: isPlainObject,
  // DynamoDB's messages name no path, so none is built.
  childPath: () => "",
  mismatch,
  readScalar,
  writeScalar,
};

export const { read: readJsonValue, write: writeJsonValue } = shapeValues(jsonFormat);

// The output writer of awsJson responses: RawJson values become placeholders that
// the response's splicer replaces with their text. `splicing` is set only while one
// response is written, which is synchronous, so no other response interleaves.
let splicing: RawJsonSplicer | undefined;

const { write: writeSplicedJsonValue } = shapeValues({
  ...jsonFormat,
  keepRawJson: (raw) => splicing?.placeholder(raw) ?? JSON.parse(raw.text),
});

function readScalar(v: unknown, shape: Shape): unknown {
  switch (shape.type) {
    case "string":
      if (typeof v !== "string") throw mismatch(v, shape);
      return v;
    case "boolean":
      // Coral's JSON reader also takes the strings "true"/"false" (dynalite documents this).
      if (typeof v === "boolean") return v;
      if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
      throw mismatch(v, shape);
    case "integer": case "long": case "short": case "byte": case "biginteger":
      if (typeof v !== "number") throw mismatch(v, shape);
      return Math.trunc(v);
    case "float": case "double": case "bigdecimal":
      if (typeof v === "number") return v;
      if (v === "NaN") return NaN;
      if (v === "Infinity") return Infinity;
      if (v === "-Infinity") return -Infinity;
      throw mismatch(v, shape);
    case "timestamp": {
      if (typeof v !== "number" && typeof v !== "string") throw mismatch(v, shape);
      const d = parseTimestamp(v);
      if (!d) throw serializationError(`Invalid timestamp value: ${String(v).slice(0, 64)}`);
      return d;
    }
    case "blob":
      if (typeof v !== "string") throw mismatch(v, shape);
      return decodeBase64(v);
    default:
      return v;
  }
}

/** Strict base64, with DynamoDB's messages (as dynalite records them). */
export function decodeBase64(s: string): Buffer {
  if (s.length % 4) throw serializationError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${s.length}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw serializationError("Invalid last non-pad Base64 character dectected");
  return Buffer.from(s, "base64");
}

// Coral's (Jackson's) wording for a JSON token of the wrong kind, as DynamoDB sends it.
const JAVA_TYPES: Record<string, string> = {
  string: "String", boolean: "Boolean", integer: "Integer", long: "Long", short: "Short", byte: "Byte",
  float: "Float", double: "Double", bigdecimal: "BigDecimal", biginteger: "BigInteger", timestamp: "Date", blob: "ByteBuffer",
};

function mismatch(v: unknown, shape: Shape): ServiceError {
  if (Array.isArray(v)) {
    return serializationError(shape.type === "structure" || shape.type === "map"
      ? "Start of list found where not expected"
      : `Unrecognized collection type class java.lang.${JAVA_TYPES[shape.type] ?? "Object"}`);
  }
  if (typeof v === "object") return serializationError("Start of structure or map found where not expected");
  if (shape.type === "structure" || shape.type === "map" || shape.type === "list") {
    return serializationError("Unexpected field type");
  }
  if (shape.type === "blob") return serializationError("only base-64-encoded strings are convertible to bytes");
  const token = typeof v === "boolean" ? (v ? "TRUE_VALUE" : "FALSE_VALUE")
    : typeof v === "number" ? (Number.isInteger(v) ? "NUMBER_VALUE" : "DECIMAL_VALUE")
    : "STRING_VALUE";
  return serializationError(`${token} cannot be converted to ${JAVA_TYPES[shape.type] ?? shape.type}`);
}

function writeScalar(value: unknown, ref: ShapeRef, shape: Shape): unknown {
  switch (shape.type) {
    case "timestamp":
      return formatTimestamp(value, ref.timestampFormat ?? shape.timestampFormat ?? "unixTimestamp");
    case "blob":
      return toBuffer(value).toString("base64");
    case "float": case "double": case "bigdecimal": {
      const n = typeof value === "number" ? value : Number(value);
      if (Number.isFinite(n)) return n;
      return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
    }
    case "integer": case "long": case "short": case "byte": case "biginteger":
      return typeof value === "number" ? value : Number(value);
    case "boolean":
      return value === true || value === "true";
    default:
      return String(value);
  }
}

// ---------------------------------------------------------------- helpers

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
