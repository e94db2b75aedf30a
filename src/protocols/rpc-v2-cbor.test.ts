import assert from "node:assert/strict";
import { test } from "node:test";
import { Decoder } from "cbor-x";
import type { Operation, ServiceModel } from "../models/types.js";
import { decodeCbor, encodeCbor } from "./cbor.js";
import type { HttpRequest } from "./http.js";
import { parseRpcV2Path, rpcV2CborCodec } from "./rpc-v2-cbor.js";
import { ServiceError } from "./service-error.js";
import { assertParamsParsed, comparable, requestOf, serializeCase, stripNamespace, testVectorFile, vectorError } from "./test-vectors.js";

// AWS's rpc-v2-cbor vectors (see test-vectors.ts): requests are parsed and
// compared with `params`; `result`/`error` are serialized and the CBOR bodies
// compared as decoded values.

// Cases a server cannot or need not reproduce, each with its reason.
const SKIP: Record<string, string> = {
  NoOutputClientAllowsEmptyCbor: "client leniency: for no output a server sends the no_output form (empty body, no Content-Type)",
  NoOutputClientAllowsEmptyBody: "client leniency: for no output a server sends the no_output form (no Content-Type)",
  RpcV2CborPayloadWithUnsetUnion: "the vector's body contradicts its own Content-Length: 0 and result {}",
};

// Our encoder's output must read the same with a third-party decoder.
const cborX = new Decoder({ useRecords: false, mapsAsObjects: true });
const decodeBoth = (b: Buffer) => {
  const ours = decodeCbor(b);
  assert.deepEqual(comparable(cborX.decode(b), { shape: "__Any" }, anyModel), comparable(ours, { shape: "__Any" }, anyModel));
  return ours;
};
const anyModel = { shapes: { __Any: { type: "string" } } } as unknown as ServiceModel;

for (const file of ["smithy-rpc-v2-cbor.json", "smithy-rpc-v2-cbor-query-compatible.json", "smithy-rpc-v2-cbor-non-query-compatible.json"]) {
  testVectorFile(file, "smithy-rpc-v2-cbor", { skip: SKIP }, {
    input: ({ case: c, model }) => {
      assert.equal(parseRpcV2Path(c.serialized!.uri)?.operation, c.given.name);
      assertParamsParsed(rpcV2CborCodec.parseRequest(requestOf(c.serialized!, "base64"), model, c.given), c, model);
    },
    output: ({ case: c, model }) => {
      const expected = c.response!;
      const res = serializeCase(rpcV2CborCodec, c, model, { requestId: "req-1" });
      assert.equal(res.status, expected.status_code);
      for (const [k, v] of Object.entries(expected.headers ?? {})) assert.equal(res.headers[k.toLowerCase()], v, k);
      if (!c.given.output && !c.errorCode) assert.equal(res.headers["content-type"], undefined);
      const body = res.body as Buffer;
      const theirsBytes = Buffer.from(expected.body ?? "", "base64");
      if (body.length === 0 || theirsBytes.length === 0) {
        // The vectors allow an empty body wherever an empty map is expected (empty_output_no_body).
        const decoded = body.length ? decodeBoth(body) : {};
        return assert.deepEqual(decoded, theirsBytes.length ? decodeCbor(theirsBytes) : {});
      }
      const ours = decodeBoth(body) as Record<string, unknown>;
      const theirs = decodeCbor(theirsBytes) as Record<string, unknown>;
      if (c.errorCode) {
        assert.equal(stripNamespace(ours.__type), stripNamespace(theirs.__type));
        const shapeName = vectorError(c, model).shapeName!;
        assert.deepEqual(comparable(ours, { shape: shapeName }, model), comparable(theirs, { shape: shapeName }, model));
      } else {
        assert.deepEqual(comparable(ours, c.given.output!, model), comparable(theirs, c.given.output!, model));
      }
    },
  });
}

// ---------------------------------------------------------------- beyond the vectors

const model: ServiceModel = {
  metadata: { apiVersion: "2020-01-01", protocol: "smithy-rpc-v2-cbor" },
  operations: {},
  shapes: {
    In: { type: "structure", members: { Name: { shape: "Str" }, Big: { shape: "Long" }, When: { shape: "Ts" }, Data: { shape: "Blob" }, Tags: { shape: "TagMap" }, Ratio: { shape: "Dbl" } } },
    Str: { type: "string" }, Long: { type: "long" }, Ts: { type: "timestamp" }, Blob: { type: "blob" }, Dbl: { type: "double" },
    TagMap: { type: "map", key: { shape: "Str" }, value: { shape: "Str" } },
  },
};
const op: Operation = { name: "Op", http: { method: "POST", requestUri: "/" }, input: { shape: "In" }, output: { shape: "In" } };
const req = (body: Buffer): HttpRequest => ({ method: "POST", path: "/service/S/operation/Op", query: {}, headers: {}, body });

test("decoder: indefinite strings, half floats, tags, bignums", () => {
  assert.deepEqual(decodeCbor(Buffer.from("7f6261626163ff", "hex")), "abc");
  assert.deepEqual(decodeCbor(Buffer.from("5f4201024103ff", "hex")), Buffer.from([1, 2, 3]));
  assert.equal(decodeCbor(Buffer.from("f93e00", "hex")), 1.5);
  assert.equal(decodeCbor(Buffer.from("fa40f40000", "hex")), 7.625);
  assert.deepEqual(decodeCbor(Buffer.from("c11a514b67b0", "hex")), new Date(1363896240000));
  assert.deepEqual(decodeCbor(Buffer.from("c074323031332d30332d32315432303a30343a30305a", "hex")), new Date("2013-03-21T20:04:00Z"));
  assert.equal(decodeCbor(Buffer.from("c249010000000000000000", "hex")), 2 ** 64);
  assert.equal(decodeCbor(Buffer.from("3bffffffffffffffff", "hex")), -(2 ** 64));
});

test("decoder: malformed input is rejected, never a crash", () => {
  for (const hex of ["", "bf61", "a16161", "a1616101ff", "9b00ffffffffffffff", "a101020304", "ff", "7f4161ff", "62c328", "1c"]) {
    assert.throws(() => decodeCbor(Buffer.from(hex, "hex")), hex);
  }
  assert.throws(() => decodeCbor(Buffer.from("81".repeat(10000) + "00", "hex")), /too deep/);
  assert.throws(() => rpcV2CborCodec.parseRequest(req(Buffer.from("bf61", "hex")), model, op),
    (e: unknown) => e instanceof ServiceError && e.code === "SerializationException" && e.status === 400);
  assert.throws(() => rpcV2CborCodec.parseRequest(req(encodeCbor({ Name: 5 })), model, op),
    (e: unknown) => e instanceof ServiceError && e.code === "SerializationException" && /Name/.test(e.message));
});

test("encoder: standard CBOR only (tag 1 timestamps, byte strings, string-keyed maps, 64-bit integers)", () => {
  const res = rpcV2CborCodec.serializeResponse(
    { Name: "n", Big: 2 ** 40, When: new Date(1500), Data: "hi", Tags: { __proto__x: "y" }, Ratio: NaN }, model, op, { requestId: "r" });
  const hex = (res.body as Buffer).toString("hex");
  assert.ok(hex.includes(Buffer.from("Big").toString("hex") + "1b0000010000000000"), "long as a uint64");
  assert.ok(hex.includes("c1fb3ff8000000000000"), "timestamp as tag 1 + float64 1.5");
  assert.ok(hex.includes("426869"), "blob as a byte string");
  assert.ok(!/d9(0103|0040)/.test(hex), "no tag 259 or tag 64");
  assert.equal(res.headers["content-type"], "application/cbor");
  assert.equal(res.headers["smithy-protocol"], "rpc-v2-cbor");
  assert.ok(Number.isNaN((decodeCbor(res.body as Buffer) as Record<string, number>).Ratio));
});

test("errors: bare __type, no query header unless awsQueryCompatible", () => {
  const res = rpcV2CborCodec.serializeError(new ServiceError("ThrottlingException", "slow down", { status: 400 }), model, op, { requestId: "r" });
  assert.deepEqual(decodeCbor(res.body as Buffer), { __type: "ThrottlingException", message: "slow down" });
  assert.equal(res.headers["x-amzn-query-error"], undefined);
});

test("parseRpcV2Path", () => {
  assert.deepEqual(parseRpcV2Path("/prefix/service/GraniteServiceVersion20100801/operation/GetMetricData"),
    { service: "GraniteServiceVersion20100801", operation: "GetMetricData" });
  assert.equal(parseRpcV2Path("/service/x"), undefined);
});
