import { parseArn } from "../../platform/arn.js";
import { accessDenied, invalidArn, noSuch, userNameRequired } from "./errors.js";
import type { GroupRecord, InstanceProfileRecord, ManagedPolicyRecord, PolicyView, RoleRecord, UserRecord } from "./records.js";
import { keyOf, type Principal, type PrincipalKind } from "./store.js";
import type { IamContext } from "./types.js";

// Finding the entity an input names, or throwing AWS's NoSuchEntity for it.

export function requireUser(ctx: IamContext, name: string): UserRecord {
  const user = ctx.store.users.get(keyOf(name));
  if (!user) throw noSuch.user(ctx.errors, name);
  return user;
}

export function requireGroup(ctx: IamContext, name: string): GroupRecord {
  const group = ctx.store.groups.get(keyOf(name));
  if (!group) throw noSuch.group(ctx.errors, name);
  return group;
}

export function requireRole(ctx: IamContext, name: string): RoleRecord {
  const role = ctx.store.roles.get(keyOf(name));
  if (!role) throw noSuch.role(ctx.errors, name);
  return role;
}

export function requireInstanceProfile(ctx: IamContext, name: string): InstanceProfileRecord {
  const profile = ctx.store.instanceProfiles.get(keyOf(name));
  if (!profile) throw noSuch.instanceProfile(ctx.errors, name);
  return profile;
}

export function requirePrincipal(ctx: IamContext, kind: PrincipalKind, name: string): Principal {
  if (kind === "user") return requireUser(ctx, name);
  if (kind === "group") return requireGroup(ctx, name);
  return requireRole(ctx, name);
}

/** An ARN in the arn:partition:service:region:account:resource form. */
export function isArn(text: string): boolean {
  const arn = parseArn(text);
  return arn !== undefined && arn.partition !== "" && arn.service !== "" && arn.resource !== "";
}

/** Any managed policy by ARN: GetPolicy, ListPolicyVersions, GetPolicyVersion. */
export function requirePolicy(ctx: IamContext, arn: string): PolicyView {
  if (!isArn(arn)) throw invalidArn(arn);
  const policy = ctx.store.policy(arn);
  if (!policy) throw noSuch.policy(ctx.errors, arn);
  return policy;
}

/**
 * A customer managed policy to change. AWS managed policies belong to AWS's
 * account; changing one is refused like any action on another account's resource.
 */
export function requireCustomerPolicy(ctx: IamContext, arn: string): ManagedPolicyRecord {
  const policy = requirePolicy(ctx, arn);
  if (policy.awsManaged) {
    throw accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: iam:${ctx.operation} on resource: policy ${arn}`);
  }
  return ctx.store.policies.get(keyOf(policy.PolicyName))!;
}

/**
 * Access key operations act on the calling user when UserName is left out; other
 * callers must name the user (recorded: test_iam_users.snapshot.json,
 * delete-access-key-without-username-error).
 */
export function userForKeys(ctx: IamContext, userName: string | undefined): UserRecord {
  if (userName !== undefined) return requireUser(ctx, userName);
  const arn = parseArn(ctx.principal.arn);
  if (arn?.service === "iam" && arn.account === ctx.account && arn.resource.startsWith("user/")) {
    const caller = ctx.store.users.find((u) => u.UserId === ctx.principal.userId);
    if (caller) return caller;
  }
  throw userNameRequired();
}
