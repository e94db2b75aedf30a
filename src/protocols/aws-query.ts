import type { ServiceModel, Shape, ShapeRef } from "../models/types.js";
import { errorWireNames } from "./aws-json.js";
import type { ProtocolCodec } from "./codec.js";
import { formOf } from "./http.js";
import { ServiceError } from "./service-error.js";
import { setOwn, shapeOf } from "./shape-walk.js";
import { parseNumberText, parseTimestamp } from "./values.js";
import { writeXmlMembers } from "./xml-shapes.js";
import { escapeXml } from "./xml-text.js";

// awsQuery: the input as form parameters (`Action=Op&Version=...&A.B=1&L.member.1=x`,
// in the body of a POST or the query string of a GET), the output as XML in
// `<OpResponse><OpResult>...</OpResult><ResponseMetadata>...` and errors as
// `<ErrorResponse>`. Element writing is xml-shapes.ts's, shared with rest-xml.

const CONTENT_TYPE = "text/xml";

export const awsQueryCodec: ProtocolCodec = {
  parseRequest(req, model, operation) {
    if (!operation.input) return {};
    const reader = new ParamReader(formOf(req), model);
    return reader.structure("", shapeOf(model, operation.input.shape));
  },

  serializeResponse(output, model, operation, ctx) {
    const name = operation.name;
    let result = "";
    if (operation.output) {
      // Models written for query name the wrapper (resultWrapper); JSON-first models
      // of awsQueryCompatible services (today's SQS) do not, and AWS uses <Op>Result.
      const wrapper = operation.output.resultWrapper ?? `${name}Result`;
      result = `<${wrapper}>${writeXmlMembers(output ?? {}, operation.output.shape, model, { shapeNamespaces: false })}</${wrapper}>`;
    }
    const body = `<${name}Response${xmlns(model)}>${result}${responseMetadata(ctx.requestId)}</${name}Response>`;
    return { status: 200, headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": ctx.requestId }, body };
  },

  serializeError(error, model, _operation, ctx) {
    const names = errorWireNames(error, model);
    const message = error.message ? `<Message>${escapeXml(error.message)}</Message>` : "";
    const body =
      `<ErrorResponse${xmlns(model)}><Error><Type>${error.senderFault ? "Sender" : "Receiver"}</Type>` +
      `<Code>${escapeXml(names.queryCode)}</Code>${message}${extraFields(error, names.shapeName, model)}</Error>` +
      `<RequestId>${escapeXml(ctx.requestId)}</RequestId></ErrorResponse>`;
    return {
      status: error.status,
      headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": ctx.requestId, ...error.headers },
      body,
    };
  },
};

/**
 * The error for a query request whose Action is missing or names no operation,
 * for the gateway to render with awsQueryCodec.serializeError. Codes and status
 * from AWS's "Common Errors" (MissingAction, InvalidAction: 400).
 */
export function queryActionError(action: string | undefined): ServiceError {
  if (!action) return new ServiceError("MissingAction", "The request must contain the parameter Action.", { status: 400 });
  return new ServiceError("InvalidAction", `The action ${action} is not valid for this web service.`, { status: 400 });
}

function xmlns(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace;
  return ns ? ` xmlns="${escapeXml(ns)}"` : "";
}

function responseMetadata(requestId: string): string {
  return `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`;
}

/** The error shape's members besides the message (e.g. a BatchEntry's details), in model order. */
function extraFields(error: ServiceError, shapeName: string | undefined, model: ServiceModel): string {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(error.fields)) if (k.toLowerCase() !== "message") fields[k] = v;
  if (shapeName) return writeXmlMembers(fields, shapeName, model);
  // No shape to describe them: scalars only, as plain elements.
  return Object.entries(fields)
    .filter(([k, v]) => /^[A-Za-z_][\w.-]*$/.test(k) && v !== null && ["string", "number", "boolean"].includes(typeof v))
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join("");
}

// ---------------------------------------------------------------- reading

/** Reads the model's input structure out of flat `A.B.member.1` names: the request's
 *  form parameters (query string and body) but Action and Version, which name the
 *  operation rather than input. */
class ParamReader {
  /** For each dotted prefix, the next segments that follow it. */
  private readonly children = new Map<string, Set<string>>();

  constructor(private readonly form: Map<string, string>, private readonly model: ServiceModel) {
    for (const key of form.keys()) {
      if (key === "Action" || key === "Version") continue;
      let prefix = "";
      for (const segment of key.split(".")) {
        let set = this.children.get(prefix);
        if (!set) this.children.set(prefix, (set = new Set()));
        set.add(segment);
        prefix = prefix ? `${prefix}.${segment}` : segment;
      }
    }
  }

  private param(key: string): string | undefined {
    return key === "Action" || key === "Version" ? undefined : this.form.get(key);
  }

  structure(prefix: string, shape: Shape): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const value = this.read(join(prefix, ref.queryName ?? ref.locationName ?? member), ref, prefix);
      if (value !== undefined) out[member] = value;
    }
    return out;
  }

  private read(key: string, ref: ShapeRef, parent: string): unknown {
    const shape = shapeOf(this.model, ref.shape);
    switch (shape.type) {
      case "structure":
        return this.children.has(key) ? this.structure(key, shape) : undefined;
      case "list":
        return this.list(key, ref, shape, parent);
      case "map":
        return this.map(key, ref, shape);
      default: {
        const raw = this.param(key);
        return raw === undefined ? undefined : scalar(raw, shape, key);
      }
    }
  }

  private list(key: string, ref: ShapeRef, shape: Shape, parent: string): unknown[] | undefined {
    const item = shape.member!;
    let base = key;
    if (ref.flattened ?? shape.flattened) {
      // Smithy clients repeat the member's own name (`Hi.1`); botocore uses the
      // items' locationName when there is one (`item.1`). Accept both.
      if (!this.indices(base).length && item.locationName) base = join(parent, item.locationName);
    } else {
      base = `${key}.${item.locationName ?? "member"}`;
    }
    const indices = this.indices(base);
    // An empty list travels as `Name=` (the EmptyQueryLists vector).
    if (!indices.length) return this.param(key) === "" ? [] : undefined;
    const out: unknown[] = [];
    for (const i of indices) {
      const v = this.read(`${base}.${i}`, item, base);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  private map(key: string, ref: ShapeRef, shape: Shape): Record<string, unknown> | undefined {
    const base = (ref.flattened ?? shape.flattened) ? key : `${key}.entry`;
    const keyName = shape.key!.locationName ?? "key";
    const valueName = shape.value!.locationName ?? "value";
    const indices = this.indices(base);
    if (!indices.length) return this.param(key) === "" ? {} : undefined;
    const out: Record<string, unknown> = {};
    for (const i of indices) {
      const k = this.param(`${base}.${i}.${keyName}`);
      if (k === undefined) continue;
      const v = this.read(`${base}.${i}.${valueName}`, shape.value!, `${base}.${i}`);
      if (v !== undefined) setOwn(out, k, v);
    }
    return out;
  }

  /** The 1-based positions present under a prefix, in numeric order. */
  private indices(prefix: string): number[] {
    const segments = this.children.get(prefix);
    if (!segments) return [];
    const out: number[] = [];
    for (const s of segments) if (/^[1-9]\d{0,8}$/.test(s)) out.push(Number(s));
    return out.sort((a, b) => a - b);
  }
}

function scalar(raw: string, shape: Shape, key: string): unknown {
  switch (shape.type) {
    case "boolean":
      if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
      throw invalidValue(raw, key, "must be a boolean (true or false)");
    case "integer": case "long": case "short": case "byte": case "biginteger":
      if (/^[-+]?\d+$/.test(raw.trim())) return Number(raw.trim());
      throw invalidValue(raw, key, "must be an integer");
    case "float": case "double": case "bigdecimal": {
      const n = parseNumberText(raw.trim());
      if (raw.trim() !== "" && (!Number.isNaN(n) || raw.trim() === "NaN")) return n;
      throw invalidValue(raw, key, "must be a number");
    }
    case "timestamp": {
      const d = parseTimestamp(raw);
      if (d) return d;
      throw invalidValue(raw, key, "must be an ISO 8601 timestamp");
    }
    case "blob": {
      // An unencoded '+' reads as a space in form encoding; in base64 it can only have been '+'.
      const b64 = raw.replace(/ /g, "+");
      if (/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(b64)) return Buffer.from(b64, "base64");
      throw invalidValue(raw, key, "must be base64-encoded");
    }
    default:
      return raw;
  }
}

/**
 * A value the model's type cannot hold. AWS's Common Errors list InvalidParameterValue
 * ("An invalid or out-of-range value was supplied for the input parameter", 400);
 * the message follows SQS's wording ("Value 1000 for parameter MaxNumberOfMessages
 * is invalid. Reason: ...").
 */
function invalidValue(raw: string, key: string, reason: string): ServiceError {
  const shown = raw.length > 64 ? `${raw.slice(0, 64)}...` : raw;
  return new ServiceError("InvalidParameterValue", `Value ${shown} for parameter ${key} is invalid. Reason: ${reason}.`, { status: 400 });
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}
