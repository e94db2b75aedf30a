import type { Credentials } from "@aws-sdk/client-sts";
import { randomBytes } from "node:crypto";
import { accessKeyId, secretAccessKey } from "../../platform/ids.js";
import type { Principal } from "../../storage/access-keys.js";
import type { StsContext } from "./types.js";

// Temporary credentials: an ASIA access key, a secret, a session token and an
// expiration on Terrarium's clock. Each is registered with the access key registry
// under the principal it stands for, so a request signed with it runs as that
// principal in that principal's account (GetCallerIdentity answers its ARN).

/**
 * Session tokens look like AWS's: base64 that starts with "IQoJb3JpZ2luX2Vj"
 * ("!\n\torigin_ec", the prefix of today's STS tokens) and is a few hundred long.
 */
function sessionToken(): string {
  return "IQoJb3JpZ2luX2Vj" + randomBytes(300).toString("base64");
}

export function issueCredentials(ctx: StsContext, principal: Principal, durationSeconds: number): Credentials {
  // AWS's Expiration is to the second.
  const expiration = Math.floor((ctx.clock.now() + durationSeconds * 1000) / 1000) * 1000;
  const credentials = {
    AccessKeyId: accessKeyId(true),
    SecretAccessKey: secretAccessKey(),
    SessionToken: sessionToken(),
    Expiration: new Date(expiration),
  };
  ctx.accessKeys.register({
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration,
    account: principal.account,
    arn: principal.arn,
    userId: principal.userId,
  });
  return credentials;
}

/** The caller holds temporary credentials of a role session or federated user. */
export function callerIsSession(ctx: StsContext): boolean {
  return /^arn:[^:]+:sts::\d{12}:(assumed-role|federated-user)\//.test(ctx.principal.arn);
}

/** The caller is an account's root user. */
export function callerIsRoot(ctx: StsContext): boolean {
  return /^arn:[^:]+:iam::\d{12}:root$/.test(ctx.principal.arn);
}
