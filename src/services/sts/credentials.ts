import { randomBytes } from "node:crypto";
import type { Credentials } from "@aws-sdk/client-sts";
import { accessKeyId, secretAccessKey } from "../../platform/ids.js";
import type { Principal } from "../../storage/access-keys.js";
import type { ServiceContext } from "../service.js";

// Temporary credentials: an ASIA key registered with the principal it stands for,
// so requests signed with it are that principal in that principal's account.

export function issueCredentials(ctx: ServiceContext, principal: Principal, durationSeconds: number): Credentials {
  const expiration = ctx.clock.now() + durationSeconds * 1000;
  const credentials = {
    AccessKeyId: accessKeyId(true),
    SecretAccessKey: secretAccessKey(),
    // Real session tokens are long opaque base64 strings; clients only pass them back.
    SessionToken: "IQoJb3JpZ2luX2VjE" + randomBytes(240).toString("base64"),
    Expiration: new Date(Math.floor(expiration / 1000) * 1000),
  };
  ctx.accessKeys.register({
    ...principal,
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration,
  });
  return credentials;
}

/** AWS reports the packed size of session policies as a percentage of the allowed size. */
export function packedPolicySize(policy: string | undefined, policyArns: unknown[] | undefined): number | undefined {
  if (policy === undefined && !policyArns?.length) return undefined;
  const bytes = (policy ? Buffer.byteLength(policy.replace(/\s+/g, "")) : 0) + (policyArns?.length ?? 0) * 50;
  return Math.max(1, Math.ceil((bytes / 2048) * 100));
}
