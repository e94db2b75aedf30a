import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import type { Operation, ServiceModel, ShapeRef } from "../models/types.js";
import { awsQueryCodec, queryActionError } from "./aws-query.js";
import type { HttpRequest } from "./http.js";
import { parseQueryString } from "./http.js";
import { ServiceError } from "./service-error.js";
import type { XmlNode } from "./xml-shapes.js";
import { parseXml, readXmlShape } from "./xml-shapes.js";

// AWS's awsQuery vectors read backwards, as a server reads them: form bodies
// are parsed and compared with `params`; `result`/`error` are serialized and
// the XML compared with the vector's after parsing both: element names,
// attributes and nesting as a tree, and the values as a client reads them.

const VECTORS = new URL("../../../shared/protocol-tests/", import.meta.url);

// Cases a server cannot or need not reproduce, each with its reason.
const SKIP: Record<string, string> = {
  QueryEmptyQueryMaps: "clients send nothing for an empty map, so a server cannot tell it from an absent one",
};
// Known failures in code this file does not own: run, reported, not failing the suite.
const TODO: Record<string, string> = {
  QueryXmlNamespaces: "xml-shapes.ts writes a nested structure's shape-level xmlNamespace; the vector (like rest-xml's) omits it",
};

interface Suite { description: string; metadata: ServiceModel["metadata"]; shapes: ServiceModel["shapes"]; cases: Case[] }
interface Case {
  id?: string; given: Operation; params?: Record<string, unknown>;
  serialized?: { method: string; uri: string; body?: string; headers?: Record<string, string> };
  result?: Record<string, unknown>; error?: Record<string, unknown>; errorCode?: string; errorMessage?: string;
  response?: { status_code: number; headers?: Record<string, string>; body?: string };
}

const ignoreList = existsSync(new URL("ignore-list.json", VECTORS))
  ? JSON.parse(readFileSync(new URL("ignore-list.json", VECTORS), "utf8")) : {};

function ignored(kind: "input" | "output", suite: Suite, c: Case): string | undefined {
  if ((ignoreList.general?.[kind]?.suites ?? []).includes(suite.description)) return "botocore's ignore-list (suite)";
  if ((ignoreList.protocols?.query?.[kind]?.cases ?? []).includes(c.id)) return "botocore's ignore-list";
  return SKIP[c.id ?? ""];
}

/** A value in the vectors' notation (epoch seconds, utf8 blobs, "NaN") and ours (Date, Buffer, NaN) made comparable. */
function norm(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  if (v === null || v === undefined) return undefined;
  const shape = model.shapes[ref.shape];
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
    case "timestamp": return v instanceof Date ? v.getTime() : Math.round(Number(v) * 1000);
    case "blob": return typeof v === "string" ? Buffer.from(v).toString("base64") : Buffer.from(v as Uint8Array).toString("base64");
    case "float": case "double": return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
    default: return v;
  }
}

/** Turns a vector `result` into what a handler returns: blobs as Buffer, non-finite floats as numbers. */
function toOutput(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  if (v === null || v === undefined) return v;
  const shape = model.shapes[ref.shape];
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

/** Element names, attributes and nesting; text too when `withText`. The root's xmlns is the service's, not the vector's. */
function tree(node: XmlNode, withText: boolean, root = true): unknown {
  return {
    name: node.name,
    attributes: root ? {} : node.attributes,
    ...(withText && !node.children.length ? { text: node.text.trim() } : {}),
    children: node.children.map((c) => tree(c, withText, false)),
  };
}

const child = (node: XmlNode, name: string) => node.children.find((c) => c.name === name);

if (existsSync(new URL("input/query.json", VECTORS))) {
  for (const suite of JSON.parse(readFileSync(new URL("input/query.json", VECTORS), "utf8")) as Suite[]) {
    for (const c of suite.cases) {
      test(`query.json input ${c.id}`, { skip: ignored("input", suite, c) }, () => {
        const model = { metadata: suite.metadata, operations: { [c.given.name]: c.given }, shapes: suite.shapes };
        const s = c.serialized!;
        const [path, search = ""] = s.uri.split("?");
        const req: HttpRequest = { method: s.method, path, query: parseQueryString(search), headers: {}, body: Buffer.from(s.body ?? "") };
        const parsed = awsQueryCodec.parseRequest(req, model, c.given);
        if (!c.given.input) return assert.deepEqual(parsed, {});
        assert.deepEqual(norm(parsed, c.given.input, model), norm(c.params ?? {}, c.given.input, model));
      });
    }
  }
  for (const suite of JSON.parse(readFileSync(new URL("output/query.json", VECTORS), "utf8")) as Suite[]) {
    for (const c of suite.cases) {
      test(`query.json output ${c.id}`, { skip: ignored("output", suite, c), todo: TODO[c.id ?? ""] }, () => {
        const model = { metadata: suite.metadata, operations: { [c.given.name]: c.given }, shapes: suite.shapes };
        const expected = c.response!;
        const ctx = { requestId: "foo-id" };
        const out = c.given.output ? toOutput(c.result, c.given.output, model) as Record<string, unknown> : c.result;
        const res = c.errorCode
          ? awsQueryCodec.serializeError(errorOf(c, model), model, c.given, ctx)
          : awsQueryCodec.serializeResponse(out, model, c.given, ctx);
        assert.equal(res.status, expected.status_code);
        for (const [k, v] of Object.entries(expected.headers ?? {})) assert.equal(res.headers[k.toLowerCase()], v, k);
        const ours = parseXml(String(res.body));
        if (c.errorCode) return assert.deepEqual(tree(ours, true), tree(parseXml(expected.body!), true));
        assert.equal(ours.name, `${c.given.name}Response`);
        assert.equal(child(child(ours, "ResponseMetadata")!, "RequestId")?.text, "foo-id");
        const wrapper = `${c.given.name}Result`;
        if (!expected.body?.trim()) return assert.equal(child(ours, wrapper)?.children.length ?? 0, 0);
        const theirs = parseXml(expected.body);
        const [a, b] = [child(ours, wrapper)!, child(theirs, wrapper)!];
        assert.deepEqual(tree(a, false), tree(b, false));
        const ref = c.given.output!;
        assert.deepEqual(norm(readXmlShape(a, ref, model), ref, model), norm(readXmlShape(b, ref, model), ref, model));
        assert.deepEqual(norm(readXmlShape(a, ref, model), ref, model), norm(c.result, ref, model));
      });
    }
  }
}

// ---------------------------------------------------------------- beyond the vectors

const model: ServiceModel = {
  metadata: { apiVersion: "2012-11-05", protocol: "query", xmlNamespace: "http://example.com/doc/2012-11-05/" },
  operations: {},
  shapes: {
    In: { type: "structure", members: { Count: { shape: "Int" }, Flag: { shape: "Bool" }, When: { shape: "Ts" }, Data: { shape: "Blob" }, Attrs: { shape: "AttrMap", flattened: true, locationName: "Attribute" }, Ids: { shape: "Ids" } } },
    Int: { type: "integer" }, Bool: { type: "boolean" }, Ts: { type: "timestamp" }, Blob: { type: "blob" }, Str: { type: "string" },
    AttrMap: { type: "map", key: { shape: "Str", locationName: "Name" }, value: { shape: "Str", locationName: "Value" } },
    Ids: { type: "list", member: { shape: "Str" } },
    Out: { type: "structure", members: { Ids: { shape: "Ids" } } },
    Gone: { type: "structure", members: { message: { shape: "Str" } }, exception: true, error: { code: "AWS.Gone", httpStatusCode: 400, senderFault: true } },
  },
};
const op: Operation = { name: "DoIt", http: { method: "POST", requestUri: "/" }, input: { shape: "In" }, output: { shape: "Out" } };
const form = (body: string, query = ""): HttpRequest => ({ method: "POST", path: "/", query: parseQueryString(query), headers: {}, body: Buffer.from(body) });

test("reads GET query strings and POST bodies alike, flattened maps with custom names, sparse indices", () => {
  const body = "Action=DoIt&Count=3&Flag=TRUE&When=2015-01-25T08%3A00%3A00Z&Data=aGk%3D&Attribute.2.Name=b&Attribute.2.Value=B&Attribute.1.Name=a&Attribute.1.Value=A&Ids.member.3=z&Ids.member.1=x";
  const expected = { Count: 3, Flag: true, When: new Date("2015-01-25T08:00:00Z"), Data: Buffer.from("hi"), Attrs: { a: "A", b: "B" }, Ids: ["x", "z"] };
  assert.deepEqual(awsQueryCodec.parseRequest(form(body), model, op), expected);
  assert.deepEqual(awsQueryCodec.parseRequest({ ...form(""), method: "GET", query: parseQueryString(body) }, model, op), expected);
  assert.deepEqual(awsQueryCodec.parseRequest(form("Data=a+b%3D"), model, op), { Data: Buffer.from("a+b=", "base64") });
});

test("values the model's type cannot hold are InvalidParameterValue", () => {
  for (const [body, pattern] of [["Count=abc", /Value abc for parameter Count is invalid/], ["Flag=yes", /boolean/], ["When=soon", /timestamp/], ["Data=%25%25", /base64/]] as const) {
    assert.throws(() => awsQueryCodec.parseRequest(form(body), model, op),
      (e: unknown) => e instanceof ServiceError && e.code === "InvalidParameterValue" && e.status === 400 && pattern.test(e.message));
  }
});

test("responses: <Op>Result without resultWrapper, ResponseMetadata, namespace; no output still answers", () => {
  const res = awsQueryCodec.serializeResponse({ Ids: ["a<b"] }, model, op, { requestId: "r-1" });
  assert.equal(res.body, '<DoItResponse xmlns="http://example.com/doc/2012-11-05/"><DoItResult><Ids><member>a&lt;b</member></Ids></DoItResult>' +
    "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DoItResponse>");
  assert.equal(res.headers["x-amzn-requestid"], "r-1");
  const wrapped = awsQueryCodec.serializeResponse({}, model, { ...op, output: { shape: "Out", resultWrapper: "Custom" } }, { requestId: "r" });
  assert.match(String(wrapped.body), /<Custom><\/Custom>/);
  const none = awsQueryCodec.serializeResponse(undefined, model, { ...op, output: undefined }, { requestId: "r" });
  assert.match(String(none.body), /^<DoItResponse[^>]*><ResponseMetadata>/);
});

test("errors: the shape's query code, Sender/Receiver, namespace, request id", () => {
  const res = awsQueryCodec.serializeError(new ServiceError("Gone", "no such thing", { shapeName: "Gone" }), model, op, { requestId: "r-2" });
  assert.equal(res.status, 400);
  assert.equal(res.headers["content-type"], "text/xml");
  assert.equal(res.body, '<ErrorResponse xmlns="http://example.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>AWS.Gone</Code>' +
    "<Message>no such thing</Message></Error><RequestId>r-2</RequestId></ErrorResponse>");
  const internal = awsQueryCodec.serializeError(new ServiceError("InternalFailure", "boom", { status: 500 }), model, undefined, { requestId: "r" });
  assert.match(String(internal.body), /<Type>Receiver<\/Type><Code>InternalFailure<\/Code>/);
});

test("queryActionError", () => {
  assert.equal(queryActionError(undefined).code, "MissingAction");
  assert.equal(queryActionError("Nope").code, "InvalidAction");
  assert.equal(queryActionError("Nope").status, 400);
});
