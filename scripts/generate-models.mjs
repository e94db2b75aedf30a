// Generates the compact service models under src/models/ from botocore's data:
//   node scripts/generate-models.mjs            (botocore found through python3)
//   BOTOCORE_DATA=/path/to/botocore/data node scripts/generate-models.mjs
// For each supported service it takes the newest API version's service-2.json,
// drops what the server never reads (documentation, examples, endpoint-rule
// context parameters), keeps every wire and constraint trait, applies
// src/models/patches/<svc>.json (RFC 7386 merge patch) and writes a minified
// src/models/<svc>.json, plus src/models/index.json, the small table the gateway
// loads at start-up (full models are loaded lazily on first use).

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const SERVICES = [
  "sts", "iam", "s3", "dynamodb", "dynamodbstreams", "sqs", "sns", "events", "scheduler",
  "lambda", "apigateway", "apigatewayv2", "apigatewaymanagementapi", "stepfunctions",
  "cloudwatch", "logs", "xray", "secretsmanager", "ssm", "kms", "sagemaker",
  "sagemaker-runtime", "cloudformation",
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modelsDir = join(root, "src", "models");
const patchesDir = join(modelsDir, "patches");

// Keys dropped wherever they sit on the model's own objects (metadata, operation,
// shape, shape reference). Member maps are walked by structure, never by key, so
// a member that happens to be called "documentation" survives.
const DROP = new Set([
  "documentation", "documentationUrl", "examples", "deprecatedMessage", "deprecatedSince",
  // Endpoint-rule inputs and client-side endpoint discovery: SDK concerns only.
  "contextParam", "staticContextParams", "operationContextParams", "endpointdiscovery",
  "endpointoperation",
]);
// Metadata the server never reads (the `auth` list stays: it says which schemes clients sign with).
const DROP_METADATA = new Set(["serviceAbbreviation", "checksumFormat"]);

function botocoreLocation() {
  if (process.env.BOTOCORE_DATA) return { dataDir: process.env.BOTOCORE_DATA, version: process.env.BOTOCORE_VERSION ?? "unknown" };
  const out = execFileSync(
    "python3",
    ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__)); print(botocore.__version__)"],
    { encoding: "utf8" },
  ).trim().split("\n");
  return { dataDir: join(out[0], "data"), version: out[1] };
}

function readServiceJson(dataDir, service) {
  const serviceDir = join(dataDir, service);
  // API versions are ISO dates, so the lexically greatest is the newest.
  const versions = readdirSync(serviceDir).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort();
  for (const version of versions.reverse()) {
    const gz = join(serviceDir, version, "service-2.json.gz");
    const plain = join(serviceDir, version, "service-2.json");
    if (existsSync(gz)) return JSON.parse(gunzipSync(readFileSync(gz)).toString("utf8"));
    if (existsSync(plain)) return JSON.parse(readFileSync(plain, "utf8"));
  }
  throw new Error(`no service-2.json for ${service} under ${serviceDir}`);
}

function stripObject(obj, extraDrop) {
  const out = {};
  for (const [key, value] of Object.entries(obj)) {
    if (DROP.has(key) || extraDrop?.has(key)) continue;
    out[key] = value;
  }
  return out;
}

function stripRef(ref) {
  return stripObject(ref);
}

function stripShape(shape) {
  const out = stripObject(shape);
  if (out.members) {
    const members = {};
    for (const [name, ref] of Object.entries(out.members)) members[name] = stripRef(ref);
    out.members = members;
  }
  for (const key of ["member", "key", "value"]) if (out[key]) out[key] = stripRef(out[key]);
  return out;
}

function stripOperation(op) {
  const out = stripObject(op);
  for (const key of ["input", "output"]) if (out[key]) out[key] = stripRef(out[key]);
  if (out.errors) out.errors = out.errors.map(stripRef);
  return out;
}

export function stripModel(model) {
  const operations = {};
  for (const [name, op] of Object.entries(model.operations)) operations[name] = stripOperation(op);
  const shapes = {};
  for (const [name, shape] of Object.entries(model.shapes)) shapes[name] = stripShape(shape);
  return { metadata: stripObject(model.metadata, DROP_METADATA), operations, shapes };
}

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target, patch) {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function indexEntry(name, model) {
  const m = model.metadata;
  return {
    name,
    protocol: m.protocol,
    protocols: m.protocols ?? [m.protocol],
    signingName: m.signingName ?? m.endpointPrefix,
    endpointPrefix: m.endpointPrefix,
    targetPrefix: m.targetPrefix,
    jsonVersion: m.jsonVersion,
    serviceId: m.serviceId,
    apiVersion: m.apiVersion,
    awsQueryCompatible: m.awsQueryCompatible !== undefined,
    operations: Object.keys(model.operations),
  };
}

function main() {
  const { dataDir, version } = botocoreLocation();
  const header = `Generated by scripts/generate-models.mjs from botocore ${version} data; do not edit.`;
  const index = [];
  const sizes = [];
  for (const service of SERVICES) {
    let model = stripModel(readServiceJson(dataDir, service));
    const patchFile = join(patchesDir, `${service}.json`);
    if (existsSync(patchFile)) model = mergePatch(model, JSON.parse(readFileSync(patchFile, "utf8")));
    const text = JSON.stringify({ "//": header, ...model });
    writeFileSync(join(modelsDir, `${service}.json`), text + "\n");
    sizes.push([service, Buffer.byteLength(text) + 1]);
    index.push(indexEntry(service, model));
  }
  const indexText = JSON.stringify({ "//": header, services: index });
  writeFileSync(join(modelsDir, "index.json"), indexText + "\n");
  sizes.push(["index", Buffer.byteLength(indexText) + 1]);

  const total = sizes.reduce((sum, [, n]) => sum + n, 0);
  for (const [name, n] of [...sizes].sort((a, b) => b[1] - a[1])) {
    console.log(`${name.padEnd(26)} ${(n / 1024).toFixed(1).padStart(8)} KiB`);
  }
  console.log(`${"total".padEnd(26)} ${(total / 1024).toFixed(1).padStart(8)} KiB (botocore ${version}, ${dataDir})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
