import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateAliasCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, DeleteFunctionUrlConfigCommand, GetFunctionUrlConfigCommand,
  LambdaClient, ListFunctionUrlConfigsCommand, PublishVersionCommand, UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { assertAwsError, python, useTestServer } from "../../../test/helpers.js";

// Function URLs: the control plane, and HTTP requests to the URL's host turned into
// the version 2.0 event, the function's answer into the HTTP response.

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const port = new URL(server.endpoint).port;

const ECHO = `exports.handler = async (event) => {
  if (event.rawPath === "/created") return { statusCode: 201, headers: { "content-type": "text/plain", "x-made": "yes" }, body: "created" };
  if (event.rawPath === "/binary") return { statusCode: 200, headers: { "content-type": "application/octet-stream" }, body: Buffer.from([1, 2, 3]).toString("base64"), isBase64Encoded: true };
  if (event.rawPath === "/plain") return { plain: true };
  if (event.rawPath === "/boom") throw new Error("boom");
  return { statusCode: 200, body: JSON.stringify(event) };
};`;

/** An HTTP request to 127.0.0.1 with the function URL's Host (no DNS needed). */
function call(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const host = new URL(url).host;
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("create, get, update, list, delete a function URL, with AWS's errors", async () => {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "url-crud", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipSync({ "index.js": strToU8(ECHO) }) },
  }));
  const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-crud", AuthType: "NONE", Cors: { AllowOrigins: ["*"] } }));
  assert.match(created.FunctionUrl!, new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost\\.localstack\\.cloud:${port}/$`));
  assert.equal(created.FunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:url-crud");
  assert.equal(created.AuthType, "NONE");
  assert.equal(created.InvokeMode, "BUFFERED");
  await assertAwsError(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-crud", AuthType: "NONE" })), {
    code: "ResourceConflictException",
    message: "Failed to create function url config for [functionArn = arn:aws:lambda:us-east-1:000000000000:function:url-crud]. Error message:  FunctionUrlConfig exists for this Lambda function",
  });
  const updated = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "url-crud", AuthType: "AWS_IAM" }));
  assert.equal(updated.AuthType, "AWS_IAM");
  assert.equal(updated.FunctionUrl, created.FunctionUrl);
  assert.deepEqual(updated.Cors?.AllowOrigins, ["*"]);

  await lambda.send(new PublishVersionCommand({ FunctionName: "url-crud" }));
  await lambda.send(new CreateAliasCommand({ FunctionName: "url-crud", Name: "live", FunctionVersion: "1" }));
  const viaBoto = await python(server.endpoint, [
    "c = client('lambda')",
    "u = c.create_function_url_config(FunctionName='url-crud', Qualifier='live', AuthType='NONE')",
    "ls = c.list_function_url_configs(FunctionName='url-crud')['FunctionUrlConfigs']",
    "print(json.dumps({'arn': u['FunctionArn'], 'count': len(ls)}))",
  ].join("\n"));
  assert.deepEqual(viaBoto, { arn: "arn:aws:lambda:us-east-1:000000000000:function:url-crud:live", count: 2 });
  const listed = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: "url-crud" }));
  assert.equal(listed.FunctionUrlConfigs?.length, 2);

  await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: "url-crud" }));
  await assertAwsError(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "url-crud" })), {
    code: "ResourceNotFoundException", message: "The resource you requested does not exist.", status: 404,
  });
  assert.equal((await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: "url-crud", Qualifier: "live" }))).AuthType, "NONE");
  // The deleted URL's host answers 404.
  assert.equal((await call(created.FunctionUrl!, "GET", "/")).status, 404);
});

test("an HTTP request to the URL's host: the version 2.0 event and the response mapping", async () => {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "url-echo", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipSync({ "index.js": strToU8(ECHO) }) },
  }));
  const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-echo", AuthType: "NONE" }));
  const urlId = new URL(FunctionUrl!).hostname.split(".")[0];

  const echoed = await call(FunctionUrl!, "PUT", "/items/42?x=1&x=2&y=z&constructor=c&__proto__=p", JSON.stringify({ hello: "world" }), {
    "content-type": "application/json", "x-custom": "v", cookie: "a=1; b=2", "user-agent": "test-agent",
  });
  assert.equal(echoed.status, 200);
  const event = JSON.parse(echoed.body.toString());
  assert.equal(event.version, "2.0");
  assert.equal(event.routeKey, "$default");
  assert.equal(event.rawPath, "/items/42");
  assert.equal(event.rawQueryString, "x=1&x=2&y=z&constructor=c&__proto__=p");
  // Parameter names are the caller's text: "constructor" and "__proto__" are no exception.
  assert.deepEqual(event.queryStringParameters, JSON.parse('{"x": "1,2", "y": "z", "constructor": "c", "__proto__": "p"}'));
  assert.deepEqual(event.cookies, ["a=1", "b=2"]);
  assert.equal(event.headers["x-custom"], "v");
  assert.equal(event.body, '{"hello":"world"}');
  assert.equal(event.isBase64Encoded, false);
  assert.equal(event.requestContext.http.method, "PUT");
  assert.equal(event.requestContext.http.path, "/items/42");
  assert.equal(event.requestContext.http.userAgent, "test-agent");
  assert.equal(event.requestContext.apiId, urlId);
  assert.equal(event.requestContext.domainPrefix, urlId);
  assert.equal(event.requestContext.accountId, "anonymous");
  assert.match(event.requestContext.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);

  const binary = await call(FunctionUrl!, "POST", "/echo", "\u0000\u0001", { "content-type": "application/octet-stream" });
  assert.equal(JSON.parse(binary.body.toString()).isBase64Encoded, true);
  const created = await call(FunctionUrl!, "POST", "/created");
  assert.equal(created.status, 201);
  assert.equal(created.body.toString(), "created");
  assert.equal(created.headers["content-type"], "text/plain");
  assert.equal(created.headers["x-made"], "yes");
  const binaryOut = await call(FunctionUrl!, "GET", "/binary");
  assert.deepEqual([...binaryOut.body], [1, 2, 3]);
  const plain = await call(FunctionUrl!, "GET", "/plain");
  assert.equal(plain.status, 200);
  assert.deepEqual(JSON.parse(plain.body.toString()), { plain: true });
  const boom = await call(FunctionUrl!, "GET", "/boom");
  assert.equal(boom.status, 502);

  // Through Lambda's internal route the function's headers are kept too.
  const internal = `${server.endpoint}/_terrarium/lambda/function-urls/000000000000/us-east-1/${urlId}`;
  const full = await fetch(`${internal}/created`, { method: "POST" });
  assert.equal(full.status, 201);
  assert.equal(full.headers.get("content-type"), "text/plain");
  assert.equal(full.headers.get("x-made"), "yes");
  const bytes = await fetch(`${internal}/binary`);
  assert.deepEqual([...new Uint8Array(await bytes.arrayBuffer())], [1, 2, 3]);
});

test("an AWS_IAM URL refuses unsigned requests", async () => {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "url-iam", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipSync({ "index.js": strToU8(ECHO) }) },
  }));
  const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-iam", AuthType: "AWS_IAM" }));
  const refused = await call(FunctionUrl!, "GET", "/");
  assert.equal(refused.status, 403);
  assert.deepEqual(JSON.parse(refused.body.toString()), { Message: "Forbidden" });
});

test("an unsigned call reaches another account's AuthType NONE URL", async () => {
  const other = server.client(LambdaClient, { account: "111111111111" });
  await other.send(new CreateFunctionCommand({
    FunctionName: "url-other", Runtime: "nodejs20.x", Role: "arn:aws:iam::111111111111:role/lambda-role", Handler: "index.handler",
    Code: { ZipFile: zipSync({ "index.js": strToU8("exports.handler = async (event, context) => ({ arn: context.invokedFunctionArn, account: event.requestContext.accountId });") }) },
  }));
  const { FunctionUrl } = await other.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-other", AuthType: "NONE" }));
  const res = await call(FunctionUrl!, "GET", "/");
  assert.equal(res.status, 200, res.body.toString());
  assert.deepEqual(JSON.parse(res.body.toString()), { arn: "arn:aws:lambda:us-east-1:111111111111:function:url-other", account: "anonymous" });
  // The default account has no such function: its own URL ids stay its own.
  const unknown = await call(FunctionUrl!.replace(/^http:\/\/[a-z0-9]{32}/, `http://${"0".repeat(32)}`), "GET", "/");
  assert.equal(unknown.status, 404);
});

test("CORS: Lambda answers preflights from the URL's Cors configuration, and adds its headers to responses", async () => {
  const handler = `exports.handler = async (event) => ({ statusCode: 200, headers: { "x-made": "yes" }, body: event.requestContext.http.method });`;
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "url-cors", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipSync({ "index.js": strToU8(handler) }) },
  }));
  const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({
    FunctionName: "url-cors", AuthType: "AWS_IAM",
    Cors: { AllowOrigins: ["https://app.example.com"], AllowMethods: ["GET", "POST"], AllowHeaders: ["x-custom", "content-type"], ExposeHeaders: ["x-made"], MaxAge: 300, AllowCredentials: true },
  }));
  const ORIGIN = "https://app.example.com";
  // A browser's preflight is unsigned; the AWS_IAM URL still answers it, without running the function.
  const allowed = await call(FunctionUrl!, "OPTIONS", "/items", undefined, { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "x-custom" });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.body.length, 0);
  assert.equal(allowed.headers["access-control-allow-origin"], ORIGIN);
  assert.equal(allowed.headers["access-control-allow-methods"], "GET,POST");
  assert.equal(allowed.headers["access-control-allow-headers"], "x-custom,content-type");
  assert.equal(allowed.headers["access-control-allow-credentials"], "true");
  assert.equal(allowed.headers["access-control-max-age"], "300");

  for (const [origin, method] of [["https://evil.example.com", "GET"], [ORIGIN, "DELETE"]]) {
    const refused = await call(FunctionUrl!, "OPTIONS", "/items", undefined, { origin, "access-control-request-method": method });
    assert.equal(refused.status, 200);
    assert.equal(refused.headers["access-control-allow-origin"], undefined, `${origin} ${method}`);
    assert.equal(refused.headers["access-control-allow-methods"], undefined);
  }

  // The same preflight sent to the URL's path on Terrarium's own host (no lambda-url Host) is answered alike.
  const urlId = new URL(FunctionUrl!).hostname.split(".")[0];
  const direct = (origin: string) => call(server.endpoint, "OPTIONS", `/_terrarium/lambda/function-urls/000000000000/us-east-1/${urlId}/items`, undefined, { origin, "access-control-request-method": "POST" });
  const directAllowed = await direct(ORIGIN);
  assert.equal(directAllowed.headers["access-control-allow-origin"], ORIGIN);
  assert.equal(directAllowed.headers["access-control-allow-methods"], "GET,POST");
  assert.equal(directAllowed.headers["access-control-max-age"], "300");
  assert.equal((await direct("https://evil.example.com")).headers["access-control-allow-origin"], undefined);

  // After a Cors update the preflight follows the new configuration.
  await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: "url-cors", AuthType: "NONE", Cors: { AllowOrigins: ["*"], AllowMethods: ["*"] } }));
  const any = await call(FunctionUrl!, "OPTIONS", "/", undefined, { origin: "https://elsewhere.example", "access-control-request-method": "DELETE" });
  assert.equal(any.headers["access-control-allow-origin"], "*");
  assert.equal(any.headers["access-control-allow-methods"], "*");
  const actual = await call(FunctionUrl!, "GET", "/", undefined, { origin: "https://elsewhere.example" });
  assert.equal(actual.body.toString(), "GET");
  assert.equal(actual.headers["access-control-allow-origin"], "*");
  assert.equal(actual.headers["x-made"], "yes");

  // Without a Cors configuration, OPTIONS is a request like any other: the function answers it.
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "url-nocors", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: zipSync({ "index.js": strToU8(handler) }) },
  }));
  const plain = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-nocors", AuthType: "NONE" }));
  const passed = await call(plain.FunctionUrl!, "OPTIONS", "/", undefined, { origin: ORIGIN, "access-control-request-method": "POST" });
  assert.equal(passed.status, 200);
  assert.equal(passed.body.toString(), "OPTIONS");
  assert.equal(passed.headers["access-control-allow-origin"], undefined);
});
