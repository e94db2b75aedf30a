import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeResponse, parseSimpleHead } from "./http-head.js";

// Request heads as the fast path reads them, and answers as it writes them.

test("header names are lowercased, whether a known spelling or not", () => {
  const head = parseSimpleHead(
    "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n" +
      "X-Custom-Thing:  spaced value \r\nx-amz-date: 20240101T000000Z\r\nContent-Length: 2",
  );
  assert.deepEqual(head?.headers, {
    host: "localhost", "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage",
    "x-custom-thing": "spaced value", "x-amz-date": "20240101T000000Z", "content-length": "2",
  });
  assert.equal(head?.length, 2);
});

test("a name that only starts like a known one is its own header", () => {
  const head = parseSimpleHead("GET / HTTP/1.1\r\nHostx: a\r\nhost: b");
  assert.deepEqual(head?.headers, { hostx: "a", host: "b" });
});

test("whitespace before the colon, a repeated header or Transfer-Encoding are left to node:http", () => {
  assert.equal(parseSimpleHead("GET / HTTP/1.1\r\nHost : a"), undefined);
  assert.equal(parseSimpleHead("GET / HTTP/1.1\r\nHost: a\r\nhost: b"), undefined);
  assert.equal(parseSimpleHead("POST / HTTP/1.1\r\nTransfer-Encoding: chunked"), undefined);
});

test("an answer's head and body go out as one buffer, with Date and the connection headers", () => {
  const out = encodeResponse({ status: 200, headers: { "x-amz-request-id": "r1", ETag: '"e"' }, body: "" }, 6, false, "héllo").toString("latin1");
  const [head, body] = out.split("\r\n\r\n");
  const lines = head.split("\r\n");
  assert.equal(lines[0], "HTTP/1.1 200 OK");
  assert.deepEqual(lines.slice(1, 4), ["x-amz-request-id: r1", 'ETag: "e"', "content-length: 6"]);
  assert.match(lines[4], /^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  assert.deepEqual(lines.slice(5), ["Connection: keep-alive", "Keep-Alive: timeout=65"]);
  assert.equal(Buffer.from(body, "latin1").toString("utf8"), "héllo");
  assert.throws(() => encodeResponse({ status: 200, headers: { "bad name": "x" }, body: "" }, 0, false), /invalid header/);
  assert.throws(() => encodeResponse({ status: 200, headers: { ok: "line\nbreak" }, body: "" }, 0, false), /invalid header/);
});
