import assert from "node:assert/strict";
import { test } from "node:test";
import type { Operation, ServiceModel, Shape, ShapeRef } from "../models/types.js";
import { awsJsonCodec } from "./aws-json.js";
import type { HttpRequest } from "./http.js";
import { ServiceError } from "./service-error.js";
import { assertParamsParsed, byShape, requestOf, serializeCase, stripNamespace, testVectorFile, vectorError } from "./test-vectors.js";

// AWS's awsJson vectors (see test-vectors.ts): requests are parsed and compared
// with `params`; `result`/`error` are serialized and the body compared as a
// value with the vector's.

// Cases a server cannot or need not reproduce, each with its reason.
const SKIP: Record<string, string> = {};

/** A JSON body as a client reads it: shape members only, timestamps as instants (keeping number vs string). */
function wire(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  const leaf = (x: unknown, shape: Shape) =>
    shape.type === "timestamp" ? `${typeof x}:${typeof x === "number" ? Math.round(x * 1000) : Date.parse(String(x))}` : x;
  return byShape(v, ref, model, leaf, (name, m) => m.locationName ?? name);
}

for (const [file, protocol] of [["json.json", "json"], ["json_1_0.json", "json_1_0"], ["json_1_0-query-compatible.json", "json_1_0"]]) {
  testVectorFile(file, protocol, { skip: SKIP }, {
    input: ({ case: c, model }) => assertParamsParsed(awsJsonCodec.parseRequest(requestOf(c.serialized!), model, c.given), c, model),
    output: ({ case: c, model }) => {
      const expected = c.response!;
      const expectedHeaders = Object.fromEntries(Object.entries(expected.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const res = serializeCase(awsJsonCodec, c, model, { requestId: expectedHeaders["x-amzn-requestid"] ?? "req-1" });
      assert.equal(res.status, expected.status_code);
      // A server need not echo the request's X-Amz-Target (one vector lists it in a response).
      for (const [k, v] of Object.entries(expectedHeaders)) if (k !== "x-amz-target") assert.equal(res.headers[k], v, k);
      const ours = JSON.parse(String(res.body));
      const theirs = expected.body?.trim() ? JSON.parse(expected.body) : {};
      if (c.errorCode) {
        assert.equal(stripNamespace(ours.__type), stripNamespace(theirs.__type ?? theirs.code));
        const shapeName = vectorError(c, model).shapeName;
        if (shapeName) assert.deepEqual(wire(ours, { shape: shapeName }, model), wire(theirs, { shape: shapeName }, model));
      } else if (c.given.output) {
        assert.deepEqual(wire(ours, c.given.output, model), wire(theirs, c.given.output, model));
      } else {
        assert.deepEqual(ours, {});
      }
    },
  });
}

// ---------------------------------------------------------------- beyond the vectors

const model: ServiceModel = {
  metadata: { apiVersion: "2020-01-01", protocol: "json", jsonVersion: "1.0", awsQueryCompatible: {} },
  operations: {},
  shapes: {
    In: { type: "structure", members: { Name: { shape: "Str" }, Count: { shape: "Int" }, Tags: { shape: "TagMap" }, Items: { shape: "Items" }, When: { shape: "Ts" }, Data: { shape: "Blob" } } },
    Str: { type: "string" }, Int: { type: "integer" }, Ts: { type: "timestamp" }, Blob: { type: "blob" },
    TagMap: { type: "map", key: { shape: "Str" }, value: { shape: "Str" } },
    Items: { type: "list", member: { shape: "In" } },
    QueueMissing: { type: "structure", members: { message: { shape: "Str" } }, exception: true, error: { code: "AWS.Queue.Missing", httpStatusCode: 400, senderFault: true } },
  },
};
const op: Operation = { name: "Op", http: { method: "POST", requestUri: "/" }, input: { shape: "In" }, output: { shape: "In" } };
const req = (body: string): HttpRequest => ({ method: "POST", path: "/", query: {}, headers: {}, body: Buffer.from(body) });

function expectSerialization(body: string, message?: string | RegExp) {
  assert.throws(() => awsJsonCodec.parseRequest(req(body), model, op), (e: unknown) => {
    assert.ok(e instanceof ServiceError);
    assert.equal(e.code, "SerializationException");
    assert.equal(e.status, 400);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test("malformed JSON is a SerializationException without a message", () => expectSerialization("{nope", ""));
test("members of the wrong JSON type are SerializationExceptions", () => {
  expectSerialization('{"Count":"3"}', "STRING_VALUE cannot be converted to Integer");
  expectSerialization('{"Name":5}', "NUMBER_VALUE cannot be converted to String");
  expectSerialization('{"Name":{}}', "Start of structure or map found where not expected");
  expectSerialization('{"Tags":[]}', "Start of list found where not expected");
  expectSerialization('{"Items":"x"}', "Unexpected field type");
  expectSerialization('{"Data":"abc"}', /multiple of 4/);
  expectSerialization('{"When":"yesterday"}', /timestamp/);
  expectSerialization("[]", "Start of list found where not expected");
  expectSerialization('"text"', "Unexpected field type");
});
test("absurdly deep recursion is a SerializationException, not a crash", () => {
  expectSerialization('{"Items":['.repeat(20000) + "{}" + "]}".repeat(20000), /too deep/);
});
test("empty body reads as {}, unknown members and nulls are dropped, map keys stay data", () => {
  assert.deepEqual(awsJsonCodec.parseRequest(req(""), model, op), {});
  const parsed = awsJsonCodec.parseRequest(req('{"Name":null,"Other":1,"Tags":{"__proto__":"x"},"When":1.5}'), model, op);
  assert.equal(Object.getPrototypeOf(parsed.Tags), Object.prototype);
  assert.deepEqual(Object.keys(parsed.Tags as object), ["__proto__"]);
  assert.deepEqual(parsed.When, new Date(1500));
});
test("members travel under their locationName, nested and repeated, in reads and writes alike", () => {
  const named: ServiceModel = {
    ...model,
    shapes: { ...model.shapes, In: { type: "structure", members: { Name: { shape: "Str", locationName: "name" }, Items: { shape: "Items" }, Count: { shape: "Int" } } } },
  };
  for (let round = 0; round < 2; round++) {
    const parsed = awsJsonCodec.parseRequest(req('{"name":"a","Name":"wire name is name","Items":[{"name":"b","Count":null},{"Count":2}],"constructor":1}'), named, op);
    assert.deepEqual(parsed, { Name: "a", Items: [{ Name: "b" }, { Count: 2 }] });
    const res = awsJsonCodec.serializeResponse({ Name: 5, Items: [{ Name: "c", name: "not a member" }], toString: "x" }, named, op, { requestId: "r" });
    assert.equal(res.body, '{"name":"5","Items":[{"name":"c"}]}');
  }
});
test("outputs: timestamps as epoch seconds, blobs base64, request id header", () => {
  const res = awsJsonCodec.serializeResponse({ When: "2020-01-01T00:00:00.250Z", Data: new Uint8Array([1, 2]), Extra: 1 }, model, op, { requestId: "r-1" });
  assert.deepEqual(JSON.parse(String(res.body)), { When: 1577836800.25, Data: "AQI=" });
  assert.equal(res.headers["content-type"], "application/x-amz-json-1.0");
  assert.equal(res.headers["x-amzn-requestid"], "r-1");
});
test("query-compatible errors: shape name in __type, query code in x-amzn-query-error", () => {
  for (const code of ["QueueMissing", "AWS.Queue.Missing"]) {
    const res = awsJsonCodec.serializeError(new ServiceError(code, "gone", { fields: { Extra: 1 } }), model, op, { requestId: "r" });
    assert.deepEqual(JSON.parse(String(res.body)), { __type: "QueueMissing", message: "gone", Extra: 1 });
    assert.equal(res.headers["x-amzn-query-error"], "AWS.Queue.Missing;Sender");
  }
  const internal = awsJsonCodec.serializeError(new ServiceError("InternalFailure", "boom", { status: 500 }), model, undefined, { requestId: "r" });
  assert.equal(internal.status, 500);
  assert.equal(internal.headers["x-amzn-query-error"], "InternalFailure;Receiver");
});
