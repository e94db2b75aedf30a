import assert from "node:assert/strict";
import { test } from "node:test";
import { CreateBucketCommand, GetBucketCorsCommand, PutBucketCorsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, testCredentials, useTestServer } from "../../../test/helpers.js";
import { corsResponseHeaders, preflight, readCorsRules, wildcardMatch, type CorsRequest } from "./cors.js";
import type { BucketRecord } from "./records.js";

// Expectations follow S3's answers to preflights (403 AccessForbidden with
// Method and ResourceType, "CORSResponse: ..." messages, S3 User Guide "Using
// cross-origin resource sharing" for the matching rules).

const ORIGIN = "https://app.example.com";
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / " +
  "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

function bucketWith(cors?: unknown): BucketRecord {
  return { name: "b", account: "000000000000", region: "us-east-1", created: 0, configs: cors === undefined ? {} : { Cors: cors } };
}

const rules = readCorsRules([
  { ID: "site", AllowedOrigins: ["https://*.example.com"], AllowedMethods: ["GET", "PUT"], AllowedHeaders: ["x-amz-*", "Content-Type"], ExposeHeaders: ["ETag", "x-amz-version-id"], MaxAgeSeconds: 600 },
  { AllowedOrigins: ["*"], AllowedMethods: ["HEAD"] },
]);
const bucket = bucketWith(rules);
const SITE = {
  "access-control-allow-origin": ORIGIN,
  "access-control-allow-methods": "GET, PUT",
  "access-control-expose-headers": "ETag, x-amz-version-id",
  "access-control-max-age": "600",
  "access-control-allow-credentials": "true",
  vary: VARY,
};
const EVERYONE = { "access-control-allow-origin": "*", "access-control-allow-methods": "HEAD", vary: VARY };

const ask = (origin?: string, method?: string, headers?: string, onBucket = false): CorsRequest => ({
  method: "OPTIONS",
  key: onBucket ? undefined : "k",
  headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
});

function error(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    const err = e as { code: string; message: string; status?: number; fields?: Record<string, unknown> };
    return { code: err.code, message: err.message, ...(err.fields ?? {}) };
  }
  throw new Error("expected an error");
}

test("wildcards match any run of characters, also none", () => {
  assert.equal(wildcardMatch("https://*.example.com", "https://app.example.com"), true);
  assert.equal(wildcardMatch("https://*.example.com", "https://example.com"), false);
  assert.equal(wildcardMatch("http://localhost:*", "http://localhost:3000"), true);
  assert.equal(wildcardMatch("*", "null"), true);
  assert.equal(wildcardMatch("x-amz-*", "x-amz-meta-name"), true);
  assert.equal(wildcardMatch("https://a.com", "https://a.com.evil"), false);
});

test("a preflight gets the headers of the first rule that matches", () => {
  assert.deepEqual(preflight(bucket, ask(ORIGIN, "GET")), SITE);
  assert.deepEqual(preflight(bucket, ask(ORIGIN, "PUT", "Content-Type, X-Amz-Meta-Name")), {
    ...SITE,
    "access-control-allow-headers": "content-type, x-amz-meta-name",
  });
  assert.deepEqual(preflight(bucket, ask("null", "HEAD")), EVERYONE);
});

test("a preflight that no rule allows is AccessForbidden", () => {
  const forbidden = (Method: string, ResourceType: string, message = NOT_ALLOWED) => ({ code: "AccessForbidden", message, Method, ResourceType });
  assert.deepEqual(error(() => preflight(bucket, ask(ORIGIN, "DELETE"))), forbidden("DELETE", "OBJECT"));
  assert.deepEqual(error(() => preflight(bucket, ask("https://example.org", "GET", undefined, true))), forbidden("GET", "BUCKET"));
  assert.deepEqual(error(() => preflight(bucket, ask(ORIGIN, "GET", "authorization"))), forbidden("GET", "OBJECT"));
  assert.deepEqual(error(() => preflight(bucketWith(), ask(ORIGIN, "GET"))), forbidden("GET", "OBJECT", "CORSResponse: CORS is not enabled for this bucket."));
  assert.deepEqual(error(() => preflight(bucketWith(null), ask(ORIGIN, "PUT", undefined, true))), forbidden("PUT", "BUCKET", "CORSResponse: CORS is not enabled for this bucket."));
  assert.deepEqual(error(() => preflight(undefined, ask(ORIGIN, "GET"))), forbidden("GET", "OBJECT", "CORSResponse: Bucket not found"));
});

test("a preflight without Origin or with a bad method is BadRequest", () => {
  assert.deepEqual(error(() => preflight(bucket, ask(undefined, "GET"))), { code: "BadRequest", message: "Insufficient information. Origin request header needed." });
  assert.deepEqual(error(() => preflight(bucket, ask(ORIGIN))), { code: "BadRequest", message: "Invalid Access-Control-Request-Method: null" });
  assert.deepEqual(error(() => preflight(bucket, ask(ORIGIN, "PATCH"))), { code: "BadRequest", message: "Invalid Access-Control-Request-Method: PATCH" });
});

test("actual responses carry the matching rule's headers", () => {
  const actual = (method: string, origin?: string, requestMethod?: string) =>
    corsResponseHeaders(bucket, { method, key: "k", headers: { origin, "access-control-request-method": requestMethod } });
  assert.deepEqual(actual("GET", ORIGIN), SITE);
  assert.deepEqual(actual("HEAD", "https://example.org"), EVERYONE);
  assert.equal(actual("GET", "https://example.org"), undefined);
  assert.equal(actual("GET"), undefined);
  assert.equal(actual("DELETE", ORIGIN), undefined);
  // S3 takes the method from Access-Control-Request-Method when the request has it.
  assert.deepEqual(actual("DELETE", ORIGIN, "GET"), SITE);
  assert.equal(actual("GET", ORIGIN, "DELETE"), undefined);
  assert.equal(corsResponseHeaders(bucketWith(), { method: "GET", headers: { origin: ORIGIN } }), undefined);
});

const server = await useTestServer();

test("PutBucketCors checks methods and wildcards", async () => {
  const s3 = new S3Client({ ...clientConfig(server.endpoint, "us-east-1", testCredentials({})), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "cors-rules" }));
  await assertAwsError(
    s3.send(new PutBucketCorsCommand({ Bucket: "cors-rules", CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["PATCH"] }] } })),
    { code: "InvalidRequest", message: "Found unsupported HTTP method in CORS config. Unsupported method is PATCH", status: 400 },
  );
  await assertAwsError(
    s3.send(new PutBucketCorsCommand({ Bucket: "cors-rules", CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["https://*.*.com"], AllowedMethods: ["GET"] }] } })),
    { code: "InvalidRequest", message: 'AllowedOrigin "https://*.*.com" can not have more than one wildcard.', status: 400 },
  );
  const CORSRules = [{ ID: "site", AllowedOrigins: [ORIGIN], AllowedMethods: ["GET"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"], MaxAgeSeconds: 60 }];
  await s3.send(new PutBucketCorsCommand({ Bucket: "cors-rules", CORSConfiguration: { CORSRules } }));
  assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket: "cors-rules" }))).CORSRules, CORSRules);
  s3.destroy();
});

// Through the gateway: a browser's preflight and actual requests to a bucket are
// answered from the bucket's CORS rules, as S3 answers them.
test("preflights and responses through the gateway follow the bucket's rules", async () => {
  {
    const s3 = new S3Client({ ...clientConfig(server.endpoint, "us-east-1", testCredentials({})), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "cors-site" }));
    await s3.send(new PutObjectCommand({ Bucket: "cors-site", Key: "a.txt", Body: "hi" }));
    const preflightTo = (origin: string, method: string) =>
      fetch(`${server.endpoint}/cors-site/a.txt`, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": method } });

    const disabled = await preflightTo("https://app.example.com", "GET");
    assert.equal(disabled.status, 403);
    assert.match(await disabled.text(), /<Code>AccessForbidden<\/Code><Message>CORSResponse: CORS is not enabled for this bucket\.<\/Message>/);
    const plain = await fetch(`${server.endpoint}/cors-site/a.txt`, { headers: { Origin: "https://app.example.com" } });
    assert.equal(plain.headers.get("access-control-allow-origin"), null);

    await s3.send(new PutBucketCorsCommand({ Bucket: "cors-site", CORSConfiguration: { CORSRules: [{ AllowedOrigins: ["https://*.example.com"], AllowedMethods: ["GET", "PUT"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"], MaxAgeSeconds: 600 }] } }));
    const allowed = await preflightTo("https://app.example.com", "PUT");
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.example.com");
    assert.equal(allowed.headers.get("access-control-max-age"), "600");
    assert.equal((await preflightTo("https://evil.test", "GET")).status, 403);
    const actual = await fetch(`${server.endpoint}/cors-site/a.txt`, { headers: { Origin: "https://app.example.com" } });
    assert.equal(await actual.text(), "hi");
    assert.equal(actual.headers.get("access-control-allow-origin"), "https://app.example.com");
    assert.equal(actual.headers.get("access-control-expose-headers"), "ETag");
    s3.destroy();
  }
});
