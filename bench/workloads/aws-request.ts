import { Agent } from "node:http";
import type { WorkloadContext } from "./types.js";

// Shared pieces of a workload: what an SDK client needs to talk to a local
// emulator, and headers that look like a SigV4-signed request (neither
// Terrarium nor moto verifies signatures; the scope names service and region).

export const REGION = "us-east-1";
export const ACCESS_KEY = "test";

/** Client configuration for any @aws-sdk/client-*: local endpoint, fixed credentials, no retries. */
export function sdkConfig(ctx: WorkloadContext) {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  return {
    endpoint: ctx.endpoint,
    region: REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: "test" },
    // A failed call must show up as an error, not be hidden by a retry.
    maxAttempts: 1,
    requestHandler: { httpAgent },
  };
}

/** Authorization and X-Amz-Date headers shaped like SigV4 for `service` in us-east-1. */
export function sigV4Headers(service: string): Record<string, string> {
  const date = "20240101";
  return {
    "x-amz-date": `${date}T000000Z`,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${date}/${REGION}/${service}/aws4_request, ` +
      "SignedHeaders=content-type;host;x-amz-date, " +
      "Signature=0000000000000000000000000000000000000000000000000000000000000000",
  };
}
