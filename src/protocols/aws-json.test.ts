import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import type { Operation, ServiceModel, ShapeRef } from "../models/types.js";
import { awsJsonCodec } from "./aws-json.js";
import type { HttpRequest } from "./http.js";
import { parseQueryString } from "./http.js";
import { ServiceError } from "./service-error.js";

// AWS's protocol vectors read backwards, as a server reads them: requests are
// parsed and compared with `params`; `result`/`error` are serialized and the
// body compared as a value with the vector's (see ../shared/protocol-tests/README.md).

const VECTORS = new URL("../../../shared/protocol-tests/", import.meta.url);

// Cases a server cannot or need not reproduce, each with its reason.
const SKIP: Record<string, string> = {};

interface Suite { description: string; metadata: ServiceModel["metadata"]; shapes: ServiceModel["shapes"]; cases: Case[] }
interface Case {
  id?: string; description?: string; given: Operation; params?: Record<string, unknown>;
  serialized?: { method: string; uri: string; body?: string; headers?: Record<string, string> };
  result?: Record<string, unknown>; error?: Record<string, unknown>; errorCode?: string; errorMessage?: string;
  response?: { status_code: number; headers?: Record<string, string>; body?: string };
}

function load(kind: "input" | "output", file: string): Suite[] {
  return JSON.parse(readFileSync(new URL(`${kind}/${file}`, VECTORS), "utf8")) as Suite[];
}

const ignoreList = existsSync(new URL("ignore-list.json", VECTORS))
  ? JSON.parse(readFileSync(new URL("ignore-list.json", VECTORS), "utf8")) : {};

function ignored(protocol: string, kind: "input" | "output", suite: Suite, c: Case): string | undefined {
  const list = ignoreList;
  if ((list.general?.[kind]?.suites ?? []).includes(suite.description)) return "botocore's ignore-list (suite)";
  if ((list.protocols?.[protocol]?.[kind]?.cases ?? []).includes(c.id)) return "botocore's ignore-list";
  return SKIP[c.id ?? ""];
}

function modelOf(suite: Suite, c: Case): ServiceModel {
  return { metadata: suite.metadata, operations: { [c.given.name]: c.given }, shapes: suite.shapes };
}

/** A value in the vectors' notation (epoch seconds, utf8 blobs, "NaN") and ours (Date, Buffer, NaN) made comparable. */
function norm(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  if (v === null || v === undefined) return undefined;
  const shape = model.shapes[ref.shape];
  if (shape.document) return v;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const n = norm((v as Record<string, unknown>)[name], m, model);
        if (n !== undefined) out[name] = n;
      }
      return out;
    }
    case "list": return (v as unknown[]).map((x) => norm(x, shape.member!, model)).filter((x) => x !== undefined);
    case "map": return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, norm(x, shape.value!, model)]).filter(([, x]) => x !== undefined));
    case "timestamp": return v instanceof Date ? v.getTime() : typeof v === "number" ? Math.round(v * 1000) : Date.parse(String(v));
    case "blob": return typeof v === "string" ? Buffer.from(v).toString("base64") : Buffer.from(v as Uint8Array).toString("base64");
    case "float": case "double": return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
    default: return v;
  }
}

/** A JSON body as a client reads it: shape members only, timestamps as instants (keeping number vs string). */
function wire(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  if (v === null || v === undefined) return undefined;
  const shape = model.shapes[ref.shape];
  if (shape.document) return v;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const n = wire((v as Record<string, unknown>)[m.locationName ?? name], m, model);
        if (n !== undefined) out[name] = n;
      }
      return out;
    }
    case "list": return (v as unknown[]).map((x) => wire(x, shape.member!, model)).filter((x) => x !== undefined);
    case "map": return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, wire(x, shape.value!, model)]).filter(([, x]) => x !== undefined));
    case "timestamp": return `${typeof v}:${typeof v === "number" ? Math.round(v * 1000) : Date.parse(String(v))}`;
    default: return v;
  }
}

/** Turns a vector `result` into what a handler returns: blobs as Buffer, non-finite floats as numbers. */
function toOutput(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  if (v === null || v === undefined) return v;
  const shape = model.shapes[ref.shape];
  if (shape.document) return v;
  switch (shape.type) {
    case "structure":
      return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape.members?.[k] ? toOutput(x, shape.members[k], model) : x]));
    case "list": return (v as unknown[]).map((x) => toOutput(x, shape.member!, model));
    case "map": return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, toOutput(x, shape.value!, model)]));
    case "blob": return Buffer.from(String(v));
    case "float": case "double": return typeof v === "string" ? Number(v) : v;
    default: return v;
  }
}

function errorOf(c: Case, model: ServiceModel): ServiceError {
  const code = c.errorCode!;
  const shapeName = model.shapes[code]?.exception ? code
    : Object.keys(model.shapes).find((n) => model.shapes[n].error?.code === code);
  const fields = { ...(c.error ?? {}) };
  const message = String(fields.message ?? fields.Message ?? c.errorMessage ?? "");
  delete fields.message; delete fields.Message;
  return new ServiceError(shapeName ?? code, message, { status: c.response!.status_code, shapeName, fields });
}

const stripNamespace = (t: unknown) => String(t).split(":")[0].split("#").pop();

function request(c: Case): HttpRequest {
  const s = c.serialized!;
  const [path, search = ""] = s.uri.split("?");
  const headers = Object.fromEntries(Object.entries(s.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: s.method, path, query: parseQueryString(search), headers, body: Buffer.from(s.body ?? "", "utf8") };
}

for (const [file, protocol] of [["json.json", "json"], ["json_1_0.json", "json_1_0"], ["json_1_0-query-compatible.json", "json_1_0"]]) {
  if (!existsSync(new URL(`input/${file}`, VECTORS))) continue;
  for (const suite of load("input", file)) {
    for (const c of suite.cases) {
      const skip = ignored(protocol, "input", suite, c);
      test(`${file} input ${c.id}`, { skip }, () => {
        const model = modelOf(suite, c);
        const parsed = awsJsonCodec.parseRequest(request(c), model, c.given);
        const ref = c.given.input;
        if (!ref) return assert.deepEqual(parsed, {});
        assert.deepEqual(norm(parsed, ref, model), norm(c.params ?? {}, ref, model));
      });
    }
  }
  for (const suite of load("output", file)) {
    for (const c of suite.cases) {
      const skip = ignored(protocol, "output", suite, c);
      test(`${file} output ${c.id}`, { skip }, () => {
        const model = modelOf(suite, c);
        const expected = c.response!;
        const expectedHeaders = Object.fromEntries(Object.entries(expected.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        const ctx = { requestId: expectedHeaders["x-amzn-requestid"] ?? "req-1" };
        const res = c.errorCode
          ? awsJsonCodec.serializeError(errorOf(c, model), model, c.given, ctx)
          : awsJsonCodec.serializeResponse(c.given.output ? toOutput(c.result, c.given.output, model) as Record<string, unknown> : c.result, model, c.given, ctx);
        assert.equal(res.status, expected.status_code);
        // A server need not echo the request's X-Amz-Target (one vector lists it in a response).
        for (const [k, v] of Object.entries(expectedHeaders)) if (k !== "x-amz-target") assert.equal(res.headers[k], v, k);
        const ours = JSON.parse(String(res.body));
        const theirs = expected.body?.trim() ? JSON.parse(expected.body) : {};
        if (c.errorCode) {
          assert.equal(stripNamespace(ours.__type), stripNamespace(theirs.__type ?? theirs.code));
          const shapeName = errorOf(c, model).shapeName;
          if (shapeName) assert.deepEqual(wire(ours, { shape: shapeName }, model), wire(theirs, { shape: shapeName }, model));
        } else if (c.given.output) {
          assert.deepEqual(wire(ours, c.given.output, model), wire(theirs, c.given.output, model));
        } else {
          assert.deepEqual(ours, {});
        }
      });
    }
  }
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
