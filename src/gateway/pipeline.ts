import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { loadModel } from "../models/load.js";
import type { ProtocolName, ServiceModel } from "../models/types.js";
import { codecFor } from "../protocols/index.js";
import { httpRequestOf, type HttpRequest, type HttpResponse } from "../protocols/http.js";
import { isServiceError, ServiceError } from "../protocols/service-error.js";
import type { Clock } from "../platform/clock.js";
import type { Logger } from "../platform/logger.js";
import { requestId as newRequestId } from "../platform/ids.js";
import type { AccessKeyRegistry } from "../storage/access-keys.js";
import type { ServiceHost } from "../services/host.js";
import { corsHeaders, isPreflight, preflightHeaders } from "./cors.js";
import { readCredentialScope, type CredentialScope } from "./credentials.js";
import { answersOwnPreflight, applyDataPlaneRoutes } from "./data-plane-routes.js";
import { ServiceIdentifier, type Identified } from "./identify-service.js";
import { handleInternal, isInternalPath, type InternalApiDeps } from "./internal-api.js";
import { expiredPresignedUrl } from "./presigned.js";

// The edge, as one ordered pipeline, top to bottom:
//   request id -> CORS preflight -> credential scope (account, region)
//   -> data-plane routes -> internal endpoints -> service/protocol/operation
//   -> body (buffered; streamed for services that take streaming payloads)
//   -> codec parse -> handler (validation inside) -> codec serialize -> CORS headers.
// Every failure becomes the protocol's own error response; nothing reaches the
// client as a stack trace, and one bad request never affects another.
export interface PipelineDeps {
  host: ServiceHost;
  clock: Clock;
  accessKeys: AccessKeyRegistry;
  logger: Logger;
  defaultRegion: string;
  internal: InternalApiDeps;
  identifier: ServiceIdentifier;
}

/** Buffered bodies are capped; streamed payloads (S3 objects) are not. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

type Answer = HttpResponse | Promise<HttpResponse>;

/** The connection side of one request: how its body is read and its answer written. */
interface Exchange {
  readBody(done: (error: Error | undefined, body?: Buffer) => void): void;
  /** The body still unread, for services that take streamed input (node:http only). */
  stream?: IncomingMessage;
  write(response: HttpResponse): void;
}

export function createPipeline(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (incoming, res) =>
    route(deps, () => toHttpRequest(incoming), {
      readBody: (done) => readBody(incoming, done),
      stream: incoming,
      write: (response) => {
        try {
          writeResponse(res, response, deps.logger);
        } catch (error) {
          deps.logger.error("could not write a response", error);
          res.destroy();
        }
      },
    });
}

/** The same pipeline for a request whose body the connection has read already
 *  (fast-http.ts); `respond` gets the answer to write. */
export function createBufferedPipeline(deps: PipelineDeps): (req: HttpRequest, respond: (response: HttpResponse) => void) => void {
  return (req, respond) => route(deps, () => req, { readBody: (done) => done(undefined, req.body), write: respond });
}

/** Builds the request and routes it; nothing may escape to the connection's event
 *  handlers (node:http's request listener, the fast path's data event): it would end the process. */
function route(deps: PipelineDeps, request: () => HttpRequest, exchange: Exchange): void {
  try {
    routeRequest(deps, request(), exchange);
  } catch (error) {
    deps.logger.error("unexpected failure before routing", error);
    exchange.write(internalFailure());
  }
}

function routeRequest(deps: PipelineDeps, req: HttpRequest, exchange: Exchange): void {
  const fail = (error: unknown) => {
    if (error instanceof BodyTooLarge) return plainError(413, "RequestEntityTooLarge", error.message);
    deps.logger.error("unexpected failure before routing", error);
    return internalFailure();
  };
  const write = exchange.write;
  // Most operations answer synchronously; only those that wait (long polls,
  // Lambda invokes, streamed uploads) go through a promise, which costs a
  // measurable share of a simple request's CPU time.
  const answer = (run: () => Answer) => {
    let response: Answer;
    try {
      response = run();
    } catch (thrown) {
      return write(fail(thrown));
    }
    if (response instanceof Promise) response.then(write, (error: unknown) => write(fail(error)));
    else write(response);
  };
  const withBody = (req: HttpRequest, run: () => Answer) =>
    exchange.readBody((error, body) => {
      if (error) return write(fail(error));
      req.body = body!;
      answer(run);
    });

  const requestId = newRequestId();
  const scope = readCredentialScope(req);
  // Data-plane routes may lead to a service's internal route (function URLs).
  const account = deps.accessKeys.accountOf(scope.accessKeyId);
  applyDataPlaneRoutes(req, scope, account);
  if (isInternalPath(req.path)) {
    if (isPreflight(req) && !answersOwnPreflight(req.path)) return answer(() => ({ status: 200, headers: preflightHeaders(req), body: "" }));
    return withBody(req, () => handleInternal(req, deps.internal));
  }
  if (req.method === "OPTIONS") return answer(() => preflight(deps, req, requestId, scope, account));
  // A query request may name its Action only in the body: read it first.
  const identified = needsBodyToIdentify(req) ? undefined : deps.identifier.identify(req, scope);
  // A body read whole already (the fast path's) has nothing left to stream.
  const stream = exchange.stream;
  if (identified?.kind === "operation" && stream && hasStreamingPayload(identified)) {
    deps.host.load(identified.service).then(
      (loaded) => {
        if (loaded?.definition.streamingInput) {
          req.stream = stream;
          answer(() => handle(deps, req, requestId, scope, account, identified));
        } else {
          withBody(req, () => handle(deps, req, requestId, scope, account, identified));
        }
      },
      (error: unknown) => write(fail(error)),
    );
    return;
  }
  withBody(req, () => handle(deps, req, requestId, scope, account, identified ?? deps.identifier.identify(req, scope)));
}

/** A browser's preflight: from the service's own CORS rules where it has them (S3
 *  bucket CORS), else the gateway's permissive answer. */
function preflight(deps: PipelineDeps, req: HttpRequest, requestId: string, scope: CredentialScope, account: string): Answer {
  const identified = deps.identifier.identify(req, scope);
  const generic = (): HttpResponse =>
    isPreflight(req) ? { status: 200, headers: preflightHeaders(req), body: "" } : { status: 200, headers: { allow: "HEAD, GET, PUT, POST, DELETE, OPTIONS, PATCH" }, body: "" };
  if (identified.kind === "unknown-service") return generic();
  const { service, protocol } = identified;
  const region = scope.region && scope.region !== "aws-global" ? scope.region : deps.defaultRegion;
  return deps.host.corsPreflight(service, req, account, region).then(
    (headers) => (headers ? { status: 200, headers, body: "" } : generic()),
    (error: unknown) => {
      if (!isServiceError(error)) throw error;
      return codecFor(protocol).serializeError(error, loadModel(service), undefined, { requestId });
    },
  );
}

function needsBodyToIdentify(req: HttpRequest): boolean {
  return (
    req.method === "POST" &&
    req.query["Action"] === undefined &&
    (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
  );
}

const streamingOperations = new WeakMap<object, boolean>();

/** Whether the operation's input is a streaming blob payload (an object's bytes). */
function hasStreamingPayload(identified: { service: string; operation: string }): boolean {
  const model = loadModel(identified.service);
  const operation = model.operations[identified.operation];
  let streaming = streamingOperations.get(operation);
  if (streaming === undefined) {
    const input = operation.input ? model.shapes[operation.input.shape] : undefined;
    const ref = input?.payload ? input.members?.[input.payload] : undefined;
    streaming = ref !== undefined && (ref.streaming === true || model.shapes[ref.shape]?.streaming === true);
    streamingOperations.set(operation, streaming);
  }
  return streaming;
}

function handle(deps: PipelineDeps, req: HttpRequest, requestId: string, scope: CredentialScope, account: string, identified: Identified): Answer {
  const region = scope.region && scope.region !== "aws-global" ? scope.region : deps.defaultRegion;
  const response =
    expiredCredentials(deps, scope.accessKeyId, identified, requestId) ??
    expiredPresigned(req, identified, requestId) ??
    dispatch(deps, req, requestId, identified, {
      account,
      region,
      principal: deps.accessKeys.principalOf(scope.accessKeyId),
      accessKeyId: scope.accessKeyId,
    });
  if (req.headers["origin"] === undefined) return response;
  const withCors = (r: HttpResponse) => {
    // A service with its own CORS rules (S3) decides, also to send none.
    const own = identified.kind === "unknown-service" ? null : deps.host.corsResponseHeaders(identified.service, req, account, region);
    const cors = own === null ? corsHeaders(req) : own;
    if (cors) Object.assign(r.headers, cors);
    return r;
  };
  return response instanceof Promise ? response.then(withCors) : withCors(response);
}

function dispatch(
  deps: PipelineDeps,
  req: HttpRequest,
  requestId: string,
  identified: Identified,
  who: { account: string; region: string; principal: ReturnType<AccessKeyRegistry["principalOf"]>; accessKeyId?: string },
): HttpResponse | Promise<HttpResponse> {
  if (identified.kind === "unknown-service") {
    const error = new ServiceError(
      "UnknownService",
      `Terrarium does not serve the service '${identified.name}'. It serves: ${served(deps)}.`,
      { status: 501, senderFault: true },
    );
    return codecFor(identified.protocol ?? "rest-json").serializeError(error, bareModel(identified.protocol), undefined, { requestId });
  }

  const model = loadModel(identified.service);
  const codec = codecFor(identified.protocol);
  if (identified.kind === "unknown-operation") {
    return codec.serializeError(unknownOperation(identified.protocol, identified.operation), model, undefined, { requestId });
  }

  const operation = model.operations[identified.operation];
  const failed = (error: unknown): HttpResponse => {
    if (!isServiceError(error)) deps.logger.error(`${identified.service}.${identified.operation} failed`, error);
    const serviceError = isServiceError(error)
      ? error
      : new ServiceError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", { status: 500, senderFault: false });
    return codec.serializeError(serviceError, model, operation, { requestId });
  };
  const succeeded = (output: Record<string, unknown> | undefined): HttpResponse =>
    codec.serializeResponse(output ?? {}, model, operation, { requestId });
  try {
    if (operation.requestcompression && /\bgzip\b/.test(req.headers["content-encoding"] ?? "")) req.body = gunzip(req.body);
    const input = codec.parseRequest(req, model, operation);
    const output = deps.host.call(identified.service, identified.operation, input, {
      account: who.account,
      region: who.region,
      principal: who.principal,
      accessKeyId: who.accessKeyId,
      requestId,
      http: { host: req.headers["host"], path: req.path, headers: req.headers },
    });
    if (output instanceof Promise) return output.then(succeeded, failed);
    return succeeded(output);
  } catch (error) {
    return failed(error);
  }
}

/** Temporary credentials past their Expiration (by Terrarium's clock, which issued
 *  them) are refused as AWS refuses them. */
function expiredCredentials(deps: PipelineDeps, accessKeyId: string | undefined, identified: Identified, requestId: string): HttpResponse | undefined {
  const expiration = accessKeyId ? deps.accessKeys.lookup(accessKeyId)?.expiration : undefined;
  if (expiration === undefined || expiration > deps.clock.now()) return undefined;
  const error = new ServiceError("ExpiredToken", "The security token included in the request is expired", { status: 403 });
  const protocol = identified.kind === "unknown-service" ? identified.protocol ?? "rest-json" : identified.protocol;
  const model = identified.kind === "unknown-service" ? bareModel(protocol) : loadModel(identified.service);
  return codecFor(protocol).serializeError(error, model, undefined, { requestId });
}

/** A presigned URL past X-Amz-Date + X-Amz-Expires (wall-clock) is refused. */
function expiredPresigned(req: HttpRequest, identified: Identified, requestId: string): HttpResponse | undefined {
  const error = expiredPresignedUrl(req);
  if (!error) return undefined;
  const protocol = identified.kind === "unknown-service" ? identified.protocol ?? "rest-json" : identified.protocol;
  const model = identified.kind === "unknown-service" ? bareModel(protocol) : loadModel(identified.service);
  return codecFor(protocol).serializeError(error, model, undefined, { requestId });
}

function unknownOperation(protocol: ProtocolName, operation: string | undefined): ServiceError {
  if (protocol === "query") {
    return operation
      ? new ServiceError("InvalidAction", `The action ${operation} is not valid for this web service.`)
      : new ServiceError("MissingAction", "Missing Action parameter.");
  }
  if (protocol === "rest-xml" || protocol === "rest-json") {
    return new ServiceError("UnknownOperationException", "The requested resource or method is not supported by this service.", { status: 404 });
  }
  return new ServiceError("UnknownOperationException", operation ? `Unknown operation ${operation}` : "Unknown operation");
}

function served(deps: PipelineDeps): string {
  return deps.internal.services.filter((s) => deps.host.implemented(s.name)).map((s) => s.name).join(", ");
}

function bareModel(protocol: ProtocolName | undefined): ServiceModel {
  return { metadata: { protocol: protocol ?? "rest-json", apiVersion: "", jsonVersion: "1.1" }, operations: {}, shapes: {} };
}

class BodyTooLarge extends Error {}

/** Only operations with the requestcompression trait are decompressed: for S3, a
 *  gzip Content-Encoding describes the object and the bytes are stored as sent. */
function gunzip(body: Buffer): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES });
  } catch {
    throw new ServiceError("InvalidRequest", "The request body is not valid gzip data.");
  }
}

function readBody(req: IncomingMessage, done: (error: Error | undefined, body?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: Error | undefined, body?: Buffer) => {
    if (finished) return;
    finished = true;
    done(error, body);
  };
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.removeAllListeners("data");
      req.resume();
      finish(new BodyTooLarge(`Request body exceeds ${MAX_BODY_BYTES} bytes.`));
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => finish(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  req.on("error", (error) => finish(error));
}

function toHttpRequest(req: IncomingMessage): HttpRequest {
  // node:http lower-cases names and joins repeated headers with ", " (set-cookie,
  // an array, never comes in a request to AWS).
  return httpRequestOf(req.method ?? "GET", req.url ?? "/", req.headers as Record<string, string>, EMPTY);
}

function internalFailure(): HttpResponse {
  return plainError(500, "InternalFailure", "We encountered an internal error. Please try again.");
}

function plainError(status: number, code: string, message: string): HttpResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({ __type: code, message }) };
}

function writeResponse(res: ServerResponse, response: HttpResponse, logger: Logger): void {
  const { body } = response;
  if (body instanceof Readable) {
    res.writeHead(response.status, response.headers);
    body.on("error", (error) => {
      logger.error("response stream failed", error);
      res.destroy();
    });
    body.pipe(res);
    return;
  }
  // A string body goes out as a string: node:http then sends headers and body in
  // one write instead of a writev of two buffers.
  if (response.headers["content-length"] === undefined && response.status !== 304) {
    response.headers["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.length);
  }
  res.writeHead(response.status, response.headers);
  res.end(body);
}
