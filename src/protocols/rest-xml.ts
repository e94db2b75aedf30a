import type { Operation, ServiceModel, ShapeRef } from "../models/types.js";
import type { ProtocolCodec, ResponseContext } from "./codec.js";
import type { HttpRequest, HttpResponse } from "./http.js";
import { BindingError, writeResponseBindings } from "./http-bindings.js";
import { errorShapeName, hasHeader, parseRestRequest, serializeRestResponse } from "./rest-message.js";
import { ServiceError } from "./service-error.js";
import { readXmlMembers, readXmlShape, writeXmlShape } from "./xml-shapes.js";
import { escapeXml, parseXml } from "./xml-text.js";

// restXml (S3, CloudFront, Route 53): HTTP bindings plus an XML body.
//
// Error bodies come in two forms. Smithy's default, which CloudFront and
// Route 53 send and AWS's protocol vectors expect:
//   <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>
// and S3's bare form (Smithy's `@restXml(noErrorWrapping: true)`):
//   <Error><Code/><Message/><RequestId/></Error>
// botocore's models do not carry that trait, so a model opts into the bare
// form with `"noErrorWrapping": true` in its metadata (a model patch).

interface RestXmlMetadata {
  noErrorWrapping?: boolean;
  xmlNamespace?: string | { uri: string };
}

export const MALFORMED_XML_MESSAGE =
  "The XML you provided was not well-formed or did not validate against our published schema";

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export const restXmlCodec: ProtocolCodec = {
  parseRequest(req, model, operation) {
    try {
      return parseRestXmlRequest(req, model, operation);
    } catch (e) {
      if (e instanceof BindingError) throw new ServiceError("InvalidArgument", e.message, { status: 400 });
      throw e;
    }
  },
  serializeResponse(output, model, operation, ctx) {
    return serializeRestResponse(output, model, operation, requestIdHeaders(ctx), (b) => {
      let xml: string;
      if (b.plan.kind === "payload") {
        const name = payloadElementName(b.plan.member, b.plan.ref, model);
        xml = writeXmlShape(b.output[b.plan.member], b.plan.ref, model, name, { xmlns: serviceNamespace(model) });
      } else if (b.plan.kind === "members") {
        const ref: ShapeRef = operation.output!;
        const name = ref.locationName ?? model.shapes[ref.shape].locationName ?? ref.shape;
        xml = writeXmlShape(b.output, ref, model, name, { xmlns: serviceNamespace(model), bodyOnly: true });
      } else {
        // Smithy's RestXmlHttpResponseCode: a modeled output says application/xml even with no body.
        if (b.shapeName && b.status !== 204 && b.status !== 304 && !hasHeader(b.headers, "content-type")) {
          b.headers["Content-Type"] = "application/xml";
        }
        return "";
      }
      b.headers["Content-Type"] = "application/xml";
      return XML_DECLARATION + xml;
    });
  },
  serializeError(error, model, _operation, ctx) {
    return serializeRestXmlError(error, model, ctx);
  },
};

function parseRestXmlRequest(req: HttpRequest, model: ServiceModel, operation: Operation): Record<string, unknown> {
  return parseRestRequest(req, model, operation, (plan) => {
    if (!hasContent(req.body)) return {};
    if (plan.kind === "payload") {
      return { [plan.member]: readXmlBody(() => readXmlShape(parseXml(req.body.toString("utf8")), plan.ref, model)) };
    }
    return readXmlBody(() => readXmlMembers(parseXml(req.body.toString("utf8")), operation.input!.shape, model, "input"));
  });
}

/** Any failure to read the body as the model's XML (syntax, nesting, a value its shape cannot hold) is MalformedXML. */
function readXmlBody<T>(read: () => T): T {
  try {
    return read();
  } catch {
    throw malformedXml();
  }
}

/** An XML body of only whitespace counts as absent, as an empty one does. */
function hasContent(body: Buffer): boolean {
  return body.length > 0 && body.toString("utf8").trim() !== "";
}

export function malformedXml(): ServiceError {
  return new ServiceError("MalformedXML", MALFORMED_XML_MESSAGE, { status: 400, senderFault: true });
}

export function serializeRestXmlError(error: ServiceError, model: ServiceModel, ctx: ResponseContext): HttpResponse {
  const shapeName = errorShapeName(error, model);
  const bindings = writeResponseBindings(error.fields, model, shapeName);
  // 304 Not Modified (S3's conditional reads) carries headers only: no document, no Content-Type.
  if (error.status === 304) return { status: 304, headers: Object.assign(requestIdHeaders(ctx), bindings.headers, error.headers), body: "" };
  const headers: Record<string, string> = Object.assign(requestIdHeaders(ctx), { "Content-Type": "application/xml" }, bindings.headers, error.headers);
  const fields = errorFieldsXml(error, model, shapeName);
  const core = `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${fields}`;
  const requestId = `<RequestId>${escapeXml(ctx.requestId)}</RequestId>`;
  const body = (model.metadata as RestXmlMetadata).noErrorWrapping
    ? `${XML_DECLARATION}<Error>${core}${requestId}</Error>`
    : `${XML_DECLARATION}<ErrorResponse><Error><Type>${error.senderFault ? "Sender" : "Receiver"}</Type>${core}</Error>${requestId}</ErrorResponse>`;
  return { status: error.status, headers, body };
}

/** The error shape's modeled members, then any unmodeled scalar fields (S3's <BucketName>, <Key>). */
function errorFieldsXml(error: ServiceError, model: ServiceModel, shapeName: string | undefined): string {
  const members = shapeName ? model.shapes[shapeName].members ?? {} : {};
  let out = "";
  for (const [name, v] of Object.entries(error.fields)) {
    if (v === undefined || v === null || name.toLowerCase() === "message") continue;
    const ref = members[name];
    if (ref) {
      if (!ref.location) out += writeXmlShape(v, ref, model, ref.locationName ?? name);
    } else if (typeof v !== "object") out += `<${name}>${escapeXml(String(v))}</${name}>`;
  }
  return out;
}

/** Where S3 puts its two request ids; AWS SDKs read either. */
function requestIdHeaders(ctx: ResponseContext): Record<string, string> {
  return { "x-amz-request-id": ctx.requestId, "x-amz-id-2": Buffer.from(ctx.requestId).toString("base64") };
}

function serviceNamespace(model: ServiceModel): string | undefined {
  const ns = (model.metadata as RestXmlMetadata).xmlNamespace;
  return typeof ns === "string" ? ns : ns?.uri;
}

/**
 * Smithy names a payload's root element by the member's xmlName, else the
 * target shape's xmlName, else the shape's name. botocore copies the member
 * name into locationName, which carries no xmlName, so that case is skipped.
 */
function payloadElementName(member: string, ref: ShapeRef, model: ServiceModel): string {
  if (ref.locationName && ref.locationName !== member) return ref.locationName;
  return model.shapes[ref.shape].locationName ?? ref.shape;
}
