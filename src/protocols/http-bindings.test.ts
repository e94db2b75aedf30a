import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import type { Operation, ServiceModel, ShapeRef } from "../models/types.js";
import type { HttpRequest } from "./http.js";
import { readRequestBindings, splitHeaderList, writeResponseBindings } from "./http-bindings.js";
import { createRestRouter, matchRequestUri, restRouterFor } from "./rest-router.js";

function op(name: string, method: string, requestUri: string, input?: string, deprecated?: boolean): Operation {
  return { name, http: { method, requestUri }, ...(input ? { input: { shape: input } } : {}), ...(deprecated ? { deprecated } : {}) };
}

// Members the S3-like inputs below share.
const bucketLabel: Record<string, ShapeRef> = { Bucket: { shape: "S", location: "uri", locationName: "Bucket" } };
const objectLabels: Record<string, ShapeRef> = { ...bucketLabel, Key: { shape: "S", location: "uri", locationName: "Key" } };
const copySource: Record<string, ShapeRef> = { CopySource: { shape: "S", location: "header", locationName: "x-amz-copy-source" } };
const partQuery: Record<string, ShapeRef> = {
  PartNumber: { shape: "I", location: "querystring", locationName: "partNumber" },
  UploadId: { shape: "S", location: "querystring", locationName: "uploadId" },
};

// The templates S3 makes collide, in miniature.
const s3ish: ServiceModel = {
  metadata: { apiVersion: "2006-03-01", protocol: "rest-xml" },
  operations: Object.fromEntries(
    [
      op("ListBuckets", "GET", "/"),
      op("CreateBucket", "PUT", "/{Bucket}", "BucketIn"),
      op("ListObjects", "GET", "/{Bucket}", "BucketIn"),
      op("ListObjectsV2", "GET", "/{Bucket}?list-type=2", "BucketIn"),
      op("GetBucketTagging", "GET", "/{Bucket}?tagging", "BucketIn"),
      op("GetBucketLifecycle", "GET", "/{Bucket}?lifecycle", "BucketIn", true),
      op("GetBucketLifecycleConfiguration", "GET", "/{Bucket}?lifecycle", "BucketIn"),
      op("GetBucketAnalyticsConfiguration", "GET", "/{Bucket}?analytics", "AnalyticsIn"),
      op("ListBucketAnalyticsConfigurations", "GET", "/{Bucket}?analytics", "BucketIn"),
      op("GetObject", "GET", "/{Bucket}/{Key+}", "ObjectIn"),
      op("GetObjectTagging", "GET", "/{Bucket}/{Key+}?tagging", "ObjectIn"),
      op("PutObject", "PUT", "/{Bucket}/{Key+}", "ObjectIn"),
      op("UploadPart", "PUT", "/{Bucket}/{Key+}", "UploadPartIn"),
      op("CopyObject", "PUT", "/{Bucket}/{Key+}", "CopyIn"),
      op("UploadPartCopy", "PUT", "/{Bucket}/{Key+}", "UploadPartCopyIn"),
      op("SelectObjectContent", "POST", "/{Bucket}/{Key+}?select&select-type=2", "ObjectIn"),
      op("GetRoutes", "GET", "/v1/instances/{Name+}/routes", "NameIn"),
      op("GetInstance", "GET", "/v1/instances/{Name+}", "NameIn"),
      op("GetFunction", "GET", "/2015-03-31/functions/{FunctionName}", "FnIn"),
      op("GetFunctionConfiguration", "GET", "/2015-03-31/functions/{FunctionName}/configuration", "FnIn"),
      op("ListFunctions", "GET", "/2015-03-31/functions/", "FnIn"),
    ].map((o) => [o.name, o]),
  ),
  shapes: {
    S: { type: "string" },
    I: { type: "integer" },
    BucketIn: { type: "structure", required: ["Bucket"], members: { ...bucketLabel } },
    AnalyticsIn: {
      type: "structure",
      required: ["Bucket", "Id"],
      members: { ...bucketLabel, Id: { shape: "S", location: "querystring", locationName: "id" } },
    },
    ObjectIn: { type: "structure", required: ["Bucket", "Key"], members: { ...objectLabels } },
    UploadPartIn: { type: "structure", required: ["Bucket", "Key", "PartNumber", "UploadId"], members: { ...objectLabels, ...partQuery } },
    CopyIn: { type: "structure", required: ["Bucket", "Key", "CopySource"], members: { ...objectLabels, ...copySource } },
    UploadPartCopyIn: {
      type: "structure",
      required: ["Bucket", "Key", "CopySource", "PartNumber", "UploadId"],
      members: { ...objectLabels, ...copySource, ...partQuery },
    },
    NameIn: { type: "structure", members: { Name: { shape: "S", location: "uri", locationName: "Name" } } },
    FnIn: { type: "structure", members: { FunctionName: { shape: "S", location: "uri", locationName: "FunctionName" } } },
  },
};

/** `router`: the shared one (built once per model), or a fresh one. */
function route(method: string, url: string, headers: Record<string, string> = {}, router = restRouterFor(s3ish)) {
  const [path, search = ""] = url.split("?");
  const query: Record<string, string[]> = {};
  for (const part of search.split("&").filter(Boolean)) {
    const [k, v = ""] = part.split("=");
    (query[decodeURIComponent(k)] ??= []).push(decodeURIComponent(v));
  }
  const m = router.match(method, path, query, headers);
  return m && { op: m.operation.name, labels: m.labels };
}

test("the most specific template wins", () => {
  assert.deepEqual(route("GET", "/"), { op: "ListBuckets", labels: {} });
  assert.equal(route("GET", "/b")?.op, "ListObjects");
  assert.equal(route("GET", "/b/")?.op, "ListObjects", "a trailing slash is not an empty key");
  assert.equal(route("GET", "/b?list-type=2&prefix=x")?.op, "ListObjectsV2");
  assert.equal(route("GET", "/b?list-type=1")?.op, "ListObjects", "a literal value must match");
  assert.equal(route("GET", "/b?tagging")?.op, "GetBucketTagging");
  assert.equal(route("GET", "/b?tagging=")?.op, "GetBucketTagging");
  assert.deepEqual(route("GET", "/b/a/b%2Fc/?tagging"), { op: "GetObjectTagging", labels: { Bucket: "b", Key: "a/b/c/" } });
  assert.deepEqual(route("GET", "/b/a%20key+x"), { op: "GetObject", labels: { Bucket: "b", Key: "a key+x" } });
  assert.equal(route("POST", "/b/k?select&select-type=2")?.op, "SelectObjectContent");
  assert.equal(route("POST", "/b/k?select")?.op, undefined);
  assert.equal(route("DELETE", "/b"), undefined);
});

test("required query members and headers break ties between equal templates", () => {
  assert.equal(route("PUT", "/b/k")?.op, "PutObject");
  assert.equal(route("PUT", "/b/k?partNumber=1&uploadId=u")?.op, "UploadPart");
  assert.equal(route("PUT", "/b/k", { "x-amz-copy-source": "/s/k" })?.op, "CopyObject");
  assert.equal(route("PUT", "/b/k?partNumber=1&uploadId=u", { "x-amz-copy-source": "/s/k" })?.op, "UploadPartCopy");
  assert.equal(route("GET", "/b?analytics")?.op, "ListBucketAnalyticsConfigurations");
  assert.equal(route("GET", "/b?analytics&id=a")?.op, "GetBucketAnalyticsConfiguration");
  assert.equal(route("GET", "/b?lifecycle")?.op, "GetBucketLifecycleConfiguration", "the deprecated twin loses");
});

test("literal segments beat labels; greedy labels may sit mid-path", () => {
  assert.deepEqual(route("GET", "/v1/instances/arn:a/b/routes"), { op: "GetRoutes", labels: { Name: "arn:a/b" } });
  assert.deepEqual(route("GET", "/v1/instances/arn:a/b"), { op: "GetInstance", labels: { Name: "arn:a/b" } });
  assert.equal(route("GET", "/2015-03-31/functions/f/configuration")?.op, "GetFunctionConfiguration");
  assert.deepEqual(route("GET", "/2015-03-31/functions/my%3Afn"), { op: "GetFunction", labels: { FunctionName: "my:fn" } });
  assert.equal(route("GET", "/2015-03-31/functions/")?.op, "ListFunctions");
});

test("matchRequestUri decodes labels and checks literal query parts", () => {
  assert.deepEqual(matchRequestUri("/{Bucket}/{Key+}", "/b/%F0%9F%98%B9/x", {}), { Bucket: "b", Key: "😹/x" });
  assert.equal(matchRequestUri("/{Bucket}?uploads", "/b", {}), undefined);
  assert.equal(matchRequestUri("/things/{Id}", "/things/", {}), undefined, "labels are never empty");
});

test("a remembered route is only reused for requests alike in all that decides it", () => {
  const requests: [string, string, Record<string, string>?][] = [
    ["PUT", "/b/k"],
    ["PUT", "/b/k", { "x-amz-copy-source": "/s/k" }],
    ["PUT", "/b/k?partNumber=1&uploadId=u"],
    ["GET", "/b?list-type=2"],
    ["GET", "/b?list-type=1"],
    ["GET", "/b?list-type=2%26tagging"],
    ["GET", "/b?list-type=2&tagging"],
    ["GET", "/b?tagging"],
    ["GET", "/b/"],
    ["GET", "/b//"],
    ["GET", "/2015-03-31/functions/f/configuration"],
    ["GET", "/2015-03-31/functions/f/other"],
    ["GET", "/v1/instances/arn:a/b/routes"],
    ["GET", "/v1/instances/arn:a/b/routez"],
  ];
  for (const order of [requests, [...requests].reverse(), requests]) {
    for (const [method, url, headers] of order) {
      assert.deepEqual(route(method, url, headers), route(method, url, headers, createRestRouter(s3ish)), `${method} ${url}`);
    }
  }
});

// Speed is the bench's business (npm run bench), not a timed assertion here.
test("the router is built once per model", () => {
  assert.equal(restRouterFor(s3ish), restRouterFor(s3ish));
});

// ---------------------------------------------------------------- bindings

const bindingModel: ServiceModel = {
  metadata: { apiVersion: "1", protocol: "rest-json" },
  operations: { Op: op("Op", "POST", "/things/{Id}?fixed=1", "In") },
  shapes: {
    In: {
      type: "structure",
      members: {
        Id: { shape: "I", location: "uri", locationName: "Id" },
        When: { shape: "T", location: "header", locationName: "X-When" },
        Whens: { shape: "TL", location: "header", locationName: "X-Whens" },
        Tags: { shape: "SL", location: "header", locationName: "X-Tags" },
        Meta: { shape: "SM", location: "headers", locationName: "x-amz-meta-" },
        Json: { shape: "S", location: "header", locationName: "X-Json", jsonvalue: true },
        Flag: { shape: "B", location: "querystring", locationName: "flag" },
        Rest: { shape: "SM", location: "querystring" },
        Code: { shape: "I", location: "statusCode" },
      },
    },
    S: { type: "string" },
    I: { type: "integer" },
    B: { type: "boolean" },
    T: { type: "timestamp" },
    TL: { type: "list", member: { shape: "T" } },
    SL: { type: "list", member: { shape: "S" } },
    SM: { type: "map", key: { shape: "S" }, value: { shape: "S" } },
  },
};

test("reads uri, header, prefix-header, query and query-map bindings", () => {
  const req: HttpRequest = {
    method: "POST",
    path: "/things/42",
    query: { fixed: ["1"], flag: ["true"], extra: ["x"] },
    headers: {
      "x-when": "Mon, 16 Dec 2019 23:48:18 GMT",
      "x-whens": "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
      "x-tags": 'a, "b,c", "\\"d\\""',
      "x-amz-meta-color": "blue",
      "x-json": Buffer.from('{"a":1}').toString("base64"),
    },
    body: Buffer.alloc(0),
  };
  assert.deepEqual(readRequestBindings(req, bindingModel, bindingModel.operations.Op), {
    Id: 42,
    When: new Date("2019-12-16T23:48:18Z"),
    Whens: [new Date("2019-12-16T23:48:18Z"), new Date("2019-12-17T23:48:18Z")],
    Tags: ["a", "b,c", '"d"'],
    Meta: { color: "blue" },
    Json: '{"a":1}',
    Flag: true,
    Rest: { flag: "true", extra: "x" },
  });
});

test("writes headers, prefix headers and the status code", () => {
  const out = writeResponseBindings(
    { Code: 201, When: 1576540098, Tags: ["a", "b,c"], Meta: { color: "blue" }, Json: { a: 1 }, Id: 7 },
    bindingModel,
    "In",
  );
  assert.equal(out.status, 201);
  assert.deepEqual(out.headers, {
    "X-When": "Mon, 16 Dec 2019 23:48:18 GMT",
    "X-Tags": 'a, "b,c"',
    "x-amz-meta-color": "blue",
    "X-Json": Buffer.from('{"a":1}').toString("base64"),
  });
});

test("header lists split on commas outside quotes", () => {
  assert.deepEqual(splitHeaderList("a,b, c"), ["a", "b", "c"]);
  assert.deepEqual(splitHeaderList('"a, b", c'), ["a, b", "c"]);
  assert.deepEqual(splitHeaderList(""), []);
});

// ---------------------------------------------------------------- every REST operation AWS models

/** botocore's data directory, when the machine's python3 has botocore (it is the model source). */
function botocoreData(): string | undefined {
  try {
    const dir = execFileSync("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"], {
      encoding: "utf8",
      timeout: 10_000,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return existsSync(join(dir, "data")) ? join(dir, "data") : undefined;
  } catch {
    return undefined;
  }
}

const data = botocoreData();

test("routes a request for every operation of every REST service in botocore", { skip: !data && "botocore not installed" }, (t) => {
  let checked = 0;
  const ambiguous: string[] = [];
  for (const service of readdirSync(data!, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const versions = readdirSync(join(data!, service)).filter((v) => existsSync(join(data!, service, v, "service-2.json.gz")));
    if (!versions.length) continue;
    const file = join(data!, service, versions.sort().at(-1)!, "service-2.json.gz");
    const model = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as ServiceModel;
    if (model.metadata.protocol !== "rest-json" && model.metadata.protocol !== "rest-xml") continue;
    const router = createRestRouter(model);
    for (const operation of Object.values(model.operations)) {
      const { path, query, headers } = sampleRequest(model, operation);
      const found = router.match(operation.http.method, path, query, headers)?.operation;
      checked++;
      if (found === operation) continue;
      // Twins (same template, same required members) cannot be told apart by any server.
      if (found && signature(model, found) === signature(model, operation)) {
        ambiguous.push(`${service}.${operation.name}~${found.name}`);
        continue;
      }
      assert.fail(`${service}: ${operation.http.method} ${operation.http.requestUri} routed to ${found?.name} not ${operation.name}`);
    }
  }
  assert.ok(checked > 1000, `checked ${checked}`);
  t.diagnostic(`${checked} operations; indistinguishable twins: ${ambiguous.join(" ")}`);
});

function sampleRequest(model: ServiceModel, operation: Operation) {
  const [template, search = ""] = operation.http.requestUri.split("?");
  const path = template.replace(/\{([^}]+?)(\+)?\}/g, (_, _name, greedy) => (greedy ? "a/b" : "x1")) || "/";
  const query: Record<string, string[]> = {};
  for (const part of search.split("&").filter(Boolean)) {
    const [k, v = ""] = part.split("=");
    query[k] = [v];
  }
  const headers: Record<string, string> = {};
  const input = operation.input ? model.shapes[operation.input.shape] : undefined;
  for (const name of input?.required ?? []) {
    const ref = input!.members![name];
    if (ref.location === "querystring" && model.shapes[ref.shape].type !== "map") query[ref.locationName ?? name] = ["1"];
    if (ref.location === "header") headers[(ref.locationName ?? name).toLowerCase()] = "1";
  }
  return { path, query, headers };
}

function signature(model: ServiceModel, operation: Operation): string {
  const input = operation.input ? model.shapes[operation.input.shape] : undefined;
  const required = (input?.required ?? [])
    .map((n) => input!.members![n])
    .filter((r) => r.location === "querystring" || r.location === "header")
    .map((r) => r.locationName)
    .sort();
  const template = operation.http.requestUri.replace(/\{[^}]+?\}/g, "{}");
  return `${operation.http.method} ${template} ${required.join(",")}`;
}
