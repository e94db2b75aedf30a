import { isServiceError, type ServiceError } from "../../protocols/service-error.js";
import { validationError } from "./errors.js";
import type { StsContext } from "./types.js";

// The role an AssumeRole* call names. Like AWS, STS asks IAM about it: a role that
// does not exist (in the account of its ARN) cannot be assumed, and the request is
// AccessDenied; AssumeRole's message names the caller and the role.
//
// Decision: LocalStack lets any RoleArn be assumed, even one of no role. We refuse,
// as AWS does, because code that assumes a role it never created would fail on AWS
// and a local emulator should say so first. Trust policies are not evaluated yet:
// that is policy enforcement, which Terrarium will add as an opt-in gateway stage;
// until then every principal is trusted, as every request is allowed.

export interface TargetRole {
  arn: string;
  partition: string;
  account: string;
  roleName: string;
  roleId: string;
  maxSessionDuration: number;
}

/**
 * An ARN STS can read: arn:partition:service:region:account:resource with partition,
 * service and resource present. Anything else is ValidationError "<arn> is invalid"
 * (recorded against AWS: LocalStack test_sts.snapshot.json, test_sts_invalid_parameters).
 */
function readArn(text: string): { partition: string; service: string; account: string; resource: string } {
  const parts = text.split(":");
  const resource = parts.slice(5).join(":");
  if (parts.length < 6 || parts[0] !== "arn" || !parts[1] || !parts[2] || !resource) throw validationError(`${text} is invalid`);
  return { partition: parts[1], service: parts[2], account: parts[4], resource };
}

export async function targetRole(ctx: StsContext, roleArn: string, denied: () => ServiceError): Promise<TargetRole> {
  const arn = readArn(roleArn);
  if (arn.service !== "iam" || !arn.resource.startsWith("role/") || !/^\d{12}$/.test(arn.account)) throw denied();
  const roleName = arn.resource.slice(arn.resource.lastIndexOf("/") + 1);
  let role: { RoleId: string; Arn: string; MaxSessionDuration?: number };
  try {
    const out = await ctx.invoke("iam", "GetRole", { RoleName: roleName }, { account: arn.account });
    role = out.Role as typeof role;
  } catch (error) {
    // NoSuchEntity, or a name IAM could not even hold (ValidationError): no such role.
    if (isServiceError(error) && error.status < 500) throw denied();
    throw error;
  }
  // The path is part of the ARN: arn:...:role/a/x is not the role /b/x.
  if (role.Arn !== `arn:aws:iam::${arn.account}:${arn.resource}` || arn.partition !== "aws") throw denied();
  return {
    arn: roleArn,
    partition: arn.partition,
    account: arn.account,
    roleName,
    roleId: role.RoleId,
    maxSessionDuration: role.MaxSessionDuration ?? 3600,
  };
}

export const DEFAULT_ROLE_SESSION_SECONDS = 3600;

/** DurationSeconds within the role's MaxSessionDuration (900..43200 is the model's). */
export function roleSessionDuration(role: TargetRole, requested: number | undefined, chained: boolean): number {
  const duration = requested ?? DEFAULT_ROLE_SESSION_SECONDS;
  // Role chaining caps sessions at one hour (AssumeRole API reference, DurationSeconds).
  if (chained && duration > 3600) {
    throw validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  }
  // AWS's words, e.g. kreuzwerker/awsu#27: "ValidationError: The requested DurationSeconds
  // exceeds the MaxSessionDuration set for this role."
  if (duration > role.maxSessionDuration) {
    throw validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  return duration;
}

/** The session's identity: arn:aws:sts::<account>:assumed-role/<role name>/<session> (no path). */
export function assumedRoleUser(role: TargetRole, sessionName: string): { AssumedRoleId: string; Arn: string } {
  return {
    AssumedRoleId: `${role.roleId}:${sessionName}`,
    Arn: `arn:${role.partition}:sts::${role.account}:assumed-role/${role.roleName}/${sessionName}`,
  };
}
