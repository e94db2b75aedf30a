import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import { CreateBucketCommand, PutBucketWebsiteCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { assertAwsError, clientConfig, useTestServer } from "../../../test/helpers.js";

// Website endpoints (S3 User Guide, "Hosting a static website using Amazon S3"),
// reached through the Host header as browsers reach them.

const server = await useTestServer();
const s3 = new S3Client({ ...clientConfig(server.endpoint), forcePathStyle: true });
const port = new URL(server.endpoint).port;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function website(host: string, path: string, method = "GET", headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers: { host: `${host}:${port}`, ...headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function put(Bucket: string, Key: string, Body: string, extra: Record<string, string> = {}) {
  await s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: "text/html", ...extra }));
}

const site = "site-bucket";
const host = `${site}.s3-website.us-east-1.localhost.localstack.cloud`;

test("index documents, folders and the object's own headers", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: site }));
  await s3.send(new PutBucketWebsiteCommand({
    Bucket: site,
    WebsiteConfiguration: {
      IndexDocument: { Suffix: "index.html" },
      ErrorDocument: { Key: "error.html" },
      RoutingRules: [
        { Condition: { KeyPrefixEquals: "docs/" }, Redirect: { ReplaceKeyPrefixWith: "documents/" } },
        { Condition: { KeyPrefixEquals: "old.html" }, Redirect: { ReplaceKeyWith: "new.html", HttpRedirectCode: "302", HostName: "example.com", Protocol: "https" } },
        { Condition: { HttpErrorCodeReturnedEquals: "404", KeyPrefixEquals: "gone/" }, Redirect: { HostName: "archive.example.com" } },
      ],
    },
  }));
  await put(site, "index.html", "<p>home</p>");
  await put(site, "error.html", "<p>oops</p>");
  await put(site, "blog/index.html", "<p>blog</p>", { CacheControl: "max-age=60" } as never);
  await put(site, "style.css", "body{}", { ContentType: "text/css" });

  const home = await website(host, "/");
  assert.equal(home.status, 200);
  assert.equal(home.body, "<p>home</p>");
  assert.equal(home.headers["content-type"], "text/html");
  assert.ok(home.headers["etag"]);
  // Every documented host form reaches the same site.
  for (const form of [`${site}.s3-website-us-east-1.amazonaws.com`, `${site}.s3-website.localhost.localstack.cloud`, `${site}.s3-website-eu-west-1.localhost`]) {
    assert.equal((await website(form, "/")).body, "<p>home</p>", form);
  }
  const blog = await website(host, "/blog/");
  assert.equal(blog.body, "<p>blog</p>");
  assert.equal(blog.headers["cache-control"], "max-age=60");
  const folder = await website(host, "/blog");
  assert.equal(folder.status, 302);
  assert.equal(folder.headers["location"], "/blog/");
  const css = await website(host, "/style.css");
  assert.equal(css.headers["content-type"], "text/css");
  const head = await website(host, "/style.css", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.headers["content-length"], "6");
  assert.equal(head.body, "");
  const notModified = await website(host, "/style.css", "GET", { "if-none-match": String(css.headers["etag"]) });
  assert.equal(notModified.status, 304);
  const range = await website(host, "/style.css", "GET", { range: "bytes=0-3" });
  assert.equal(range.status, 206);
  assert.equal(range.body, "body");
});

test("the error document answers with the error's status; routing rules and object redirects", async () => {
  const missing = await website(host, "/nope.html");
  assert.equal(missing.status, 404);
  assert.equal(missing.body, "<p>oops</p>");
  assert.equal(missing.headers["content-type"], "text/html");

  const docs = await website(host, "/docs/a/b.html");
  assert.equal(docs.status, 301);
  assert.equal(docs.headers["location"], `http://${host}:${port}/documents/a/b.html`);
  const old = await website(host, "/old.html");
  assert.equal(old.status, 302);
  assert.equal(old.headers["location"], "https://example.com/new.html");
  // An error-code rule applies only when the object is missing.
  const gone = await website(host, "/gone/page.html");
  assert.equal(gone.status, 301);
  assert.equal(gone.headers["location"], "http://archive.example.com/gone/page.html");
  await put(site, "gone/here.html", "still here");
  assert.equal((await website(host, "/gone/here.html")).body, "still here");

  await put(site, "moved.html", "", { WebsiteRedirectLocation: "/blog/" });
  const moved = await website(host, "/moved.html");
  assert.equal(moved.status, 301);
  assert.equal(moved.headers["location"], "/blog/");

  await assertAwsError(s3.send(new PutObjectCommand({ Bucket: site, Key: "bad-redirect", Body: "", WebsiteRedirectLocation: "elsewhere" })), {
    code: "InvalidArgument", message: "The website redirect location must have a prefix of 'http://' or 'https://' or '/'", status: 400,
  });

  const post = await website(host, "/index.html", "POST");
  assert.equal(post.status, 405);
  assert.match(post.body, /<li>Code: MethodNotAllowed<\/li>/);
});

test("HTML error pages: no such key, no error document, no website configuration, no bucket", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "plain-site" }));
  const plainHost = "plain-site.s3-website-us-east-1.localhost.localstack.cloud";
  const noConfig = await website(plainHost, "/");
  assert.equal(noConfig.status, 404);
  assert.equal(noConfig.headers["content-type"], "text/html; charset=utf-8");
  assert.match(noConfig.body, /<h1>404 Not Found<\/h1>/);
  assert.match(noConfig.body, /<li>Code: NoSuchWebsiteConfiguration<\/li>\n<li>Message: The specified bucket does not have a website configuration<\/li>\n<li>BucketName: plain-site<\/li>/);

  await s3.send(new PutBucketWebsiteCommand({ Bucket: "plain-site", WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" }, ErrorDocument: { Key: "404.html" } } }));
  const noKey = await website(plainHost, "/a/");
  assert.equal(noKey.status, 404);
  assert.match(noKey.body, /<li>Code: NoSuchKey<\/li>\n<li>Message: The specified key does not exist.<\/li>\n<li>Key: a\/index.html<\/li>\n<li>RequestId: [A-Z0-9]{16}<\/li>/);
  assert.match(noKey.body, /<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document<\/h3>\n<ul>\n<li>Code: NoSuchKey<\/li>\n<li>Message: The specified key does not exist.<\/li>\n<li>Key: 404.html<\/li>/);
  assert.equal(noKey.headers["x-amz-request-id"]?.length, 16);

  const noBucket = await website("no-such-site.s3-website.us-east-1.localhost.localstack.cloud", "/");
  assert.equal(noBucket.status, 404);
  assert.match(noBucket.body, /<li>Code: NoSuchBucket<\/li>\n<li>Message: The specified bucket does not exist<\/li>\n<li>BucketName: no-such-site<\/li>/);
});

test("RedirectAllRequestsTo sends every path to the other host", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "redirect-site" }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: "redirect-site", WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: "www.example.com", Protocol: "https" } } }));
  const answer = await website("redirect-site.s3-website.us-east-1.localhost.localstack.cloud", "/a/b.html");
  assert.equal(answer.status, 301);
  assert.equal(answer.headers["location"], "https://www.example.com/a/b.html");
  // The REST endpoint of the same bucket still answers the API.
  const api = await website("redirect-site.s3.localhost.localstack.cloud", "/?list-type=2");
  assert.match(api.body, /<ListBucketResult/);
});
