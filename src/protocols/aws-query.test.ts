import assert from "node:assert/strict";
import { test } from "node:test";
import type { Operation, ServiceModel } from "../models/types.js";
import { awsQueryCodec, queryActionError } from "./aws-query.js";
import type { HttpRequest } from "./http.js";
import { parseQueryString } from "./http.js";
import { ServiceError } from "./service-error.js";
import { assertParamsParsed, comparable, requestOf, serializeCase, testVectorFile } from "./test-vectors.js";
import type { XmlNode } from "./xml-text.js";
import { readXmlShape } from "./xml-shapes.js";
import { parseXml } from "./xml-text.js";

// AWS's awsQuery vectors (see test-vectors.ts): form bodies are parsed and
// compared with `params`; `result`/`error` are serialized and the XML compared
// with the vector's after parsing both: element names, attributes and nesting
// as a tree, and the values as a client reads them.

// Cases a server cannot or need not reproduce, each with its reason.
const SKIP: Record<string, string> = {
  QueryEmptyQueryMaps: "clients send nothing for an empty map, so a server cannot tell it from an absent one",
};
// Known failures in code this file does not own: run, reported, not failing the suite.
const TODO: Record<string, string> = {
  QueryXmlNamespaces: "xml-shapes.ts writes a nested structure's shape-level xmlNamespace; the vector (like rest-xml's) omits it",
};

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

testVectorFile("query.json", "query", { skip: SKIP, todo: TODO }, {
  input: ({ case: c, model }) => assertParamsParsed(awsQueryCodec.parseRequest(requestOf(c.serialized!), model, c.given), c, model),
  output: ({ case: c, model }) => {
    const expected = c.response!;
    const res = serializeCase(awsQueryCodec, c, model, { requestId: "foo-id" });
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
    assert.deepEqual(comparable(readXmlShape(a, ref, model), ref, model), comparable(readXmlShape(b, ref, model), ref, model));
    assert.deepEqual(comparable(readXmlShape(a, ref, model), ref, model), comparable(c.result, ref, model));
  },
});

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

test("Action and Version name the operation, never an input member of those names", () => {
  const versioned: ServiceModel = { ...model, shapes: { ...model.shapes, In: { type: "structure", members: { Version: { shape: "Str" }, Action: { shape: "Str" }, Count: { shape: "Int" } } } } };
  const req = form("Action=DoIt&Version=2012-11-05&Count=2");
  assert.deepEqual(awsQueryCodec.parseRequest(req, versioned, op), { Count: 2 });
  // The form the gateway read to route the request is left whole.
  assert.equal(req.form?.get("Action"), "DoIt");
  assert.equal(req.form?.get("Version"), "2012-11-05");
  assert.deepEqual(awsQueryCodec.parseRequest(form("", "Version=1&Count=4"), versioned, op), { Count: 4 });
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
