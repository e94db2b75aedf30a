import type { AliasConfiguration, FunctionConfiguration, LayerVersionsListItem } from "@aws-sdk/client-lambda";
import type { LambdaStore } from "./store.js";
import type { AliasRecord, FunctionRecord, LayerVersionRecord, VersionRecord } from "./records.js";

// Records to the API's shapes.

export interface StateView {
  State: "Pending" | "Active";
  LastUpdateStatus: "InProgress" | "Successful";
}

/** Stored versions are ready: code is extracted (and checked) before a write is acknowledged. */
export const READY: StateView = { State: "Active", LastUpdateStatus: "Successful" };

/**
 * FunctionConfiguration. `qualifiedArn`: published versions and ListVersionsByFunction
 * show the qualified ARN; GetFunction on $LATEST shows the unqualified one.
 * `state`: CreateFunction answers Pending and Update* InProgress, as AWS does, and
 * every later read shows the settled state, which is what the SDK waiters
 * (FunctionActiveV2, FunctionUpdatedV2) poll for.
 */
export function functionConfiguration(
  store: LambdaStore,
  fn: FunctionRecord,
  v: VersionRecord,
  { qualifiedArn = v.version !== "$LATEST", state = READY }: { qualifiedArn?: boolean; state?: StateView } = {},
): FunctionConfiguration {
  return {
    FunctionName: fn.name,
    FunctionArn: store.arn(fn.name, qualifiedArn ? v.version : undefined),
    Runtime: v.runtime as FunctionConfiguration["Runtime"],
    Role: v.role,
    Handler: v.handler,
    CodeSize: v.codeSize,
    Description: v.description,
    Timeout: v.timeout,
    MemorySize: v.memorySize,
    LastModified: v.lastModified,
    CodeSha256: v.codeSha256,
    Version: v.version,
    ...(v.environment ? { Environment: { Variables: v.environment } } : {}),
    ...(v.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: v.deadLetterTargetArn } } : {}),
    ...(v.kmsKeyArn ? { KMSKeyArn: v.kmsKeyArn } : {}),
    TracingConfig: { Mode: v.tracingMode as "Active" | "PassThrough" },
    RevisionId: v.revisionId,
    ...(v.layers.length
      ? { Layers: v.layers.map((arn) => ({ Arn: arn, CodeSize: safeLayerSize(store, arn) })) }
      : {}),
    State: state.State,
    ...(state.State === "Pending"
      ? { StateReason: "The function is being created.", StateReasonCode: "Creating" as const }
      : {}),
    LastUpdateStatus: state.LastUpdateStatus,
    ...(state.LastUpdateStatus === "InProgress"
      ? { LastUpdateStatusReason: state.State === "Pending" ? "The function is being created." : "The function is being updated." }
      : {}),
    PackageType: "Zip",
    Architectures: v.architectures as ("x86_64" | "arm64")[],
    EphemeralStorage: { Size: v.ephemeralStorage },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    RuntimeVersionConfig: {
      RuntimeVersionArn: `arn:aws:lambda:${store.region}::runtime:${"0".repeat(64)}`,
    },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
  };
}

function safeLayerSize(store: LambdaStore, arn: string): number | undefined {
  try {
    return store.requireLayerVersion(arn).codeSize;
  } catch {
    return undefined;
  }
}

export function aliasConfiguration(store: LambdaStore, fn: FunctionRecord, alias: AliasRecord): AliasConfiguration {
  return {
    AliasArn: store.arn(fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(alias.weights ? { RoutingConfig: { AdditionalVersionWeights: alias.weights } } : {}),
    RevisionId: alias.revisionId,
  };
}

export function layerVersionView(store: LambdaStore, v: LayerVersionRecord): LayerVersionsListItem & { LayerArn: string } {
  return {
    LayerArn: store.layerArn(v.name),
    LayerVersionArn: store.layerArn(v.name, v.version),
    Version: v.version,
    Description: v.description,
    CreatedDate: v.createdDate,
    ...(v.compatibleRuntimes?.length ? { CompatibleRuntimes: v.compatibleRuntimes as LayerVersionsListItem["CompatibleRuntimes"] } : {}),
    ...(v.compatibleArchitectures?.length ? { CompatibleArchitectures: v.compatibleArchitectures as ("x86_64" | "arm64")[] } : {}),
    ...(v.licenseInfo ? { LicenseInfo: v.licenseInfo } : {}),
  };
}
