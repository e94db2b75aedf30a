import type { ServiceModel, Shape, ShapeRef } from "../models/types.js";
import { errorFields, errorWireNames, guardDecode, queryCompatibleHeader, serializationError } from "./aws-json.js";
import { CborError, decodeCbor, encodeCbor, epochTag } from "./cbor.js";
import type { ProtocolCodec, ResponseContext } from "./codec.js";
import type { HttpResponse } from "./http.js";
import { shapeValues } from "./shape-walk.js";
import { toBuffer, toDate } from "./values.js";

// Smithy RPC v2 CBOR (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html):
// POST .../service/<ServiceName>/operation/<Operation>, `smithy-protocol: rpc-v2-cbor`,
// the input structure as a CBOR map. Timestamps are tag 1 (epoch seconds),
// blobs byte strings, non-finite floats native CBOR floats. The routing (path
// and header) is the gateway's; parseRpcV2Path helps it read the path.

const PROTOCOL_HEADER = { "smithy-protocol": "rpc-v2-cbor" };

export const rpcV2CborCodec: ProtocolCodec = {
  parseRequest(req, model, operation) {
    // An operation without input may come with no body at all (the NoInputOutput vector).
    if (req.body.length === 0) return {};
    let doc: unknown;
    try {
      doc = decodeCbor(req.body);
    } catch (e) {
      if (e instanceof CborError) throw serializationError(`Malformed CBOR: ${e.message}`);
      throw e;
    }
    if (!operation.input) return {};
    return guardDecode(() => readCborValue(doc, operation.input!, model, "")) as Record<string, unknown> ?? {};
  },

  serializeResponse(output, model, operation, ctx) {
    // No output shape: an empty body and no Content-Type (the no_output vector);
    // an output shape, even empty, is a CBOR map (optional_output: "v/8=" is {}).
    if (!operation.output) return { status: 200, headers: { ...PROTOCOL_HEADER, "x-amzn-requestid": ctx.requestId }, body: Buffer.alloc(0) };
    return cborResponse(200, writeCborValue(output ?? {}, operation.output, model) ?? {}, ctx);
  },

  serializeError(error, model, _operation, ctx) {
    const names = errorWireNames(error, model);
    // Smithy asks for the error's shape id in `__type`; the model has no Smithy
    // namespace, and every client keeps only the part after '#', so the bare name serves.
    const body = { __type: names.jsonType, ...errorFields(error, names.shapeName, model, writeCborValue) };
    const res = cborResponse(error.status, body, ctx);
    Object.assign(res.headers, queryCompatibleHeader(error, names, model), error.headers);
    return res;
  },
};

/** Reads `/service/<ServiceName>/operation/<Operation>` at the end of a request path (a prefix may precede it). */
export function parseRpcV2Path(path: string): { service: string; operation: string } | undefined {
  const m = /\/service\/([^/]+)\/operation\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  try {
    return { service: decodeURIComponent(m[1]), operation: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
}

function cborResponse(status: number, body: unknown, ctx: ResponseContext): HttpResponse {
  return {
    status,
    headers: { ...PROTOCOL_HEADER, "content-type": "application/cbor", "x-amzn-requestid": ctx.requestId },
    body: encodeCbor(body),
  };
}

// ---------------------------------------------------------------- reading and writing (the walk is shape-walk.ts's)

/** Members travel under their own names; errors say where the value sits ("Items[2].Name"). */
const { read: readCborValue, write: writeCborValue } = shapeValues({
  memberKey: (name) => name,
  isObject: isMap,
  childPath: (path, key) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key),
  mismatch: (_v, shape, path) => wrongType(path, shape),
  readScalar,
  writeScalar,
});

function readScalar(v: unknown, shape: Shape, path: string): unknown {
  switch (shape.type) {
    case "string":
      if (typeof v === "string") return v;
      break;
    case "boolean":
      if (typeof v === "boolean") return v;
      break;
    case "integer": case "long": case "short": case "byte": case "biginteger":
      if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
      break;
    case "float": case "double": case "bigdecimal":
      if (typeof v === "number") return v;
      break;
    case "timestamp":
      // Tag 1 arrives as a Date; a bare number is read as epoch seconds too.
      if (v instanceof Date) return v;
      if (typeof v === "number" && Number.isFinite(v)) return new Date(v * 1000);
      break;
    case "blob":
      if (v instanceof Uint8Array) return toBuffer(v);
      break;
    default:
      return v;
  }
  throw wrongType(path, shape);
}

function wrongType(path: string, shape: Shape): Error {
  return serializationError(`Value at '${path || "/"}' is not a valid ${shape.type}`);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}

function writeScalar(value: unknown, _ref: ShapeRef, shape: Shape): unknown {
  switch (shape.type) {
    case "timestamp":
      return epochTag(toDate(value));
    case "blob":
      return toBuffer(value);
    case "integer": case "long": case "short": case "byte": case "biginteger": {
      const n = typeof value === "number" ? value : Number(value);
      // cbor-x writes integers beyond 32 bits as float64; a BigInt keeps them CBOR integers.
      return Number.isSafeInteger(n) && Math.abs(n) > 0xffffffff ? BigInt(n) : n;
    }
    case "float": case "double": case "bigdecimal":
      return typeof value === "number" ? value : Number(value);
    case "boolean":
      return value === true || value === "true";
    default:
      return String(value);
  }
}
