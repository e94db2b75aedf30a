import type { FunctionCode } from "@aws-sdk/client-lambda";
import { isServiceError } from "../../protocols/service-error.js";
import { invalidParameter } from "./errors.js";
import type { LambdaContext } from "./types.js";

// Where a deployment package comes from: ZipFile in the request, or an S3 object
// fetched through the S3 service's own GetObject handler.

export async function codeBytes(
  code: Pick<FunctionCode, "ZipFile" | "S3Bucket" | "S3Key" | "S3ObjectVersion" | "ImageUri">,
  ctx: LambdaContext,
): Promise<Uint8Array> {
  if (code.ZipFile) return code.ZipFile;
  if (code.S3Bucket && code.S3Key) return s3Object(code.S3Bucket, code.S3Key, code.S3ObjectVersion, ctx);
  if (code.ImageUri) throw imagesNeedContainers();
  throw invalidParameter("Please provide a source for function code.");
}

export function imagesNeedContainers() {
  return invalidParameter(
    "Container image functions (PackageType Image) need a container engine, which Terrarium does not use: " +
      "deploy the function as a .zip archive (PackageType Zip) instead.",
  );
}

async function s3Object(bucket: string, key: string, versionId: string | undefined, ctx: LambdaContext): Promise<Uint8Array> {
  let output: Record<string, unknown>;
  try {
    output = await ctx.invoke("s3", "GetObject", { Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }, {
      account: ctx.account,
      region: ctx.region,
    });
  } catch (error) {
    if (isServiceError(error) && error.code === "NotImplemented") {
      throw invalidParameter(
        "Error occurred while GetObject. S3 Error Code: NotImplemented. S3 Error Message: S3 is not available in this Terrarium; upload the code with ZipFile.",
      );
    }
    if (isServiceError(error)) {
      throw invalidParameter(`Error occurred while GetObject. S3 Error Code: ${error.code}. S3 Error Message: ${error.message}`);
    }
    throw error;
  }
  return toBytes(output.Body);
}

async function toBytes(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return Buffer.from(body);
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  return new Uint8Array();
}
