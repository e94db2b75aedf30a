import { STATUS_CODES, type Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { Readable } from "node:stream";
import { httpRequestOf, type HttpRequest, type HttpResponse } from "../protocols/http.js";

// The edge's fast path for the simple requests that make most of the traffic: the
// RPC protocols (JSON, query, CBOR) POST a small body with a Content-Length and
// take a small answer. node:http spends about as much CPU on such a request as
// Terrarium does (its parser callbacks, IncomingMessage and ServerResponse
// streams, per-request timers): measured with the SDK at ~0.09 ms per request
// against ~0.05 here. Every connection starts here; the first request that is not
// simple (a GET, a streamed or chunked body, Expect: 100-continue, HTTP/1.0, an
// upgrade, Connection: close) hands the connection, with the bytes read so far, to
// node:http for the rest of its life.

/** Heads larger than this go to node:http (which applies its own limit). */
const MAX_HEAD_BYTES = 16 * 1024;
/** Bodies larger than this go to node:http, which streams them. */
const MAX_BODY_BYTES = 1024 * 1024;
const KEEP_ALIVE_MS = 65_000;
const SIMPLE_CONTENT_TYPE = /^application\/(?:x-amz-json-1\.[01]|x-www-form-urlencoded|cbor)\b/i;
const HEAD_END = Buffer.from("\r\n\r\n");

export type BufferedHandler = (req: HttpRequest, respond: (response: HttpResponse) => void) => void;

/** A TCP server whose connections are served by `handle` while simple, then by `http`. */
export function createFastServer(http: HttpServer, handle: BufferedHandler, onError: (message: string, error: unknown) => void): Server & { closeAllConnections(): void } {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    new FastConnection(socket, http, handle, onError).start();
  });
  return Object.assign(server, {
    // Handed-over connections too: node:http tracks connections only when it listens itself.
    closeAllConnections() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  });
}

class FastConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private busy = false;
  private readonly onTimeout = () => this.socket.destroy();
  private readonly onData = (chunk: Buffer) => {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    this.next();
  };

  constructor(
    private readonly socket: Socket,
    private readonly http: HttpServer,
    private readonly handle: BufferedHandler,
    private readonly onError: (message: string, error: unknown) => void,
  ) {}

  start(): void {
    this.socket.on("data", this.onData);
    this.socket.on("error", () => this.socket.destroy());
    this.socket.setTimeout(KEEP_ALIVE_MS, this.onTimeout);
  }

  /** Serves the next complete request in the buffer, if it is simple; else hands over. */
  private next(): void {
    while (!this.busy && this.buffered.length > 0) {
      const headEnd = this.buffered.indexOf(HEAD_END);
      if (headEnd < 0) {
        if (this.buffered.length > MAX_HEAD_BYTES) this.handOver();
        return;
      }
      const parsed = parseHead(this.buffered.toString("latin1", 0, headEnd));
      if (!parsed) return this.handOver();
      const length = Number(parsed.headers["content-length"]);
      const total = headEnd + 4 + length;
      if (this.buffered.length < total) return;
      const body = Buffer.from(this.buffered.subarray(headEnd + 4, total));
      this.buffered = this.buffered.subarray(total);
      this.serve(parsed, body);
    }
  }

  private serve(head: ParsedHead, body: Buffer): void {
    this.busy = true;
    // A request may wait long (a long poll, a Lambda invoke): no idle timeout meanwhile.
    this.socket.setTimeout(0);
    const req = httpRequestOf(head.method, head.url, head.headers, body);
    let answered = false;
    try {
      this.handle(req, (response) => {
        if (answered) return;
        answered = true;
        void this.respond(response);
      });
    } catch (error) {
      this.onError("fast path: unexpected failure", error);
      this.socket.destroy();
    }
  }

  private async respond(response: HttpResponse): Promise<void> {
    if (this.socket.destroyed) return;
    try {
      const body = response.body instanceof Readable ? await collect(response.body) : response.body;
      const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
      this.socket.write(Buffer.concat([Buffer.from(responseHead(response, bytes.length), "latin1"), bytes]));
    } catch (error) {
      this.onError("fast path: could not write a response", error);
      this.socket.destroy();
      return;
    }
    this.busy = false;
    this.socket.setTimeout(KEEP_ALIVE_MS);
    this.next();
  }

  /** node:http takes the connection from here on, starting with the bytes not yet served. */
  private handOver(): void {
    this.socket.off("data", this.onData);
    this.socket.off("timeout", this.onTimeout);
    this.socket.removeAllListeners("error");
    this.socket.setTimeout(0);
    if (this.buffered.length > 0) this.socket.unshift(this.buffered);
    this.buffered = Buffer.alloc(0);
    this.http.emit("connection", this.socket);
  }
}

interface ParsedHead {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The request line and headers of a simple request; undefined for anything else.
 *  One pass with indexOf: this runs for every request, and split/regex cost more. */
function parseHead(text: string): ParsedHead | undefined {
  let lineEnd = text.indexOf("\r\n");
  if (lineEnd < 0) lineEnd = text.length;
  const firstSpace = text.indexOf(" ");
  const secondSpace = text.indexOf(" ", firstSpace + 1);
  if (firstSpace !== 4 || !text.startsWith("POST ") || secondSpace < 0 || secondSpace > lineEnd) return undefined;
  if (lineEnd - secondSpace !== 9 || !text.startsWith(" HTTP/1.1", secondSpace)) return undefined;
  const url = text.slice(firstSpace + 1, secondSpace);
  if (url.charCodeAt(0) !== 47 /* / */ || url.startsWith("/_terrarium")) return undefined;
  const headers: Record<string, string> = {};
  let start = lineEnd + 2;
  while (start < text.length) {
    let end = text.indexOf("\r\n", start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(":", start);
    const first = text.charCodeAt(start);
    // No colon, an empty name, or an obsolete folded line: node:http's to judge.
    if (colon < 0 || colon >= end || colon === start || first === 32 || first === 9) return undefined;
    const name = text.slice(start, colon).trim().toLowerCase();
    // A repeated header, or one that changes how the body is framed, is node:http's too.
    if (name in headers || name === "transfer-encoding" || name === "expect" || name === "upgrade") return undefined;
    headers[name] = text.slice(colon + 1, end).trim();
    start = end + 2;
  }
  const length = headers["content-length"];
  if (length === undefined || length.length === 0 || length.length > 7 || !isDigits(length) || Number(length) > MAX_BODY_BYTES) return undefined;
  const connection = headers["connection"];
  if (connection !== undefined && connection.toLowerCase().includes("close")) return undefined;
  if (!SIMPLE_CONTENT_TYPE.test(headers["content-type"] ?? "")) return undefined;
  return { method: "POST", url, headers };
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

let dateSecond = -1;
let dateText = "";

/** The status line and headers node:http would send for the same answer. */
function responseHead(response: HttpResponse, length: number): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  let head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? "Unknown"}\r\n`;
  for (const name in response.headers) {
    const value = response.headers[name];
    if (value === undefined || name.toLowerCase() === "content-length") continue;
    if (/[\r\n]/.test(value) || /[^\x20-\x7e\t]/.test(name)) throw new Error(`invalid header ${name}`);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}content-length: ${length}\r\nDate: ${dateText}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${KEEP_ALIVE_MS / 1000}\r\n\r\n`;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
