import { RESERVED_ENVIRONMENT_KEYS } from "../../runtime/environment.js";
import { runtimeInfo, UnsupportedRuntimeError } from "../../runtime/runtimes.js";
import { invalidParameter } from "./errors.js";
import { LambdaLimits } from "./limits.js";

// CreateFunction / UpdateFunctionConfiguration checks beyond the model's constraints
// (the generic validation already covers lengths, patterns, enums and ranges).

/** Runtimes AWS has retired for creating and updating functions, with the one it suggests. */
const DEPRECATED: Record<string, string> = {
  nodejs: "nodejs20.x", "nodejs4.3": "nodejs20.x", "nodejs6.10": "nodejs20.x", "nodejs8.10": "nodejs20.x",
  "nodejs10.x": "nodejs20.x", "nodejs12.x": "nodejs20.x", "nodejs14.x": "nodejs20.x", "nodejs16.x": "nodejs20.x",
  "python2.7": "python3.12", "python3.6": "python3.12", "python3.7": "python3.12", "python3.8": "python3.12",
  "dotnetcore1.0": "dotnet8", "dotnetcore2.0": "dotnet8", "dotnetcore2.1": "dotnet8", "dotnetcore3.1": "dotnet8",
  dotnet6: "dotnet8", "ruby2.5": "ruby3.3", "ruby2.7": "ruby3.3", "go1.x": "provided.al2023", provided: "provided.al2023",
};

export function validateRuntime(runtime: string | undefined): string {
  if (runtime === undefined) throw invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  const replacement = DEPRECATED[runtime];
  if (replacement) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
        `We recommend you use the new runtime (${replacement}) while creating or updating functions.`,
    );
  }
  try {
    runtimeInfo(runtime);
  } catch (error) {
    if (error instanceof UnsupportedRuntimeError) throw invalidParameter(error.message);
    throw error;
  }
  return runtime;
}

export function validateTimeout(timeout: number): void {
  if (timeout > LambdaLimits.maxTimeout) {
    throw invalidParameter(`1 validation error detected: Value '${timeout}' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to ${LambdaLimits.maxTimeout}`);
  }
}

/** Reserved keys, worded as AWS words it; and the 4 KB total. */
export function validateEnvironment(variables: Record<string, string> | undefined): void {
  if (!variables) return;
  const reserved = Object.keys(variables).filter((k) => (RESERVED_ENVIRONMENT_KEYS as readonly string[]).includes(k));
  if (reserved.length > 0) {
    throw invalidParameter(
      "Lambda was unable to configure your environment variables because the environment variables you have provided " +
        `contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  const size = Buffer.byteLength(JSON.stringify(variables));
  if (size > LambdaLimits.maxEnvironmentBytes) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(variables)}`,
    );
  }
}

export function validateArchitectures(architectures: string[] | undefined): string[] {
  if (!architectures) return ["x86_64"];
  if (architectures.length !== 1) {
    throw invalidParameter(`1 validation error detected: Value '[${architectures.join(", ")}]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1`);
  }
  return architectures;
}

export function validateLayerCount(layers: string[]): void {
  if (layers.length > LambdaLimits.maxLayers) {
    throw invalidParameter("Cannot reference more than 5 layers.");
  }
}
