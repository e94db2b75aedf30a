import assert from "node:assert/strict";
import { test } from "node:test";
import type { ServiceModel } from "../models/types.js";
import type { HttpRequest, HttpResponse } from "./http.js";
import { bodyPlan } from "./http-bindings.js";
import { MALFORMED_XML_MESSAGE, restXmlCodec } from "./rest-xml.js";
import { ServiceError } from "./service-error.js";
import { bodyText, dropEmpty, headerOf, pick, requestOf, testVectorGroup, vectorNotation, type Case } from "./test-vectors.js";
import { readXmlMembers, readXmlShape, writeXmlShape } from "./xml-shapes.js";
import { parseXml, type XmlNode } from "./xml-text.js";

// AWS's restXml protocol vectors (see test-vectors.ts), read as a server reads
// them: parse each input case's request and expect its params; serialize each
// output case's result (or error) and expect what a client reads from the
// vector's response.

/** Cases that test client-only behaviour, beyond ignore-list.json. */
const SKIP: Record<string, string> = {
  RestXmlQueryParamsStringListMap:
    "client-only: a client leaves out map keys a named member claims; a server's map holds every parameter (AllQueryStringTypes)",
};

/** What a client reads from a response body: the body members (or payload) by the output shape. */
function clientView(body: string, model: ServiceModel, shapeName: string | undefined): unknown {
  const plan = bodyPlan(model, shapeName, "output");
  if (plan.kind === "raw") return body;
  if (body.trim() === "" || plan.kind === "none") return {};
  if (plan.kind === "payload") return vectorNotation(readXmlShape(parseXml(body), plan.ref, model));
  return vectorNotation(readXmlMembers(parseXml(body), shapeName!, model, "output"));
}

/**
 * An element tree as comparable data: names and attributes (xmlns too), in
 * document order. Leaf text is left to clientView: "2019-12-16T22:48:18-01:00"
 * and "2019-12-16T23:48:18Z" are the same timestamp.
 */
function tree(node: XmlNode): unknown {
  return { name: node.name, attributes: node.attributes, children: node.children.map(tree) };
}

/**
 * A server's query-bound map holds every parameter (RestJsonAllQueryStringTypes
 * says so); the restXml vectors were written for clients, whose params leave the
 * map out. Check that rule, then compare without the map.
 */
function checkQueryMaps(input: Record<string, unknown>, c: Case, shapes: ServiceModel["shapes"]): Record<string, unknown> {
  const members = (c.given.input && shapes[c.given.input.shape].members) || {};
  const out = { ...input };
  for (const [name, ref] of Object.entries(members)) {
    if (ref.location !== "querystring" || shapes[ref.shape].type !== "map" || c.params?.[name] !== undefined) continue;
    const query = requestOf(c.serialized!).query;
    const expected = Object.keys(query).length ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v[0]])) : undefined;
    assert.deepEqual(out[name], expected, `${name} holds every query parameter`);
    delete out[name];
  }
  return out;
}

function errorNode(root: XmlNode): XmlNode {
  return root.name === "Error" ? root : root.children.find((c) => c.name === "Error")!;
}

function childText(node: XmlNode, name: string): string | undefined {
  return node.children.find((c) => c.name === name)?.text;
}

testVectorGroup("restXml input vectors", "input", "rest-xml.json", "rest-xml", SKIP, ({ suite, case: c, model }) => {
  const input = checkQueryMaps(restXmlCodec.parseRequest(requestOf(c.serialized!), model, c.given), c, suite.shapes);
  assert.deepEqual(dropEmpty(vectorNotation(input)), dropEmpty(c.params));
});

testVectorGroup("restXml output vectors", "output", "rest-xml.json", "rest-xml", SKIP, ({ suite, case: c, model }) => {
  const expected = c.response!;
  const ctx = { requestId: "foo-id" };
  let res: HttpResponse;
  if (c.error) {
    const shape = suite.shapes[c.errorCode!];
    const { Message: message, ...fields } = c.error;
    const err = new ServiceError(c.errorCode!, c.errorMessage ?? String(message ?? ""), {
      status: shape?.error?.httpStatusCode,
      senderFault: shape?.error?.senderFault,
      fields,
      shapeName: c.errorCode,
    });
    res = restXmlCodec.serializeError(err, model, c.given, ctx);
    const ours = errorNode(parseXml(bodyText(res.body)));
    const theirs = errorNode(parseXml(expected.body!));
    for (const name of ["Type", "Code", "Message"]) assert.equal(childText(ours, name), childText(theirs, name), name);
    const read = (n: XmlNode) => vectorNotation(readXmlMembers(n, c.errorCode!, model, "output"));
    assert.deepEqual(read(ours), read(theirs));
  } else {
    res = restXmlCodec.serializeResponse(c.result, model, c.given, ctx);
    const shapeName = c.given.output?.shape;
    const ours = bodyText(res.body);
    const view = clientView(ours, model, shapeName);
    assert.deepEqual(view, clientView(expected.body ?? "", model, shapeName));
    const plan = bodyPlan(model, shapeName, "output");
    if (plan.kind === "members") assert.deepEqual(dropEmpty(view), dropEmpty(pick(c.result, plan.members)));
    if (plan.kind !== "raw" && expected.body?.trim().startsWith("<")) {
      assert.deepEqual(tree(parseXml(ours)), tree(parseXml(expected.body)));
    }
  }
  assert.equal(res.status, expected.status_code);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    if (name.toLowerCase() === "content-length") continue; // the gateway's
    assert.equal(headerOf(res.headers, name), value, `header ${name}`);
  }
});

// ---------------------------------------------------------------- beyond the vectors

const model: ServiceModel = {
  metadata: { apiVersion: "2006-03-01", protocol: "rest-xml", noErrorWrapping: true } as ServiceModel["metadata"],
  operations: {
    PutTagging: {
      name: "PutTagging",
      http: { method: "PUT", requestUri: "/{Bucket}?tagging" },
      input: { shape: "PutTaggingRequest" },
    },
  },
  shapes: {
    PutTaggingRequest: {
      type: "structure",
      required: ["Bucket", "Tagging"],
      members: {
        Bucket: { shape: "S", location: "uri", locationName: "Bucket" },
        Tagging: { shape: "Tagging", locationName: "Tagging" },
      },
      payload: "Tagging",
    },
    Tagging: { type: "structure", members: { TagSet: { shape: "TagSet" } } },
    TagSet: { type: "list", member: { shape: "Tag", locationName: "Tag" } },
    Tag: { type: "structure", members: { Key: { shape: "S" }, Value: { shape: "S" } } },
    NoSuchBucket: { type: "structure", members: {}, error: { httpStatusCode: 404 }, exception: true },
    S: { type: "string" },
  },
};
const op = model.operations.PutTagging;

function put(body: string): HttpRequest {
  return { method: "PUT", path: "/my-bucket", query: { tagging: [""] }, headers: {}, body: Buffer.from(body) };
}

test("parses an S3-style payload", () => {
  const body = '<?xml version="1.0"?><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>' +
    "<Tag><Key>a</Key><Value> x &amp; y </Value></Tag></TagSet></Tagging>";
  assert.deepEqual(restXmlCodec.parseRequest(put(body), model, op), {
    Bucket: "my-bucket",
    Tagging: { TagSet: [{ Key: "a", Value: " x & y " }] },
  });
});

test("malformed XML is MalformedXML with S3's message, never a crash", () => {
  for (const body of ["<Tagging>", "<a></b>", "not xml", "<Tagging>&bogus;</Tagging>", "<a/><b/>"]) {
    assert.throws(() => restXmlCodec.parseRequest(put(body), model, op), (e: unknown) => {
      return e instanceof ServiceError && e.code === "MalformedXML" && e.message === MALFORMED_XML_MESSAGE && e.status === 400;
    }, body);
  }
});

test("S3 errors use the bare <Error> form and both request id headers", () => {
  const err = new ServiceError("NoSuchBucket", "The specified bucket does not exist", {
    status: 404,
    fields: { BucketName: "my-bucket" },
  });
  const res = restXmlCodec.serializeError(err, model, op, { requestId: "REQ1" });
  assert.equal(res.status, 404);
  assert.equal(res.headers["x-amz-request-id"], "REQ1");
  assert.ok(res.headers["x-amz-id-2"]);
  const root = parseXml(bodyText(res.body));
  assert.equal(root.name, "Error");
  assert.deepEqual(
    root.children.map((c) => [c.name, c.text]),
    [["Code", "NoSuchBucket"], ["Message", "The specified bucket does not exist"], ["BucketName", "my-bucket"], ["RequestId", "REQ1"]],
  );
});

test("without noErrorWrapping, errors use <ErrorResponse> with <Type>", () => {
  const wrapped = { ...model, metadata: { apiVersion: "2020-05-31", protocol: "rest-xml" as const } };
  const res = restXmlCodec.serializeError(new ServiceError("NoSuchBucket", "gone", { status: 404 }), wrapped, op, { requestId: "R" });
  const root = parseXml(bodyText(res.body));
  assert.equal(root.name, "ErrorResponse");
  assert.equal(childText(errorNode(root), "Type"), "Sender");
});

test("text escapes CR and LF as AWS does, and reads them back", () => {
  const xml = writeXmlShape("a\r\nb<", { shape: "S" }, model, "V");
  assert.equal(xml, "<V>a&#xD;&#xA;b&lt;</V>");
  assert.equal(readXmlShape(parseXml(xml), { shape: "S" }, model), "a\r\nb<");
});
