import { readFileSync } from "node:fs";
import type { ProtocolName, ServiceModel } from "./types.js";

// Reads the generated model files that sit beside this module: src/models/*.json
// under tsx, dist/models/*.json after the build copies them next to the js.
// The gateway reads only the small index at start-up; a service's full model is
// parsed on first use (sagemaker alone is ~650 KiB) and then kept.

/** One line of src/models/index.json (written by scripts/generate-models.mjs). */
export interface ModelIndexEntry {
  /** botocore's service name, also the model file's name: "dynamodb", "sagemaker-runtime". */
  name: string;
  protocol: ProtocolName;
  /** Every protocol the service speaks, in the model's order of preference. */
  protocols: ProtocolName[];
  /** SigV4 credential-scope service name (metadata.signingName ?? endpointPrefix). */
  signingName: string;
  endpointPrefix: string;
  /** X-Amz-Target prefix of json-protocol services, e.g. "DynamoDB_20120810". */
  targetPrefix?: string;
  jsonVersion?: string;
  serviceId: string;
  apiVersion: string;
  awsQueryCompatible: boolean;
  operations: string[];
}

const models = new Map<string, ServiceModel>();
let index: ModelIndexEntry[] | undefined;

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`./${file}`, import.meta.url), "utf8"));
}

export function loadModel(name: string): ServiceModel {
  let model = models.get(name);
  if (!model) {
    // Guard the file name: it comes from routing, and must not walk out of this folder.
    if (!/^[a-z0-9-]+$/.test(name) || name === "index") throw new Error(`no service model named ${JSON.stringify(name)}`);
    const { metadata, operations, shapes } = readJson(`${name}.json`) as ServiceModel;
    model = { metadata, operations, shapes };
    models.set(name, model);
  }
  return model;
}

export function loadModelIndex(): ModelIndexEntry[] {
  index ??= (readJson("index.json") as { services: ModelIndexEntry[] }).services;
  return index;
}
