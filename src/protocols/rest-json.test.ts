import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { test } from "node:test";
import type { Operation, ServiceModel } from "../models/types.js";
import { parseQueryString, type HttpRequest } from "./http.js";
import { bodyPlan, isBodyMember } from "./http-bindings.js";
import { readJsonShape, restJsonCodec } from "./rest-json.js";
import { ServiceError } from "./service-error.js";

// AWS's restJson1 protocol vectors, read as a server reads them: parse each
// input case's request and expect its params; serialize each output case's
// result (or error) and expect what a client reads from the vector's response.

const VECTORS = new URL("../../../shared/protocol-tests/", import.meta.url);

/** Cases that test client-only behaviour, beyond ignore-list.json. */
const SKIP: Record<string, string> = {
  RestJsonQueryParamsStringListMap:
    "client-only: a client leaves out map keys a named member claims; a server's map holds every parameter (RestJsonAllQueryStringTypes)",
};

interface Suite {
  description: string;
  metadata: ServiceModel["metadata"];
  shapes: ServiceModel["shapes"];
  cases: Case[];
}
interface Case {
  id: string;
  given: Operation;
  params?: Record<string, unknown>;
  serialized?: { method: string; uri: string; headers?: Record<string, string>; body?: string };
  result?: Record<string, unknown>;
  error?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  response?: { status_code: number; headers?: Record<string, string>; body?: string };
}

function loadSuites(kind: "input" | "output", protocol: string): { suites: Suite[]; ignored: Set<string> } {
  const ignore = JSON.parse(readFileSync(new URL("ignore-list.json", VECTORS), "utf8"));
  const ignored = new Set<string>([
    ...(ignore.general?.[kind]?.suites ?? []),
    ...(ignore.protocols?.[protocol]?.[kind]?.cases ?? []),
  ]);
  const suites = JSON.parse(readFileSync(new URL(`${kind}/${protocol}.json`, VECTORS), "utf8")) as Suite[];
  return { suites, ignored };
}

function modelOf(suite: Suite, op: Operation): ServiceModel {
  return { metadata: suite.metadata, operations: { [op.name]: op }, shapes: suite.shapes };
}

export function requestOf(s: NonNullable<Case["serialized"]>): HttpRequest {
  const q = s.uri.indexOf("?");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    method: s.method,
    path: q < 0 ? s.uri : s.uri.slice(0, q),
    query: parseQueryString(q < 0 ? "" : s.uri.slice(q)),
    headers,
    body: Buffer.from(s.body ?? "", "utf8"),
  };
}

/** Parsed values in the vectors' notation: epoch seconds, blobs as text, NaN and infinities by name. */
export function normalize(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

/**
 * Top-level members the wire cannot tell from absent: null, and empty lists,
 * maps or structures (an empty query list sends nothing; "{}" as a payload
 * reads back as an empty structure). Both sides drop them before comparing.
 */
export function dropEmpty(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries((v ?? {}) as Record<string, unknown>)) {
    if (x === null || x === undefined) continue;
    if (Array.isArray(x) ? x.length === 0 : typeof x === "object" && Object.keys(x).length === 0) continue;
    out[k] = x;
  }
  return out;
}

function pick(obj: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => obj?.[k] !== undefined).map((k) => [k, obj![k]]));
}

/** What a client reads from a response body: the body members (or payload) by the output shape. */
function clientView(body: unknown, model: ServiceModel, shapeName: string | undefined): unknown {
  const text = Buffer.isBuffer(body) ? body.toString("utf8") : String(body ?? "");
  const plan = bodyPlan(model, shapeName, "output");
  if (plan.kind === "raw") return text;
  if (text.trim() === "" || !shapeName) return {};
  if (plan.kind === "payload") return normalize(readJsonShape(JSON.parse(text), plan.ref, model));
  const shape = model.shapes[shapeName];
  const bodyOnly = { ...shape, members: Object.fromEntries(Object.entries(shape.members ?? {}).filter(([, r]) => isBodyMember(r, "output"))) };
  return normalize(readJsonShape(JSON.parse(text), { shape: "__body" }, { ...model, shapes: { ...model.shapes, __body: bodyOnly } }));
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

function jsonBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString("utf8") : String(body ?? "");
  return text.trim() === "" ? {} : JSON.parse(text);
}

/** The error code as AWS SDKs read it: header first, then body; no namespace, no URI. */
function clientErrorCode(headers: Record<string, string>, body: Record<string, unknown>): string | undefined {
  const raw = header(headers, "x-amzn-errortype") ?? (body.code as string) ?? (body.__type as string);
  return raw?.split(":")[0].split("#").pop();
}

const vectorsPresent = existsSync(new URL("ignore-list.json", VECTORS));

test("restJson1 input vectors", { skip: !vectorsPresent && "protocol vectors absent" }, async (t) => {
  const { suites, ignored } = loadSuites("input", "rest-json");
  let passed = 0;
  for (const suite of suites) {
    for (const c of suite.cases) {
      const skip = ignored.has(c.id) || ignored.has(suite.description) ? "ignore-list.json" : SKIP[c.id];
      await t.test(c.id, { skip }, () => {
        const model = modelOf(suite, c.given);
        const input = restJsonCodec.parseRequest(requestOf(c.serialized!), model, c.given);
        assert.deepEqual(dropEmpty(normalize(input)), dropEmpty(c.params));
        passed++;
      });
    }
  }
  t.diagnostic(`passed ${passed}`);
});

test("restJson1 output vectors", { skip: !vectorsPresent && "protocol vectors absent" }, async (t) => {
  const { suites, ignored } = loadSuites("output", "rest-json");
  let passed = 0;
  for (const suite of suites) {
    for (const c of suite.cases) {
      const skip = ignored.has(c.id) || ignored.has(suite.description) ? "ignore-list.json" : SKIP[c.id];
      await t.test(c.id, { skip }, () => {
        const model = modelOf(suite, c.given);
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
          const body = jsonBody(res.body) as Record<string, unknown>;
          assert.equal(clientErrorCode(res.headers, body), c.errorCode);
          const strip = ({ __type: _t, code: _c, ...rest }: Record<string, unknown>) => rest;
          assert.deepEqual(strip(body), strip(jsonBody(expected.body) as Record<string, unknown>));
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
          assert.equal(header(res.headers, name), value, `header ${name}`);
        }
        passed++;
      });
    }
  }
  t.diagnostic(`passed ${passed}`);
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
