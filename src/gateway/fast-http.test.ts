import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import type { HttpRequest, HttpResponse } from "../protocols/http.js";
import { createFastServer } from "./fast-http.js";

// The fast path's framing, with a handler that answers by the request path: how
// bodies of every kind go out (streamed with and without a length, HEAD, 204), and
// which requests node:http gets instead (here it answers "from node:http").

const seen: HttpRequest[] = [];

function answer(req: HttpRequest): HttpResponse {
  seen.push(req);
  switch (req.path) {
    case "/streamed":
      return { status: 200, headers: { "content-length": "6" }, body: Readable.from([Buffer.from("abc"), Buffer.from("def")]) };
    case "/unsized":
      return { status: 200, headers: {}, body: Readable.from([Buffer.from("hello "), Buffer.from("world")]) };
    case "/object":
      return { status: 200, headers: { "content-length": "1234", etag: '"x"' }, body: "" };
    case "/deleted":
      return { status: 204, headers: {}, body: "" };
    case "/large":
      return { status: 200, headers: { "content-length": String(4 * 1024 * 1024) }, body: Readable.from(chunks(4, 1024 * 1024)) };
    default:
      return { status: 200, headers: { "content-type": "text/plain" }, body: `${req.method} ${req.path} ${req.body.length}` };
  }
}

function* chunks(count: number, size: number): Generator<Buffer> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, 97 + i);
}

const http = createHttpServer((_req, res) => res.end("from node:http"));
const server = createFastServer(http, (req, respond) => {
  if (req.path === "/slow") setTimeout(() => respond({ status: 200, headers: {}, body: "late" }), 30);
  else respond(answer(req));
}, (message, error) => {
  throw new Error(`${message}: ${String(error)}`);
});
let port = 0;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** Writes `request` and reads until `until` holds for the bytes received (or the server closes). */
function exchange(request: string | Buffer, until: (received: Buffer) => boolean, halfClose = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(received));
    };
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      if (until(Buffer.concat(received))) done();
    });
    socket.on("end", done);
    socket.on("error", reject);
    socket.write(request);
    if (halfClose) socket.end();
  });
}

const get = (path: string, method = "GET") => `${method} ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const endsWith = (suffix: string) => (b: Buffer) => b.toString("latin1").endsWith(suffix);

test("a streamed body with a Content-Length goes out as it is, then the next request is served", async () => {
  const text = (await exchange(get("/streamed") + get("/after"), endsWith("GET /after 0"))).toString("latin1");
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n[^]*content-length: 6\r\n[^]*\r\n\r\nabcdefHTTP\/1\.1 200 OK\r\n/);
  assert.doesNotMatch(text, /Transfer-Encoding/i);
});

test("a streamed body of unknown length is sent chunked", async () => {
  const text = (await exchange(get("/unsized"), endsWith("0\r\n\r\n"))).toString("latin1");
  assert.match(text, /\r\nTransfer-Encoding: chunked\r\n/);
  assert.ok(text.endsWith("\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"), text);
});

test("HEAD keeps the handler's Content-Length and sends no body; 204 sends none either", async () => {
  const text = (await exchange(get("/object", "HEAD") + get("/deleted", "DELETE") + get("/last"), endsWith("GET /last 0"))).toString("latin1");
  const [head, deleted] = text.split(/(?=HTTP\/1\.1 )/);
  assert.match(head, /\r\ncontent-length: 1234\r\n/);
  assert.ok(head.endsWith("\r\n\r\n"), "no body after a HEAD answer");
  assert.match(deleted, /^HTTP\/1\.1 204 No Content\r\n/);
  assert.ok(deleted.endsWith("\r\n\r\n"), "no body after a 204");
});

test("a large streamed answer arrives whole, paced by the socket", async () => {
  const size = 4 * 1024 * 1024;
  const received = await exchange(get("/large"), (b) => b.length >= b.indexOf("\r\n\r\n") + 4 + size);
  const body = received.subarray(received.indexOf("\r\n\r\n") + 4);
  assert.equal(body.length, size);
  assert.equal(body[0], 97);
  assert.equal(body[size - 1], 100);
});

test("PUT, POST and DELETE bodies up to 1 MiB are read here, across packets", async () => {
  const body = Buffer.alloc(300_000, "z");
  const put = Buffer.concat([Buffer.from(`PUT /object-put HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  const text = (await exchange(put, endsWith(`PUT /object-put ${body.length}`))).toString("latin1");
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  assert.equal(seen.at(-1)?.body.length, body.length);
});

test("what is not simple is node:http's: a larger body, HTTP/1.0, an unknown method, a repeated header", async () => {
  const cases = [
    `PUT /big HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n${"b".repeat(1024 * 1024 + 1)}`,
    "GET /old HTTP/1.0\r\nHost: x\r\n\r\n",
    "PATCH /patch HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    "GET /twice HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nX-A: 2\r\n\r\n",
  ];
  for (const request of cases) {
    const text = (await exchange(request, endsWith("from node:http"))).toString("latin1");
    assert.match(text, /from node:http$/, request.slice(0, 30));
  }
});

test("a client that half-closes after its request still gets the answer, then the server ends", async () => {
  const text = (await exchange(get("/slow") + get("/slow"), () => false, true)).toString("latin1");
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nlateHTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nlate$/);
  const handedOver = (await exchange(get("/slow") + "GET /old HTTP/1.0\r\nHost: x\r\n\r\n", () => false, true)).toString("latin1");
  assert.match(handedOver, /late[^]*from node:http$/);
});

test("an idle connection is closed; one whose request is still being served is not", async () => {
  const quick = createFastServer(http, (req, respond) => {
    if (req.path === "/slow") setTimeout(() => respond({ status: 200, headers: {}, body: "late" }), 250);
    else respond(answer(req));
  }, () => undefined, { closeAfterMs: 100, sweepMs: 20 });
  await new Promise<void>((resolve) => quick.listen(0, "127.0.0.1", resolve));
  const quickPort = (quick.address() as AddressInfo).port;
  const closedAfter = (request: string) =>
    new Promise<{ text: string; ms: number }>((resolve, reject) => {
      const began = Date.now();
      const socket = connect(quickPort, "127.0.0.1");
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString("latin1")));
      socket.on("close", () => resolve({ text, ms: Date.now() - began }));
      socket.on("error", reject);
      socket.write(request);
    });
  try {
    const idle = await closedAfter(get("/idle"));
    assert.match(idle.text, /GET \/idle 0$/);
    const busy = await closedAfter(get("/slow"));
    assert.match(busy.text, /late$/, "answered although the wait was longer than the idle limit");
    assert.ok(busy.ms >= 250 + 100, `closed ${busy.ms} ms after connecting`);
  } finally {
    quick.closeAllConnections();
    quick.close();
  }
});
