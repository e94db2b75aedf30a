import type {
  AttachUserPolicyCommandInput,
  AttachUserPolicyCommandOutput,
  AttachGroupPolicyCommandInput,
  AttachGroupPolicyCommandOutput,
  AttachRolePolicyCommandInput,
  AttachRolePolicyCommandOutput,
  DetachUserPolicyCommandInput,
  DetachUserPolicyCommandOutput,
  DetachGroupPolicyCommandInput,
  DetachGroupPolicyCommandOutput,
  DetachRolePolicyCommandInput,
  DetachRolePolicyCommandOutput,
  ListAttachedUserPoliciesCommandInput,
  ListAttachedUserPoliciesCommandOutput,
  ListAttachedGroupPoliciesCommandInput,
  ListAttachedGroupPoliciesCommandOutput,
  ListAttachedRolePoliciesCommandInput,
  ListAttachedRolePoliciesCommandOutput,
  AttachedPolicy,
  ListEntitiesForPolicyCommandInput,
  ListEntitiesForPolicyCommandOutput,
  PolicyGroup,
  PolicyRole,
  PolicyUser,
} from "@aws-sdk/client-iam";
import { invalidArn, limit, noSuch } from "../errors.js";
import { isArn, requirePolicy, requirePrincipal } from "../lookups.js";
import { pageFields, paginateSorted, paginateUnderPath, type PathPageInput } from "../pagination.js";
import type { GroupRecord, RoleRecord, UserRecord } from "../records.js";
import { keyOf, type Principal, type PrincipalKind } from "../store.js";
import type { IamContext, IamHandler } from "../types.js";

// Attaching managed policies to users, groups and roles, and the lists of them.
// Recorded against AWS (test_iam_users / test_iam_roles / test_iam_groups snapshots):
// attaching a policy that does not exist is NoSuchEntity "Policy <arn> does not exist
// or is not attachable."; detaching one that is not attached, "Policy <arn> was not
// found."; a PolicyArn that is no ARN, ValidationError "ARN <text> is not valid.".

const POLICIES_PER_ENTITY = 10; // IAM quotas PoliciesPerUser / PoliciesPerGroup / PoliciesPerRole
const QUOTA_NAMES: Record<PrincipalKind, string> = { user: "PoliciesPerUser", group: "PoliciesPerGroup", role: "PoliciesPerRole" };

function attach(ctx: IamContext, kind: PrincipalKind, entityName: string, arn: string): Record<string, never> {
  if (!isArn(arn)) throw invalidArn(arn);
  const entity = requirePrincipal(ctx, kind, entityName);
  if (!ctx.store.policy(arn)) throw noSuch.attachable(ctx.errors, arn);
  if (entity.AttachedPolicies.includes(arn)) return {};
  if (entity.AttachedPolicies.length >= POLICIES_PER_ENTITY) throw limit.quota(ctx.errors, QUOTA_NAMES[kind], POLICIES_PER_ENTITY);
  ctx.store.attach(kind, entity, arn);
  return {};
}

function detach(ctx: IamContext, kind: PrincipalKind, entityName: string, arn: string): Record<string, never> {
  if (!isArn(arn)) throw invalidArn(arn);
  const entity = requirePrincipal(ctx, kind, entityName);
  if (!entity.AttachedPolicies.includes(arn)) throw noSuch.policy(ctx.errors, arn);
  ctx.store.detach(kind, entity, arn);
  return {};
}

function listAttached(
  ctx: IamContext,
  kind: PrincipalKind,
  entityName: string,
  input: PathPageInput,
): { AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean; Marker?: string } {
  const entity = requirePrincipal(ctx, kind, entityName);
  const policies = entity.AttachedPolicies.flatMap((arn) => ctx.store.policy(arn) ?? []);
  const order = (p: { PolicyName: string; Arn: string }) => `${keyOf(p.PolicyName)}\u0000${p.Arn}`;
  const page = paginateUnderPath(policies, order, input);
  return { AttachedPolicies: page.items.map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.Arn })), ...pageFields(page) };
}

export const AttachUserPolicy: IamHandler<AttachUserPolicyCommandInput, AttachUserPolicyCommandOutput> = (i, ctx) =>
  attach(ctx, "user", i.UserName!, i.PolicyArn!);
export const AttachGroupPolicy: IamHandler<AttachGroupPolicyCommandInput, AttachGroupPolicyCommandOutput> = (i, ctx) =>
  attach(ctx, "group", i.GroupName!, i.PolicyArn!);
export const AttachRolePolicy: IamHandler<AttachRolePolicyCommandInput, AttachRolePolicyCommandOutput> = (i, ctx) =>
  attach(ctx, "role", i.RoleName!, i.PolicyArn!);
export const DetachUserPolicy: IamHandler<DetachUserPolicyCommandInput, DetachUserPolicyCommandOutput> = (i, ctx) =>
  detach(ctx, "user", i.UserName!, i.PolicyArn!);
export const DetachGroupPolicy: IamHandler<DetachGroupPolicyCommandInput, DetachGroupPolicyCommandOutput> = (i, ctx) =>
  detach(ctx, "group", i.GroupName!, i.PolicyArn!);
export const DetachRolePolicy: IamHandler<DetachRolePolicyCommandInput, DetachRolePolicyCommandOutput> = (i, ctx) =>
  detach(ctx, "role", i.RoleName!, i.PolicyArn!);
export const ListAttachedUserPolicies: IamHandler<ListAttachedUserPoliciesCommandInput, ListAttachedUserPoliciesCommandOutput> = (i, ctx) =>
  listAttached(ctx, "user", i.UserName!, i);
export const ListAttachedGroupPolicies: IamHandler<ListAttachedGroupPoliciesCommandInput, ListAttachedGroupPoliciesCommandOutput> = (i, ctx) =>
  listAttached(ctx, "group", i.GroupName!, i);
export const ListAttachedRolePolicies: IamHandler<ListAttachedRolePoliciesCommandInput, ListAttachedRolePoliciesCommandOutput> = (i, ctx) =>
  listAttached(ctx, "role", i.RoleName!, i);

/** Who uses a managed policy: as an attached permissions policy, or as a boundary. */
export const ListEntitiesForPolicy: IamHandler<ListEntitiesForPolicyCommandInput, ListEntitiesForPolicyCommandOutput> = (
  input,
  ctx,
) => {
  const policy = requirePolicy(ctx, input.PolicyArn!);
  const boundary = input.PolicyUsageFilter === "PermissionsBoundary";
  const using: [PrincipalKind, Principal][] = boundary
    ? [...ctx.store.principals()].filter(([, e]) => "PermissionsBoundary" in e && e.PermissionsBoundary === policy.Arn)
    : ctx.store.entitiesUsing(policy.Arn);
  const wanted: Record<string, PrincipalKind | undefined> = { User: "user", Group: "group", Role: "role" };
  const onlyKind = input.EntityFilter ? wanted[input.EntityFilter] : undefined;
  const prefix = input.PathPrefix ?? "/";
  const selected = using.filter(
    ([kind, e]) => (input.EntityFilter === undefined || kind === onlyKind) && e.Path.startsWith(prefix),
  );
  const order = ([kind, e]: [PrincipalKind, Principal]) => `${kind}\u0000${keyOf(nameOf(kind, e))}`;
  const page = paginateSorted(selected, order, input);
  const PolicyUsers: PolicyUser[] = [];
  const PolicyGroups: PolicyGroup[] = [];
  const PolicyRoles: PolicyRole[] = [];
  for (const [kind, e] of page.items) {
    if (kind === "user") PolicyUsers.push({ UserName: (e as UserRecord).UserName, UserId: (e as UserRecord).UserId });
    else if (kind === "group") PolicyGroups.push({ GroupName: (e as GroupRecord).GroupName, GroupId: (e as GroupRecord).GroupId });
    else PolicyRoles.push({ RoleName: (e as RoleRecord).RoleName, RoleId: (e as RoleRecord).RoleId });
  }
  return { PolicyGroups, PolicyUsers, PolicyRoles, ...pageFields(page) };
};

function nameOf(kind: PrincipalKind, e: Principal): string {
  return kind === "user" ? (e as UserRecord).UserName : kind === "group" ? (e as GroupRecord).GroupName : (e as RoleRecord).RoleName;
}
