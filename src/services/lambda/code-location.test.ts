import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetLayerVersionCommand, LambdaClient,
  PublishLayerVersionCommand, PublishVersionCommand, UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { python, useTestServer } from "../../../test/helpers.js";

// GetFunction's Code.Location and GetLayerVersion's Content.Location are URLs
// Terrarium serves: downloading them gives back the zip whose hash is CodeSha256.

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64");

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  assert.equal(res.headers.get("content-type"), "application/zip");
  return Buffer.from(await res.arrayBuffer());
}

test("Code.Location downloads the function's zip, per version", async () => {
  const first = zip({ "index.js": "exports.handler = async () => 1;" });
  const created = await lambda.send(new CreateFunctionCommand({
    FunctionName: "located", Runtime: "nodejs20.x", Role: ROLE, Handler: "index.handler", Code: { ZipFile: first },
  }));
  await lambda.send(new PublishVersionCommand({ FunctionName: "located" }));
  const second = zip({ "index.js": "exports.handler = async () => 2;" });
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "located", ZipFile: second }));

  const latest = await lambda.send(new GetFunctionCommand({ FunctionName: "located" }));
  assert.equal(latest.Code?.RepositoryType, "S3");
  assert.ok(latest.Code?.Location?.startsWith(server.endpoint), latest.Code?.Location);
  const latestZip = await download(latest.Code!.Location!);
  assert.deepEqual(new Uint8Array(latestZip), second);
  assert.equal(sha256(latestZip), latest.Configuration?.CodeSha256);

  const v1 = await lambda.send(new GetFunctionCommand({ FunctionName: "located", Qualifier: "1" }));
  const v1Zip = await download(v1.Code!.Location!);
  assert.equal(sha256(v1Zip), created.CodeSha256);
  assert.equal(sha256(v1Zip), v1.Configuration?.CodeSha256);

  // Once the function is gone, so is its package.
  await lambda.send(new DeleteFunctionCommand({ FunctionName: "located" }));
  assert.equal((await fetch(latest.Code!.Location!)).status, 404);
});

test("Content.Location downloads a layer version's zip (SDK and boto3)", async () => {
  const content = zip({ "nodejs/node_modules/greet/index.js": "module.exports = () => 'hi';" });
  const published = await lambda.send(new PublishLayerVersionCommand({ LayerName: "located-layer", Content: { ZipFile: content } }));
  const got = await lambda.send(new GetLayerVersionCommand({ LayerName: "located-layer", VersionNumber: published.Version }));
  const bytes = await download(got.Content!.Location!);
  assert.equal(sha256(bytes), got.Content?.CodeSha256);
  assert.equal(bytes.length, got.Content?.CodeSize);

  const viaBoto = await python(server.endpoint, [
    "import urllib.request, hashlib, base64",
    "c = client('lambda')",
    `fn = c.create_function(FunctionName='located-py', Runtime='python3.12', Role='${ROLE}', Handler='app.handler', Code={'ZipFile': b'PK\\x05\\x06' + b'\\x00' * 18})`,
    "loc = c.get_function(FunctionName='located-py')['Code']['Location']",
    "data = urllib.request.urlopen(loc).read()",
    "layer = c.get_layer_version(LayerName='located-layer', VersionNumber=1)['Content']",
    "ldata = urllib.request.urlopen(layer['Location']).read()",
    "h = lambda b: base64.b64encode(hashlib.sha256(b).digest()).decode()",
    "print(json.dumps({'fn': h(data) == fn['CodeSha256'], 'layer': h(ldata) == layer['CodeSha256']}))",
  ].join("\n"));
  assert.deepEqual(viaBoto, { fn: true, layer: true });
});
