import type { AssumeRoleCommandInput, AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import { callerIsSession, issueCredentials } from "../credentials.js";
import { accessDenied } from "../errors.js";
import { assumedRoleUser, roleSessionDuration, targetRole } from "../role-target.js";
import { packSession } from "../session-policy.js";
import type { StsHandler } from "../types.js";

// AssumeRole: temporary credentials for a role that exists in IAM. A role that does
// not exist is AccessDenied "User: <caller> is not authorized to perform:
// sts:AssumeRole on resource: <role arn>", the answer AWS gives whether the role is
// missing or its trust policy refuses the caller (quoted from AWS in e.g.
// cloud-toolkit/cloud-toolkit-aws#31; HackTricks' "AWS IAM and STS unauthenticated enum").
// Assuming a role with role-session credentials is role chaining (one hour at most).

export const AssumeRole: StsHandler<AssumeRoleCommandInput, AssumeRoleCommandOutput> = async (input, ctx) => {
  const roleArn = input.RoleArn!;
  const role = await targetRole(ctx, roleArn, () =>
    accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`),
  );
  const duration = roleSessionDuration(role, input.DurationSeconds, callerIsSession(ctx));
  const packed = packSession(ctx.errors, input);
  const user = assumedRoleUser(role, input.RoleSessionName!);
  const credentials = issueCredentials(ctx, { account: role.account, arn: user.Arn, userId: user.AssumedRoleId }, duration);
  return {
    Credentials: credentials,
    AssumedRoleUser: user,
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
  };
};
