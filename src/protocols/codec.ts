import type { Operation, ServiceModel } from "../models/types.js";
import type { HttpRequest, HttpResponse } from "./http.js";
import type { ServiceError } from "./service-error.js";

// One codec per AWS protocol, driven only by the service model: it knows no
// service by name. The gateway has already found the operation.

export interface ResponseContext {
  requestId: string;
}

export interface ProtocolCodec {
  /** Parses the request into the operation's input object (plain JS values: strings,
   *  numbers, booleans, Date for timestamps, Uint8Array for blobs, arrays, objects). */
  parseRequest(req: HttpRequest, model: ServiceModel, operation: Operation): Record<string, unknown>;
  /** Serializes the operation's output object. */
  serializeResponse(
    output: Record<string, unknown> | undefined,
    model: ServiceModel,
    operation: Operation,
    ctx: ResponseContext,
  ): HttpResponse;
  /** Serializes an error. `operation` is undefined when the operation could not be identified. */
  serializeError(
    error: ServiceError,
    model: ServiceModel,
    operation: Operation | undefined,
    ctx: ResponseContext,
  ): HttpResponse;
}
