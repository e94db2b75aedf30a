import type {
  DeleteLayerVersionRequest, GetLayerVersionRequest, GetLayerVersionResponse, ListLayersRequest, ListLayersResponse,
  ListLayerVersionsRequest, ListLayerVersionsResponse, PublishLayerVersionRequest, PublishLayerVersionResponse,
} from "@aws-sdk/client-lambda";
import { codeBytes } from "../code-source.js";
import { lambdaTimestamp } from "../names.js";
import type { LayerVersionRecord } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaContext, LambdaHandler } from "../types.js";
import { layerVersionView } from "../views.js";
import { paginate } from "./functions.js";
import { layerPath } from "../internal-routes.js";

// Layers: each version is a zip, extracted on first use; functions merge their
// layers, in order, into one /opt (runtime/layers.ts).

/** A LayerName as given: a name or the layer's ARN. */
export function layerName(value: string | undefined): string {
  const m = /^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:([a-zA-Z0-9-_]+)$/.exec(value ?? "");
  return m ? m[1] : (value ?? "");
}

function fullView(store: LambdaStore, v: LayerVersionRecord, ctx: LambdaContext): GetLayerVersionResponse {
  const base = ctx.http?.host ? `http://${ctx.http.host}` : ctx.endpoint;
  return {
    ...layerVersionView(store, v),
    Content: {
      Location: base + layerPath(store.account, store.region, v.name, v.version),
      CodeSha256: v.codeSha256,
      CodeSize: v.codeSize,
    },
  } as GetLayerVersionResponse;
}

export const PublishLayerVersion: LambdaHandler<PublishLayerVersionRequest, PublishLayerVersionResponse> = async (input, ctx) => {
  const store = ctx.store;
  const name = layerName(input.LayerName);
  const zip = await codeBytes(input.Content ?? {}, ctx);
  const code = store.putCode(zip);
  const layer = store.layer(name) ?? { name, lastVersion: 0, versions: {} };
  layer.lastVersion += 1;
  const record: LayerVersionRecord = {
    name,
    version: layer.lastVersion,
    description: input.Description ?? "",
    createdDate: lambdaTimestamp(ctx.clock.now()),
    compatibleRuntimes: input.CompatibleRuntimes,
    compatibleArchitectures: input.CompatibleArchitectures,
    licenseInfo: input.LicenseInfo,
    ...code,
  };
  layer.versions[String(record.version)] = record;
  store.saveLayer(layer);
  return fullView(store, record, ctx);
};

export const GetLayerVersion: LambdaHandler<GetLayerVersionRequest, GetLayerVersionResponse> = (input, ctx) => {
  return fullView(ctx.store, ctx.store.layerVersion(layerName(input.LayerName), input.VersionNumber!), ctx);
};

export const DeleteLayerVersion: LambdaHandler<DeleteLayerVersionRequest, object> = (input, ctx) => {
  const store = ctx.store;
  const layer = store.layer(layerName(input.LayerName));
  const version = layer?.versions[String(input.VersionNumber)];
  // Deleting a version that does not exist succeeds, as on AWS. Functions that use
  // the version keep its code (AWS keeps a copy for them); so do we, while any does.
  if (layer && version) {
    delete layer.versions[String(input.VersionNumber)];
    store.saveLayer(layer);
    store.dropCodeIfUnused(version.codeId);
  }
  return {};
};

function matches(v: LayerVersionRecord, runtime?: string, architecture?: string): boolean {
  if (runtime && !v.compatibleRuntimes?.includes(runtime)) return false;
  if (architecture && !v.compatibleArchitectures?.includes(architecture)) return false;
  return true;
}

export const ListLayerVersions: LambdaHandler<ListLayerVersionsRequest, ListLayerVersionsResponse> = (input, ctx) => {
  const store = ctx.store;
  const layer = store.layer(layerName(input.LayerName));
  const versions = Object.values(layer?.versions ?? {})
    .filter((v) => matches(v, input.CompatibleRuntime, input.CompatibleArchitecture))
    .sort((a, b) => b.version - a.version)
    .map((v) => layerVersionView(store, v));
  return paginate(versions, input.Marker, input.MaxItems, "LayerVersions");
};

export const ListLayers: LambdaHandler<ListLayersRequest, ListLayersResponse> = (input, ctx) => {
  const store = ctx.store;
  const layers = [];
  for (const layer of store.allLayers()) {
    const latest = Object.values(layer.versions)
      .filter((v) => matches(v, input.CompatibleRuntime, input.CompatibleArchitecture))
      .sort((a, b) => b.version - a.version)[0];
    if (latest) layers.push({ LayerName: layer.name, LayerArn: store.layerArn(layer.name), LatestMatchingVersion: layerVersionView(store, latest) });
  }
  return paginate(layers, input.Marker, input.MaxItems, "Layers");
};
