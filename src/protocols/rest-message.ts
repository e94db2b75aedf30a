import type { Readable } from "node:stream";
import type { Operation, ServiceModel } from "../models/types.js";
import type { HttpRequest, HttpResponse } from "./http.js";
import { bodyPlan, readRequestBindings, writeResponseBindings, type BodyPlan } from "./http-bindings.js";
import type { ServiceError } from "./service-error.js";
import { toBuffer } from "./values.js";

// What restJson1 and restXml do alike around their body format: the members
// bound to the uri, query and headers (http-bindings.ts), the status code, a
// raw payload (a blob or string member that is the whole body) and an error's
// shape. Each codec reads and writes the rest of the body in its own format.

/** A body the codec reads: a structure payload, or the members without an HTTP location. */
export type FormattedInputPlan = Extract<BodyPlan, { kind: "payload" | "members" }>;

/**
 * An operation's input: the bound members, a raw payload as sent, and the
 * members `readBody` reads from the body in the codec's format.
 */
export function parseRestRequest(
  req: HttpRequest,
  model: ServiceModel,
  operation: Operation,
  readBody: (plan: FormattedInputPlan) => Record<string, unknown>,
): Record<string, unknown> {
  const input = readRequestBindings(req, model, operation);
  const plan = bodyPlan(model, operation.input?.shape, "input");
  if (plan.kind === "raw") {
    const streaming = plan.ref.streaming || plan.shape.streaming;
    if (streaming && req.stream) {
      input[plan.member] = req.stream;
      return input;
    }
    // A streaming payload (an object's content) is always present, possibly empty; others only when sent.
    if (req.body.length > 0 || streaming) {
      input[plan.member] = plan.shape.type === "string" ? req.body.toString("utf8") : req.body;
    }
  } else if (plan.kind !== "none") {
    Object.assign(input, readBody(plan));
  }
  return input;
}

/** What a codec gets to write a response body in its format. */
export interface BodyToWrite {
  /** How the output uses the body; for "payload" the payload member is set. */
  plan: Exclude<BodyPlan, { kind: "raw" }>;
  /** The handler's output, {} when it returned none. */
  output: Record<string, unknown>;
  shapeName: string | undefined;
  status: number;
  /** The response's headers so far; the codec adds its Content-Type. */
  headers: Record<string, string>;
}

/**
 * A response: `baseHeaders`, then the output's bound headers and status code
 * (else the operation's), then the body. An absent payload member leaves it
 * empty; a raw one is the body as it is (a stream passes through); any other
 * body is `writeBody`'s.
 */
export function serializeRestResponse(
  output: Record<string, unknown> | undefined,
  model: ServiceModel,
  operation: Operation,
  baseHeaders: Record<string, string>,
  writeBody: (b: BodyToWrite) => HttpResponse["body"],
): HttpResponse {
  const shapeName = operation.output?.shape;
  const bindings = writeResponseBindings(output, model, shapeName);
  // Object.assign, not a spread: spreading two objects with dashed keys costs ~2 us
  // on Node 20 (a slow runtime path), and leaves a dictionary-mode object behind.
  const headers: Record<string, string> = Object.assign({}, baseHeaders, bindings.headers);
  const status = bindings.status ?? operation.http.responseCode ?? 200;
  const plan = bodyPlan(model, shapeName, "output");
  const value = output ?? {};
  if (plan.kind === "raw" || plan.kind === "payload") {
    const payload = value[plan.member];
    if (payload === undefined || payload === null) return { status, headers, body: "" };
    if (plan.kind === "raw") {
      const body = isReadable(payload) ? payload : plan.shape.type === "string" ? String(payload) : toBuffer(payload);
      if (!hasHeader(headers, "content-type")) {
        headers["Content-Type"] = plan.shape.type === "string" ? "text/plain" : "application/octet-stream";
      }
      return { status, headers, body };
    }
  }
  const body = writeBody({ plan, output: value, shapeName, status, headers });
  return { status, headers, body };
}

/** The model's shape for an error: the one it names, else an exception shape named like its code. */
export function errorShapeName(error: ServiceError, model: ServiceModel): string | undefined {
  if (error.shapeName && model.shapes[error.shapeName]) return error.shapeName;
  return model.shapes[error.code]?.exception ? error.code : undefined;
}

/** Whether a header is set, in any case (bindings keep the model's spelling). */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
  if (Object.hasOwn(headers, name)) return true;
  for (const h in headers) if (h.length === name.length && h.toLowerCase() === name) return true;
  return false;
}

function isReadable(v: unknown): v is Readable {
  return typeof v === "object" && v !== null && typeof (v as { pipe?: unknown }).pipe === "function";
}
