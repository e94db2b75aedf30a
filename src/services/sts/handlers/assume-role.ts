import type {
  AssumeRoleCommandInput,
  AssumeRoleCommandOutput,
  AssumeRoleWithWebIdentityCommandInput,
  AssumeRoleWithWebIdentityCommandOutput,
} from "@aws-sdk/client-sts";
import { parseArn } from "../../../platform/arn.js";
import { isServiceError, ServiceError } from "../../../protocols/service-error.js";
import type { Handler, Output, ServiceContext } from "../../service.js";
import { issueCredentials, packedPolicySize } from "../credentials.js";

// AssumeRole and its web-identity form. The role must exist in IAM (in the role's
// own account), as on AWS: assuming a role that does not exist is AccessDenied.
// Trust policies are not evaluated until IAM enforcement exists.

interface AssumedRole {
  account: string;
  roleName: string;
  roleId: string;
  maxSessionDuration: number;
}

async function findRole(ctx: ServiceContext, roleArn: string): Promise<AssumedRole> {
  const arn = parseArn(roleArn);
  const denied = new ServiceError(
    "AccessDenied",
    `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    { status: 403 },
  );
  if (!arn || arn.service !== "iam" || !arn.resource.startsWith("role/")) throw denied;
  const roleName = arn.resource.slice(arn.resource.lastIndexOf("/") + 1);
  try {
    const { Role } = (await ctx.invoke("iam", "GetRole", { RoleName: roleName }, { account: arn.account })) as {
      Role: { RoleId: string; Arn: string; MaxSessionDuration?: number };
    };
    if (Role.Arn !== roleArn) throw denied;
    return { account: arn.account, roleName, roleId: Role.RoleId, maxSessionDuration: Role.MaxSessionDuration ?? 3600 };
  } catch (error) {
    if (isServiceError(error) && error.status < 500) throw denied;
    throw error;
  }
}

function checkDuration(requested: number | undefined, role: AssumedRole): number {
  const duration = requested ?? 3600;
  if (duration > role.maxSessionDuration) {
    throw new ServiceError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  return duration;
}

function assumedRole(role: AssumedRole, sessionName: string) {
  return {
    AssumedRoleId: `${role.roleId}:${sessionName}`,
    Arn: `arn:aws:sts::${role.account}:assumed-role/${role.roleName}/${sessionName}`,
  };
}

export const AssumeRole: Handler<AssumeRoleCommandInput, Output<AssumeRoleCommandOutput>> = async (input, ctx) => {
  const role = await findRole(ctx, input.RoleArn!);
  const duration = checkDuration(input.DurationSeconds, role);
  const user = assumedRole(role, input.RoleSessionName!);
  const credentials = issueCredentials(ctx, { account: role.account, arn: user.Arn, userId: user.AssumedRoleId }, duration);
  return {
    Credentials: credentials,
    AssumedRoleUser: user,
    PackedPolicySize: packedPolicySize(input.Policy, input.PolicyArns),
    SourceIdentity: input.SourceIdentity,
  };
};

export const AssumeRoleWithWebIdentity: Handler<
  AssumeRoleWithWebIdentityCommandInput,
  Output<AssumeRoleWithWebIdentityCommandOutput>
> = async (input, ctx) => {
  const claims = decodeJwt(input.WebIdentityToken!);
  const role = await findRole(ctx, input.RoleArn!);
  const duration = checkDuration(input.DurationSeconds, role);
  const user = assumedRole(role, input.RoleSessionName!);
  const credentials = issueCredentials(ctx, { account: role.account, arn: user.Arn, userId: user.AssumedRoleId }, duration);
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  return {
    Credentials: credentials,
    SubjectFromWebIdentityToken: typeof claims.sub === "string" ? claims.sub : undefined,
    AssumedRoleUser: user,
    PackedPolicySize: packedPolicySize(input.Policy, input.PolicyArns),
    Provider: input.ProviderId ?? (typeof claims.iss === "string" ? claims.iss.replace(/^https:\/\//, "") : undefined),
    Audience: typeof audience === "string" ? audience : undefined,
    SourceIdentity: undefined,
  };
};

/** Reads a JWT's claims without verifying it: Terrarium trusts every identity provider. */
function decodeJwt(token: string): Record<string, unknown> {
  const parts = token.split(".");
  try {
    if (parts.length !== 3) throw new Error("not three parts");
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    if (typeof claims !== "object" || claims === null || Array.isArray(claims)) throw new Error("not an object");
    return claims as Record<string, unknown>;
  } catch {
    throw new ServiceError("InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.");
  }
}
