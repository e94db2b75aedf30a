import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { useTestServer } from "./helpers.js";

// The edge's fast path (gateway/fast-http.ts) serves simple RPC requests on the raw
// socket and hands everything else, mid-connection too, to node:http. These speak
// HTTP/1.1 by hand to reach the cases clients produce only by chance.

const server = await useTestServer();
const port = Number(new URL(server.endpoint).port);

const sts = "Action=GetCallerIdentity&Version=2011-06-15";
const post = (body: string, extra = "") =>
  `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
  `Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

/** Sends the pieces (a pause between each) and reads until `responses` answers have come, or the server closes. */
function exchange(pieces: string[], responses: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const done = () => {
      socket.destroy();
      resolve(text);
    };
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if ((text.match(/HTTP\/1\.1 \d{3} /g) ?? []).length >= responses && complete(text)) done();
    });
    socket.on("end", done);
    socket.on("error", reject);
    let i = 0;
    const sendNext = () => {
      if (i < pieces.length) socket.write(pieces[i++], () => setTimeout(sendNext, 20));
    };
    sendNext();
  });
}

/** Whether the last response's body has all its Content-Length bytes. */
function complete(text: string): boolean {
  const last = text.lastIndexOf("HTTP/1.1 ");
  const head = text.indexOf("\r\n\r\n", last);
  if (head < 0) return false;
  const length = Number(/content-length: (\d+)/i.exec(text.slice(last, head))?.[1] ?? 0);
  return Buffer.byteLength(text.slice(head + 4), "latin1") >= length;
}

test("pipelined requests in one write are answered in order, each whole", async () => {
  const text = await exchange([post(sts) + post(sts) + post(sts)], 3);
  const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
  assert.deepEqual(statuses, ["200", "200", "200"]);
  assert.equal((text.match(/<Account>000000000000<\/Account>/g) ?? []).length, 3);
  assert.match(text, /\r\nDate: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
  assert.match(text, /\r\nConnection: keep-alive\r\n/);
});

test("a request split across packets, head and body apart, is read whole", async () => {
  const request = post(sts);
  const cut = request.indexOf("\r\n\r\n") + 2;
  const text = await exchange([request.slice(0, 20), request.slice(20, cut), request.slice(cut, cut + 10), request.slice(cut + 10)], 1);
  assert.match(text, /^HTTP\/1\.1 200 OK/);
  assert.match(text, /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
});

test("after fast requests, a GET on the same connection goes to node:http and is answered", async () => {
  const get = `GET /_terrarium/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
  const text = await exchange([post(sts), get, post(sts)], 3);
  const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
  assert.deepEqual(statuses, ["200", "200", "200"]);
  assert.equal((text.match(/<Account>000000000000<\/Account>/g) ?? []).length, 2);
});

test("Expect: 100-continue and Connection: close are node:http's, with their usual answers", async () => {
  const body = sts;
  const head = post(body, "Expect: 100-continue\r\n").slice(0, -body.length);
  const text = await exchange([head, body], 2);
  assert.match(text, /^HTTP\/1\.1 100 Continue\r\n/);
  assert.match(text, /HTTP\/1\.1 200 OK/);
  const closing = await exchange([post(sts, "Connection: close\r\n")], 1);
  assert.match(closing, /^HTTP\/1\.1 200 OK/);
  assert.match(closing, /\r\nConnection: close\r\n/i);
});

test("a malformed request still gets node:http's 400, and the server keeps serving", async () => {
  const text = await exchange(["POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n"], 1);
  assert.match(text, /^HTTP\/1\.1 400 Bad Request/);
  const after = await exchange([post(sts)], 1);
  assert.match(after, /^HTTP\/1\.1 200 OK/);
});

test("query parameters named constructor, __proto__ or toString are parameters, on both edges, and the server lives on", async () => {
  const query = "?constructor=1&__proto__=2&toString=3&constructor=4";
  const fast = await exchange([post(sts).replace("POST / ", `POST /${query} `)], 1);
  assert.match(fast, /^HTTP\/1\.1 200 OK[^]*<Account>000000000000<\/Account>/);
  const viaNodeHttp = await exchange([post(sts, "Connection: close\r\n").replace("POST / ", `POST /${query} `)], 1);
  assert.match(viaNodeHttp, /^HTTP\/1\.1 200 OK[^]*<Account>000000000000<\/Account>/);
  const after = await exchange([post(sts)], 1);
  assert.match(after, /^HTTP\/1\.1 200 OK/);
});
