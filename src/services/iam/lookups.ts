import { parseArn } from "../../platform/arn.js";
import type { ServiceError } from "../../protocols/service-error.js";
import type { Collection } from "../../storage/documents.js";
import type { ModelErrors } from "../service.js";
import { accessDenied, exists, invalidArn, noSuch, userNameRequired } from "./errors.js";
import type { InstanceProfileRecord, ManagedPolicyRecord, PolicyView, UserRecord } from "./records.js";
import { keyOf, type IamStore, type PrincipalKind, type PrincipalRecords } from "./store.js";
import type { IamContext } from "./types.js";

// Finding the entity an input names, or throwing AWS's NoSuchEntity for it.

/** The entities kept by name (without case). */
interface NamedRecords extends PrincipalRecords {
  instanceProfile: InstanceProfileRecord;
}

type NameError = (e: ModelErrors, name: string) => ServiceError;

const NAMED: { [K in keyof NamedRecords]: { of(store: IamStore): Collection<NamedRecords[K]>; missing: NameError; taken: NameError } } = {
  user: { of: (store) => store.users, missing: noSuch.user, taken: exists.user },
  group: { of: (store) => store.groups, missing: noSuch.group, taken: exists.group },
  role: { of: (store) => store.roles, missing: noSuch.role, taken: exists.role },
  instanceProfile: { of: (store) => store.instanceProfiles, missing: noSuch.instanceProfile, taken: exists.instanceProfile },
};

function requireNamed<K extends keyof NamedRecords>(ctx: IamContext, kind: K, name: string): NamedRecords[K] {
  const entity = NAMED[kind].of(ctx.store).get(keyOf(name));
  if (!entity) throw NAMED[kind].missing(ctx.errors, name);
  return entity;
}

export const requireUser = (ctx: IamContext, name: string) => requireNamed(ctx, "user", name);
export const requireGroup = (ctx: IamContext, name: string) => requireNamed(ctx, "group", name);
export const requireRole = (ctx: IamContext, name: string) => requireNamed(ctx, "role", name);
export const requireInstanceProfile = (ctx: IamContext, name: string) => requireNamed(ctx, "instanceProfile", name);

export function requirePrincipal<K extends PrincipalKind>(ctx: IamContext, kind: K, name: string): PrincipalRecords[K] {
  return requireNamed(ctx, kind, name);
}

/** Refuses a name that an entity of the kind already has, in any case (EntityAlreadyExists). */
export function requireFreeName(ctx: IamContext, kind: keyof NamedRecords, name: string): void {
  if (NAMED[kind].of(ctx.store).has(keyOf(name))) throw NAMED[kind].taken(ctx.errors, name);
}

/**
 * Where UpdateUser or UpdateGroup moves an entity: the new name (unless another
 * entity has it; a change of case only is fine), the new path, and their ARN.
 */
export function renameTarget(
  ctx: IamContext,
  kind: "user" | "group",
  current: { name: string; path: string },
  update: { name?: string; path?: string },
): { name: string; path: string; arn: string } {
  const name = update.name ?? current.name;
  if (keyOf(name) !== keyOf(current.name)) requireFreeName(ctx, kind, name);
  const path = update.path ?? current.path;
  return { name, path, arn: ctx.store.arn(`${kind}${path}${name}`) };
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
