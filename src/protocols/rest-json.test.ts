import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import type { ServiceModel } from "../models/types.js";
import type { HttpRequest, HttpResponse } from "./http.js";
import { bodyPlan, isBodyMember } from "./http-bindings.js";
import { readJsonShape, restJsonCodec } from "./rest-json.js";
import { ServiceError } from "./service-error.js";
import { bodyText, dropEmpty, headerOf, pick, requestOf, testVectorGroup, vectorNotation } from "./test-vectors.js";

// AWS's restJson1 protocol vectors (see test-vectors.ts), read as a server
// reads them: parse each input case's request and expect its params; serialize
// each output case's result (or error) and expect what a client reads from the
// vector's response.

/** Cases that test client-only behaviour, beyond ignore-list.json. */
const SKIP: Record<string, string> = {
  RestJsonQueryParamsStringListMap:
    "client-only: a client leaves out map keys a named member claims; a server's map holds every parameter (RestJsonAllQueryStringTypes)",
};

/** What a client reads from a response body: the body members (or payload) by the output shape. */
function clientView(body: HttpResponse["body"] | undefined, model: ServiceModel, shapeName: string | undefined): unknown {
  const text = bodyText(body);
  const plan = bodyPlan(model, shapeName, "output");
  if (plan.kind === "raw") return text;
  if (text.trim() === "" || !shapeName) return {};
  if (plan.kind === "payload") return vectorNotation(readJsonShape(JSON.parse(text), plan.ref, model));
  const shape = model.shapes[shapeName];
  const bodyOnly = { ...shape, members: Object.fromEntries(Object.entries(shape.members ?? {}).filter(([, r]) => isBodyMember(r, "output"))) };
  return vectorNotation(readJsonShape(JSON.parse(text), { shape: "__body" }, { ...model, shapes: { ...model.shapes, __body: bodyOnly } }));
}

function jsonBody(body: HttpResponse["body"] | undefined): Record<string, unknown> {
  const text = bodyText(body);
  return text.trim() === "" ? {} : JSON.parse(text);
}

/** The error code as AWS SDKs read it: header first, then body; no namespace, no URI. */
function clientErrorCode(headers: Record<string, string>, body: Record<string, unknown>): string | undefined {
  const raw = headerOf(headers, "x-amzn-errortype") ?? (body.code as string) ?? (body.__type as string);
  return raw?.split(":")[0].split("#").pop();
}

testVectorGroup("restJson1 input vectors", "input", "rest-json.json", "rest-json", SKIP, ({ case: c, model }) => {
  const input = restJsonCodec.parseRequest(requestOf(c.serialized!), model, c.given);
  assert.deepEqual(dropEmpty(vectorNotation(input)), dropEmpty(c.params));
});

testVectorGroup("restJson1 output vectors", "output", "rest-json.json", "rest-json", SKIP, ({ suite, case: c, model }) => {
  const expected = c.response!;
  const ctx = { requestId: "req-1" };
  let res;
  if (c.error) {
    const shape = suite.shapes[c.errorCode!];
    const err = new ServiceError(c.errorCode!, c.errorMessage ?? "", {
      status: shape?.error?.httpStatusCode,
      fields: c.error,
      shapeName: c.errorCode,
    });
    res = restJsonCodec.serializeError(err, model, c.given, ctx);
    const body = jsonBody(res.body);
    assert.equal(clientErrorCode(res.headers, body), c.errorCode);
    const strip = ({ __type: _t, code: _c, ...rest }: Record<string, unknown>) => rest;
    assert.deepEqual(strip(body), strip(jsonBody(expected.body)));
  } else {
    res = restJsonCodec.serializeResponse(c.result, model, c.given, ctx);
    const shapeName = c.given.output?.shape;
    const view = clientView(res.body, model, shapeName);
    assert.deepEqual(view, clientView(expected.body, model, shapeName));
    const plan = bodyPlan(model, shapeName, "output");
    if (plan.kind === "members") assert.deepEqual(dropEmpty(view), dropEmpty(pick(c.result, plan.members)));
  }
  assert.equal(res.status, expected.status_code);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    // Content-Length is the gateway's; the error type header is checked as the client reads it.
    if (name.toLowerCase() === "content-length" || name.toLowerCase() === "x-amzn-errortype") continue;
    assert.equal(headerOf(res.headers, name), value, `header ${name}`);
  }
});

// ---------------------------------------------------------------- beyond the vectors

const model: ServiceModel = {
  metadata: { apiVersion: "2015-03-31", protocol: "rest-json" },
  operations: {
    PutThing: {
      name: "PutThing",
      http: { method: "PUT", requestUri: "/things/{Name}", responseCode: 201 },
      input: { shape: "PutThingRequest" },
      output: { shape: "PutThingResponse" },
    },
    GetBlob: {
      name: "GetBlob",
      http: { method: "GET", requestUri: "/blobs/{Name}" },
      output: { shape: "GetBlobResponse" },
    },
  },
  shapes: {
    PutThingRequest: {
      type: "structure",
      members: { Name: { shape: "S", location: "uri", locationName: "Name" }, Size: { shape: "I" }, When: { shape: "T" } },
    },
    PutThingResponse: { type: "structure", members: { Arn: { shape: "S" }, When: { shape: "T" } } },
    GetBlobResponse: { type: "structure", members: { Body: { shape: "B", streaming: true } }, payload: "Body" },
    ThingNotFound: {
      type: "structure",
      members: { Message: { shape: "S" }, Type: { shape: "S" } },
      error: { httpStatusCode: 404 },
      exception: true,
    },
    S: { type: "string" },
    I: { type: "integer" },
    T: { type: "timestamp" },
    B: { type: "blob" },
  },
};
const put = model.operations.PutThing;

function req(body: string, path = "/things/a%20b"): HttpRequest {
  return { method: "PUT", path, query: {}, headers: {}, body: Buffer.from(body) };
}

test("parses labels and body, with timestamps as Date", () => {
  const input = restJsonCodec.parseRequest(req('{"Size":3,"When":1700000000}'), model, put);
  assert.deepEqual(input, { Name: "a b", Size: 3, When: new Date(1700000000 * 1000) });
});

test("malformed JSON and wrong types are SerializationException, never a crash", () => {
  for (const body of ["{", "[1,2]", '{"Size":"three"}', '"x"']) {
    assert.throws(() => restJsonCodec.parseRequest(req(body), model, put), (e: unknown) => {
      return e instanceof ServiceError && e.code === "SerializationException" && e.status === 400;
    }, body);
  }
});

test("responses carry x-amzn-RequestId and the operation's status code", () => {
  const res = restJsonCodec.serializeResponse({ Arn: "arn:x", When: new Date(0) }, model, put, { requestId: "r-9" });
  assert.equal(res.status, 201);
  assert.equal(res.headers["x-amzn-RequestId"], "r-9");
  assert.deepEqual(JSON.parse(String(res.body)), { Arn: "arn:x", When: 0 });
});

test("errors carry x-amzn-ErrorType, __type and the shape's message spelling", () => {
  const err = new ServiceError("ThingNotFound", "no such thing", { status: 404, fields: { Type: "User" } });
  const res = restJsonCodec.serializeError(err, model, put, { requestId: "r-1" });
  assert.equal(res.status, 404);
  assert.equal(res.headers["x-amzn-ErrorType"], "ThingNotFound");
  assert.deepEqual(JSON.parse(String(res.body)), { __type: "ThingNotFound", Message: "no such thing", Type: "User" });
});

test("a streaming payload passes through unchanged", () => {
  const stream = Readable.from(["abc"]);
  const res = restJsonCodec.serializeResponse({ Body: stream }, model, model.operations.GetBlob, { requestId: "r" });
  assert.equal(res.body, stream);
  assert.equal(res.headers["Content-Type"], "application/octet-stream");
});
