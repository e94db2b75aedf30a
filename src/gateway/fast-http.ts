import type { Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { Readable } from "node:stream";
import { httpRequestOf, type HttpRequest, type HttpResponse } from "../protocols/http.js";
import { encodeResponse, hasNoBody, KEEP_ALIVE_MS, parseSimpleHead, type ParsedHead } from "./http-head.js";

// The edge's fast path for the simple requests that make most of the traffic: a
// GET, HEAD, PUT, POST or DELETE with a Content-Length body up to 1 MiB (the RPC
// protocols' calls, small S3 objects). node:http spends about as much CPU on such a
// request as Terrarium does (its parser callbacks, IncomingMessage and
// ServerResponse streams, per-request timers): measured with the SDK at ~0.09 ms
// per request against ~0.05 here. Every connection starts here; the first request
// that is not simple (a larger or chunked body, Expect: 100-continue, HTTP/1.0, an
// upgrade, Connection: close) hands the connection, with the bytes read so far, to
// node:http for the rest of its life. Streamed answers (an object's bytes) are
// written as they come, with the socket's backpressure.

const HEAD_END = Buffer.from("\r\n\r\n");
/** Heads larger than this go to node:http (which applies its own limit). */
const MAX_HEAD_BYTES = 16 * 1024;
/** Bytes read ahead while a request is served (pipelining); past this, reading pauses. */
const MAX_PENDING_BYTES = 2 * 1024 * 1024;

export type BufferedHandler = (req: HttpRequest, respond: (response: HttpResponse) => void) => void;

/** How often idle connections are looked for: one timer for the server, rather than
 *  a socket timeout re-armed around every request (a Timeout object each time). */
const SWEEP_MS = 5_000;

/** A TCP server whose connections are served by `handle` while simple, then by `http`. */
export function createFastServer(
  http: HttpServer,
  handle: BufferedHandler,
  onError: (message: string, error: unknown) => void,
  idle = { closeAfterMs: KEEP_ALIVE_MS, sweepMs: SWEEP_MS },
): Server & { closeAllConnections(): void } {
  const sockets = new Set<Socket>();
  const connections = new Set<FastConnection>();
  // Half-open like node:http: a client may end its side after its last request and still read the answer.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    const connection = new FastConnection(socket, http, handle, onError, connections);
    connections.add(connection);
    socket.once("close", () => {
      sockets.delete(socket);
      connections.delete(connection);
    });
    connection.start();
  });
  const sweep = setInterval(() => {
    const idleSince = Date.now() - idle.closeAfterMs;
    for (const connection of connections) connection.closeIfIdleSince(idleSince);
  }, idle.sweepMs).unref();
  server.once("close", () => clearInterval(sweep));
  return Object.assign(server, {
    // Handed-over connections too: node:http tracks connections only when it listens itself.
    closeAllConnections() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  });
}

class FastConnection {
  /** Bytes read and not yet served, in arrival order. */
  private chunks: Buffer[] = [];
  private length = 0;
  /** The parsed head of the request whose body is still arriving: until all of it
   *  is here, a packet is only kept (a body in many packets is joined once). */
  private waiting: { head: ParsedHead; bodyAt: number } | undefined;
  private busy = false;
  /** The client has ended its side: end ours once what it sent is answered. */
  private ended = false;
  private readonly onEnd = () => {
    this.ended = true;
    if (!this.busy) this.socket.end();
  };
  /** When the connection last did something (Date.now()), for the idle sweep. */
  private active = Date.now();
  private readonly onData = (chunk: Buffer) => {
    this.active = Date.now();
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (!this.busy) {
      const waiting = this.waiting;
      if (waiting === undefined || this.length >= waiting.bodyAt + waiting.head.length) this.next();
    } else if (this.length > MAX_PENDING_BYTES) {
      // Pipelined requests beyond this wait in the kernel until the one in hand is answered.
      this.socket.pause();
    }
  };

  constructor(
    private readonly socket: Socket,
    private readonly http: HttpServer,
    private readonly handle: BufferedHandler,
    private readonly onError: (message: string, error: unknown) => void,
    /** The server's fast connections, which this one leaves when node:http takes it. */
    private readonly connections: Set<FastConnection>,
  ) {}

  /** Closes the connection when it waits for a request and has since `since`. A
   *  request being served (a long poll, a Lambda invoke) keeps it open. */
  closeIfIdleSince(since: number): void {
    if (!this.busy && this.active < since) this.socket.destroy();
  }

  start(): void {
    this.socket.on("data", this.onData);
    this.socket.on("end", this.onEnd);
    this.socket.on("error", () => this.socket.destroy());
  }

  /** The unserved bytes as one buffer. */
  private buffered(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0];
  }

  /** Serves the next complete request in the buffer, if it is simple; else hands over. */
  private next(): void {
    while (!this.busy && this.length > 0) {
      const buffered = this.buffered();
      // A head already parsed waits for its body (clients send the two in separate packets).
      let waiting = this.waiting;
      if (waiting === undefined) {
        const headEnd = buffered.indexOf(HEAD_END);
        if (headEnd < 0) {
          if (buffered.length > MAX_HEAD_BYTES) this.handOver();
          return;
        }
        const head = parseSimpleHead(buffered.toString("latin1", 0, headEnd));
        if (!head) return this.handOver();
        waiting = { head, bodyAt: headEnd + 4 };
      }
      const total = waiting.bodyAt + waiting.head.length;
      if (buffered.length < total) {
        this.waiting = waiting;
        return;
      }
      this.waiting = undefined;
      // A view, not a copy: read buffers are sized to what arrived and never reused.
      const body = buffered.subarray(waiting.bodyAt, total);
      const rest = buffered.subarray(total);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.length = rest.length;
      this.serve(waiting.head, body);
    }
  }

  private serve(head: ParsedHead, body: Buffer): void {
    this.busy = true;
    let answered = false;
    try {
      const req = httpRequestOf(head.method, head.url, head.headers, body);
      this.handle(req, (response) => {
        if (answered) return;
        answered = true;
        this.respond(response, head.method === "HEAD");
      });
    } catch (error) {
      this.onError("fast path: unexpected failure", error);
      this.socket.destroy();
    }
  }

  private respond(response: HttpResponse, isHead: boolean): void {
    const { body } = response;
    if (this.socket.destroyed) {
      if (body instanceof Readable) body.destroy();
      return;
    }
    const bodiless = isHead || hasNoBody(response.status);
    try {
      if (body instanceof Readable) {
        if (bodiless) {
          body.destroy();
          this.socket.write(encodeResponse(response, 0, isHead));
          return this.done();
        }
        const declared = response.headers["content-length"];
        this.socket.write(encodeResponse(response, declared === undefined ? "chunked" : Number(declared), false));
        return this.stream(body, declared === undefined);
      }
      const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
      this.socket.write(encodeResponse(response, length, isHead, bodiless ? undefined : body));
    } catch (error) {
      if (body instanceof Readable) body.destroy();
      this.onError("fast path: could not write a response", error);
      this.socket.destroy();
      return;
    }
    this.done();
  }

  /** Writes a streamed body as it comes (chunked when its length is unknown),
   *  pausing while the socket's buffer is full. */
  private stream(body: Readable, chunked: boolean): void {
    const socket = this.socket;
    const onClose = () => body.destroy();
    socket.once("close", onClose);
    body.on("data", (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      if (bytes.length === 0) return;
      if (chunked) socket.write(`${bytes.length.toString(16)}\r\n`);
      let flowing = socket.write(bytes);
      if (chunked) flowing = socket.write("\r\n");
      if (!flowing) {
        body.pause();
        socket.once("drain", () => body.resume());
      }
    });
    body.once("end", () => {
      socket.off("close", onClose);
      if (chunked) socket.write("0\r\n\r\n");
      this.done();
    });
    body.once("error", (error) => {
      socket.off("close", onClose);
      this.onError("fast path: response stream failed", error);
      socket.destroy();
    });
  }

  /** The answer is out: the connection may serve its next request. */
  private done(): void {
    this.busy = false;
    this.active = Date.now();
    this.next();
    if (this.busy) return;
    if (this.ended) this.socket.end();
    else if (this.socket.isPaused()) this.socket.resume();
  }

  /** node:http takes the connection from here on, starting with the bytes not yet served. */
  private handOver(): void {
    const { socket } = this;
    socket.off("data", this.onData);
    socket.off("end", this.onEnd);
    socket.removeAllListeners("error");
    this.connections.delete(this);
    const rest = this.length > 0 ? this.buffered() : undefined;
    this.chunks = [];
    this.length = 0;
    if (this.ended) {
      // The stream has ended: nothing can be unshifted, so node:http is told what it missed.
      this.http.emit("connection", socket);
      if (rest) socket.emit("data", rest);
      socket.emit("end");
      return;
    }
    if (rest) socket.unshift(rest);
    this.http.emit("connection", socket);
    socket.resume();
  }
}
