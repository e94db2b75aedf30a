// AWS's Lambda Runtime API (version 2018-06-01), served on loopback.
//
// A runtime finds the API through AWS_LAMBDA_RUNTIME_API ("host:port") and then uses
// fixed paths (/2018-06-01/runtime/invocation/next, ...), so a path prefix cannot tell
// two workers apart. Each worker therefore gets its own listening port: one
// RuntimeEndpoint = one loopback http.Server = one worker process. A server costs a
// file descriptor and a few KB, and the worker is identified without any header.
//
// Status codes and error bodies follow AWS's runtime interface emulator (RAPID):
// 202 {"status":"OK"} for accepted posts, 400 InvalidRequestID, 403
// InvalidStateTransition, 413 RequestEntityTooLarge.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** AWS's limit on a synchronous response (6 MB) plus the 100 bytes RAPID allows for framing. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

export interface Invocation {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

/** What the runtime reported for one invocation. */
export type InvocationOutcome =
  | { kind: "response"; body: Buffer }
  | { kind: "error"; errorType: string | undefined; body: Buffer }
  | { kind: "tooLarge" };

export interface EndpointEvents {
  /** The runtime asked for its first event: init is over. */
  onReady(): void;
  /** The runtime reported an init error (POST /runtime/init/error). */
  onInitError(errorType: string | undefined, body: Buffer): void;
}

// State names as RAPID spells them in InvalidStateTransition messages.
type State = "Started" | "Ready" | "Running" | "InvocationResponse" | "InvocationErrorResponse" | "InitError";

const PREFIX = "/2018-06-01/runtime/";

export class RuntimeEndpoint {
  private state: State = "Started";
  private parkedNext: ServerResponse | undefined;
  private queued: Invocation | undefined;
  private current: { invocation: Invocation; settle: (o: InvocationOutcome) => void } | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly events: EndpointEvents,
  ) {}

  /** Opens a new endpoint on a free loopback port. */
  static async open(events: EndpointEvents): Promise<RuntimeEndpoint> {
    const server = createServer();
    const endpoint = new RuntimeEndpoint(server, events);
    server.on("request", (req, res) => endpoint.route(req, res));
    server.on("connection", (socket) => {
      endpoint.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("close", () => endpoint.sockets.delete(socket));
    });
    // /next long-polls for as long as the worker stays idle: no request timeout.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 0;
    server.timeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    server.unref();
    return endpoint;
  }

  /** The value for AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** Hands an event to the runtime; resolves when it posts a response or an error. */
  dispatch(invocation: Invocation): Promise<InvocationOutcome> {
    if (this.current) throw new Error("runtime endpoint is busy");
    return new Promise((settle) => {
      this.current = { invocation, settle };
      if (this.parkedNext) {
        const res = this.parkedNext;
        this.parkedNext = undefined;
        this.sendEvent(res, invocation);
      } else {
        this.queued = invocation;
      }
    });
  }

  /** Forgets the current invocation (timed out or the process died). */
  abandon(): void {
    this.current = undefined;
    this.queued = undefined;
  }

  close(): void {
    this.abandon();
    this.parkedNext = undefined;
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "";
    const path = url.split("?")[0];
    if (!path.startsWith(PREFIX)) return notFound(res);
    const rest = path.slice(PREFIX.length);
    if (rest === "invocation/next") {
      if (req.method !== "GET") return methodNotAllowed(res);
      return this.next(req, res);
    }
    if (rest === "init/error") {
      if (req.method !== "POST") return methodNotAllowed(res);
      return this.initError(req, res);
    }
    const match = /^invocation\/([^/]+)\/(response|error)$/.exec(rest);
    if (match) {
      if (req.method !== "POST") return methodNotAllowed(res);
      return this.post(req, res, decodeURIComponent(match[1]), match[2] as "response" | "error");
    }
    notFound(res);
  }

  private next(req: IncomingMessage, res: ServerResponse): void {
    // Only Started (first call) and the two post-response states may move to Ready.
    if (this.state === "Running" || this.state === "InitError" || this.parkedNext) {
      return drainThen(req, () => stateTransitionError(res, this.state, "Ready"));
    }
    drainThen(req, () => {
      const first = this.state === "Started";
      this.state = "Ready";
      if (this.queued) {
        const invocation = this.queued;
        this.queued = undefined;
        this.sendEvent(res, invocation);
      } else {
        this.parkedNext = res;
        res.on("close", () => {
          if (this.parkedNext === res) this.parkedNext = undefined;
        });
      }
      if (first) this.events.onReady();
    });
  }

  private sendEvent(res: ServerResponse, invocation: Invocation): void {
    this.state = "Running";
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Content-Length": invocation.payload.length,
      "Lambda-Runtime-Aws-Request-Id": invocation.requestId,
      "Lambda-Runtime-Deadline-Ms": String(invocation.deadlineMs),
      "Lambda-Runtime-Invoked-Function-Arn": invocation.invokedFunctionArn,
    };
    if (invocation.traceId) headers["Lambda-Runtime-Trace-Id"] = invocation.traceId;
    if (invocation.clientContext) headers["Lambda-Runtime-Client-Context"] = invocation.clientContext;
    if (invocation.cognitoIdentity) headers["Lambda-Runtime-Cognito-Identity"] = invocation.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(invocation.payload);
  }

  private post(req: IncomingMessage, res: ServerResponse, requestId: string, kind: "response" | "error"): void {
    const target = kind === "response" ? "InvocationResponse" : "InvocationErrorResponse";
    // RAPID checks the state first (403), then the request id (400).
    if (this.state !== "Running" || !this.current) return drainThen(req, () => stateTransitionError(res, this.state, target));
    if (this.current.invocation.requestId !== requestId) {
      return drainThen(req, () => sendJson(res, 400, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" }));
    }
    const current = this.current;
    readLimited(req, MAX_RESPONSE_BYTES, (body) => {
      if (this.current !== current) return stateTransitionError(res, this.state, target);
      this.current = undefined;
      this.state = target;
      if (body === undefined) {
        current.settle({ kind: "tooLarge" });
        return sendJson(res, 413, {
          errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          errorType: "RequestEntityTooLarge",
        });
      }
      sendJson(res, 202, { status: "OK" });
      if (kind === "response") current.settle({ kind: "response", body });
      else current.settle({ kind: "error", errorType: headerValue(req, "lambda-runtime-function-error-type"), body });
    });
  }

  private initError(req: IncomingMessage, res: ServerResponse): void {
    if (this.state !== "Started") return drainThen(req, () => stateTransitionError(res, this.state, "InitError"));
    readLimited(req, MAX_RESPONSE_BYTES, (body) => {
      this.state = "InitError";
      sendJson(res, 202, { status: "OK" });
      this.events.onInitError(headerValue(req, "lambda-runtime-function-error-type"), body ?? Buffer.alloc(0));
    });
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value || undefined;
}

/** Reads the body; hands `undefined` when it exceeds `limit` (the rest is drained). */
function readLimited(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  });
  req.on("end", () => done(tooLarge ? undefined : Buffer.concat(chunks, size)));
  req.on("error", () => {});
}

function drainThen(req: IncomingMessage, then: () => void): void {
  req.resume();
  if (req.complete) then();
  else req.on("end", then);
}

function stateTransitionError(res: ServerResponse, from: State, to: string): void {
  sendJson(res, 403, {
    errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
    errorType: "InvalidStateTransition",
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
  res.end("404 page not found\n");
}

function methodNotAllowed(res: ServerResponse): void {
  res.writeHead(405);
  res.end();
}
