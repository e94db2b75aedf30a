import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";
import { test } from "node:test";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { clientConfig, useTestServer } from "../../../test/helpers.js";
import { decodeAwsChunked } from "./aws-chunked.js";
import { signatureChainOf } from "./chunk-signatures.js";

// Signed aws-chunked uploads: the chain of chunk signatures from the seed.

// AWS's worked examples (S3 API reference, "Transferring Payload in Multiple
// Chunks" and "Signature calculations for trailing headers"): secret, date, scope
// and every signature below are theirs.
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const exampleHeaders = (seed: string, trailer: boolean) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${seed}`,
  "x-amz-date": "20130524T000000Z",
  "x-amz-content-sha256": trailer ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" : "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
});
const secretOf = (id: string) => (id === "AKIAIOSFODNN7EXAMPLE" ? SECRET : undefined);

function exampleBody(signatures: string[], trailer = ""): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`), Buffer.alloc(65536, "a"), Buffer.from("\r\n"),
    Buffer.from(`400;chunk-signature=${signatures[1]}\r\n`), Buffer.alloc(1024, "a"), Buffer.from("\r\n"),
    Buffer.from(`0;chunk-signature=${signatures[2]}\r\n${trailer}\r\n`),
  ]);
}

const mismatch = /The request signature we calculated does not match the signature you provided/;

test("AWS's chunked-upload example verifies; a changed byte or signature does not", () => {
  const seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  const signatures = [
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
  ];
  const chain = () => signatureChainOf(exampleHeaders(seed, false), secretOf)!;
  assert.equal(decodeAwsChunked(exampleBody(signatures), chain()).bytes.length, 66560);
  const tampered = exampleBody(signatures);
  tampered[100] = 0x62;
  assert.throws(() => decodeAwsChunked(tampered, chain()), mismatch);
  assert.throws(() => decodeAwsChunked(exampleBody([signatures[0], signatures[2], signatures[1]]), chain()), mismatch);
  // An unknown secret: no chain, the framing alone is decoded.
  assert.equal(signatureChainOf(exampleHeaders(seed, false), () => undefined), undefined);
});

test("AWS's trailing-header example verifies, and a changed trailer does not", () => {
  const seed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
  const signatures = [
    "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
    "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
    "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
  ];
  const trailerSignature = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435";
  const chain = () => signatureChainOf(exampleHeaders(seed, true), secretOf)!;
  const good = decodeAwsChunked(exampleBody(signatures, `x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:${trailerSignature}\r\n`), chain());
  assert.equal(good.trailers["x-amz-checksum-crc32c"], "sOO8/Q==");
  assert.throws(() => decodeAwsChunked(exampleBody(signatures, `x-amz-checksum-crc32c:AAAAAA==\r\nx-amz-trailer-signature:${trailerSignature}\r\n`), chain()), mismatch);
  assert.throws(() => decodeAwsChunked(exampleBody(signatures, "x-amz-checksum-crc32c:sOO8/Q==\r\n"), chain()), mismatch);
});

// Over HTTP, with keys Terrarium issued (an IAM user's), whose secret it knows.
const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const port = new URL(server.endpoint).port;

const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** A PutObject signed as the SDKs that stream signed chunks sign it; `corrupt` flips a byte after signing. */
function signedChunkedPut(keys: { id: string; secret: string }, path: string, chunks: Buffer[], corrupt = false): Promise<{ status: number; body: string }> {
  const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const date = now.slice(0, 8);
  const scope = `${date}/us-east-1/s3/aws4_request`;
  const key = hmac(hmac(hmac(hmac(`AWS4${keys.secret}`, date), "us-east-1"), "s3"), "aws4_request");
  const decoded = chunks.reduce((n, c) => n + c.length, 0);
  const host = `127.0.0.1:${port}`;
  const headers: Record<string, string> = {
    "content-encoding": "aws-chunked",
    host,
    "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "x-amz-date": now,
    "x-amz-decoded-content-length": String(decoded),
  };
  const names = Object.keys(headers).sort();
  const canonical = ["PUT", path, "", ...names.map((n) => `${n}:${headers[n]}\n`).join("").split("\n").slice(0, -1), "", names.join(";"), headers["x-amz-content-sha256"]].join("\n");
  let previous = hmac(key, `AWS4-HMAC-SHA256\n${now}\n${scope}\n${sha256(canonical)}`).toString("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${keys.id}/${scope}, SignedHeaders=${names.join(";")}, Signature=${previous}`;
  const parts: Buffer[] = [];
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    previous = hmac(key, `AWS4-HMAC-SHA256-PAYLOAD\n${now}\n${scope}\n${previous}\n${sha256("")}\n${sha256(chunk)}`).toString("hex");
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk, Buffer.from("\r\n"));
  }
  const body = Buffer.concat(parts);
  // The second byte of the first chunk's data.
  if (corrupt) body[body.indexOf("\r\n") + 3] ^= 1;
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "PUT", headers: { ...headers, "content-length": String(body.length) } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("a signed chunked upload with an issued key: good chains are stored, broken ones refused", async () => {
  const iam = server.client(IAMClient);
  await iam.send(new CreateUserCommand({ UserName: "uploader" }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "uploader" }));
  const keys = { id: AccessKey!.AccessKeyId!, secret: AccessKey!.SecretAccessKey! };
  await s3.send(new CreateBucketCommand({ Bucket: "signed-chunks" }));
  const small = [Buffer.from("hello "), Buffer.from("world")];
  const large = [Buffer.alloc(65536, 1), Buffer.alloc(65536, 2), Buffer.alloc(100, 3)];
  for (const [name, chunks] of [["small", small], ["large", large]] as const) {
    const ok = await signedChunkedPut(keys, `/signed-chunks/${name}`, chunks);
    assert.equal(ok.status, 200, ok.body);
    const got = await s3.send(new GetObjectCommand({ Bucket: "signed-chunks", Key: name }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), Buffer.concat(chunks));
    const broken = await signedChunkedPut(keys, `/signed-chunks/${name}-broken`, chunks, true);
    assert.equal(broken.status, 403);
    assert.match(broken.body, /<Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.<\/Message>/);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: "signed-chunks", Key: `${name}-broken` })), { name: "NoSuchKey" });
  }
  // A key Terrarium did not issue has no secret it knows: the chain cannot be checked
  // (signed here with another secret than the one the client may hold).
  const unknown = await signedChunkedPut({ id: "test", secret: "not-the-real-one" }, "/signed-chunks/unknown-key", small);
  assert.equal(unknown.status, 200);
});
