import type {
  DeleteGroupPolicyCommandInput,
  DeleteGroupPolicyCommandOutput,
  DeleteRolePolicyCommandInput,
  DeleteRolePolicyCommandOutput,
  DeleteUserPolicyCommandInput,
  DeleteUserPolicyCommandOutput,
  GetGroupPolicyCommandInput,
  GetGroupPolicyCommandOutput,
  GetRolePolicyCommandInput,
  GetRolePolicyCommandOutput,
  GetUserPolicyCommandInput,
  GetUserPolicyCommandOutput,
  ListGroupPoliciesCommandInput,
  ListGroupPoliciesCommandOutput,
  ListRolePoliciesCommandInput,
  ListRolePoliciesCommandOutput,
  ListUserPoliciesCommandInput,
  ListUserPoliciesCommandOutput,
  PutGroupPolicyCommandInput,
  PutGroupPolicyCommandOutput,
  PutRolePolicyCommandInput,
  PutRolePolicyCommandOutput,
  PutUserPolicyCommandInput,
  PutUserPolicyCommandOutput,
} from "@aws-sdk/client-iam";
import { noSuch } from "../errors.js";
import { requirePrincipal } from "../lookups.js";
import { pageFields, paginateSorted, type PageInput } from "../pagination.js";
import { encodePolicyDocument } from "../policy-document.js";
import { checkPolicySize, QUOTAS } from "../policy-size.js";
import type { GroupRecord, RoleRecord, UserRecord } from "../records.js";
import { keyOf, type PrincipalKind } from "../store.js";
import type { IamContext, IamHandler } from "../types.js";
import { checkIdentityPolicy } from "../validate.js";

// Inline policies embedded in users, groups and roles. GetXPolicy answers the
// document URL-encoded, as IAM does. A missing one is NoSuchEntity
// "The <user|group|role> policy with name <name> cannot be found." (recorded:
// test_iam_roles.snapshot.json, test_iam_groups.snapshot.json).

function put(ctx: IamContext, kind: PrincipalKind, entityName: string, policyName: string, document: string) {
  const entity = requirePrincipal(ctx, kind, entityName);
  checkIdentityPolicy(ctx, document);
  const others = Object.entries(entity.InlinePolicies)
    .filter(([key]) => key !== keyOf(policyName))
    .map(([, p]) => p.PolicyDocument);
  checkPolicySize(ctx.errors, QUOTAS[kind], [...others, document]);
  entity.InlinePolicies[keyOf(policyName)] = { PolicyName: policyName, PolicyDocument: document };
  ctx.store.save(kind, entity);
  return {};
}

function requireInline(ctx: IamContext, kind: PrincipalKind, entityName: string, policyName: string) {
  const entity = requirePrincipal(ctx, kind, entityName);
  const policy = entity.InlinePolicies[keyOf(policyName)];
  if (!policy) throw noSuch.inlinePolicy(ctx.errors, kind, policyName);
  return { entity, policy };
}

function get(ctx: IamContext, kind: PrincipalKind, entityName: string, policyName: string) {
  const { entity, policy } = requireInline(ctx, kind, entityName, policyName);
  return { entity, PolicyName: policy.PolicyName, PolicyDocument: encodePolicyDocument(policy.PolicyDocument) };
}

function remove(ctx: IamContext, kind: PrincipalKind, entityName: string, policyName: string) {
  const { entity } = requireInline(ctx, kind, entityName, policyName);
  delete entity.InlinePolicies[keyOf(policyName)];
  ctx.store.save(kind, entity);
  return {};
}

function list(ctx: IamContext, kind: PrincipalKind, entityName: string, input: PageInput) {
  const entity = requirePrincipal(ctx, kind, entityName);
  const page = paginateSorted(Object.values(entity.InlinePolicies).map((p) => p.PolicyName), keyOf, input);
  return { PolicyNames: page.items, ...pageFields(page) };
}

export const PutUserPolicy: IamHandler<PutUserPolicyCommandInput, PutUserPolicyCommandOutput> = (i, ctx) =>
  put(ctx, "user", i.UserName!, i.PolicyName!, i.PolicyDocument!);
export const PutGroupPolicy: IamHandler<PutGroupPolicyCommandInput, PutGroupPolicyCommandOutput> = (i, ctx) =>
  put(ctx, "group", i.GroupName!, i.PolicyName!, i.PolicyDocument!);
export const PutRolePolicy: IamHandler<PutRolePolicyCommandInput, PutRolePolicyCommandOutput> = (i, ctx) =>
  put(ctx, "role", i.RoleName!, i.PolicyName!, i.PolicyDocument!);

export const GetUserPolicy: IamHandler<GetUserPolicyCommandInput, GetUserPolicyCommandOutput> = (i, ctx) => {
  const { entity, ...policy } = get(ctx, "user", i.UserName!, i.PolicyName!);
  return { UserName: (entity as UserRecord).UserName, ...policy };
};
export const GetGroupPolicy: IamHandler<GetGroupPolicyCommandInput, GetGroupPolicyCommandOutput> = (i, ctx) => {
  const { entity, ...policy } = get(ctx, "group", i.GroupName!, i.PolicyName!);
  return { GroupName: (entity as GroupRecord).GroupName, ...policy };
};
export const GetRolePolicy: IamHandler<GetRolePolicyCommandInput, GetRolePolicyCommandOutput> = (i, ctx) => {
  const { entity, ...policy } = get(ctx, "role", i.RoleName!, i.PolicyName!);
  return { RoleName: (entity as RoleRecord).RoleName, ...policy };
};

export const DeleteUserPolicy: IamHandler<DeleteUserPolicyCommandInput, DeleteUserPolicyCommandOutput> = (i, ctx) =>
  remove(ctx, "user", i.UserName!, i.PolicyName!);
export const DeleteGroupPolicy: IamHandler<DeleteGroupPolicyCommandInput, DeleteGroupPolicyCommandOutput> = (i, ctx) =>
  remove(ctx, "group", i.GroupName!, i.PolicyName!);
export const DeleteRolePolicy: IamHandler<DeleteRolePolicyCommandInput, DeleteRolePolicyCommandOutput> = (i, ctx) =>
  remove(ctx, "role", i.RoleName!, i.PolicyName!);

export const ListUserPolicies: IamHandler<ListUserPoliciesCommandInput, ListUserPoliciesCommandOutput> = (i, ctx) =>
  list(ctx, "user", i.UserName!, i);
export const ListGroupPolicies: IamHandler<ListGroupPoliciesCommandInput, ListGroupPoliciesCommandOutput> = (i, ctx) =>
  list(ctx, "group", i.GroupName!, i);
export const ListRolePolicies: IamHandler<ListRolePoliciesCommandInput, ListRolePoliciesCommandOutput> = (i, ctx) =>
  list(ctx, "role", i.RoleName!, i);
