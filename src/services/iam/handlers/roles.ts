import type {
  CreateRoleCommandInput,
  CreateRoleCommandOutput,
  DeleteRoleCommandInput,
  DeleteRoleCommandOutput,
  GetRoleCommandInput,
  GetRoleCommandOutput,
  ListRolesCommandInput,
  ListRolesCommandOutput,
  UpdateAssumeRolePolicyCommandInput,
  UpdateAssumeRolePolicyCommandOutput,
  UpdateRoleCommandInput,
  UpdateRoleCommandOutput,
  UpdateRoleDescriptionCommandInput,
  UpdateRoleDescriptionCommandOutput,
} from "@aws-sdk/client-iam";
import { iamUniqueId } from "../../../platform/ids.js";
import { conflict, exists } from "../errors.js";
import { requireRole } from "../lookups.js";
import { pageFields, paginate, sortedBy } from "../pagination.js";
import { trustPolicyProblem } from "../policy-document.js";
import { checkPolicySize, QUOTAS } from "../policy-size.js";
import type { RoleRecord } from "../records.js";
import { keyOf } from "../store.js";
import { ENTITY_TAGS, requestTags } from "../tags.js";
import { nowSeconds, type IamContext, type IamHandler } from "../types.js";
import { roleView } from "../views.js";
import { checkBoundary } from "./permissions-boundaries.js";

// Roles and their trust policies. Messages recorded against AWS: LocalStack
// test_iam_roles.snapshot.json.

export const DEFAULT_MAX_SESSION_DURATION = 3600;

function checkTrustPolicy(ctx: IamContext, document: string): void {
  const problem = trustPolicyProblem(document);
  if (problem) throw ctx.errors.MalformedPolicyDocumentException(problem);
  checkPolicySize(ctx.errors, QUOTAS.trust, [document]);
}

/** Builds and stores a role; shared with CreateServiceLinkedRole. */
export function createRole(ctx: IamContext, input: CreateRoleCommandInput, serviceLinked?: RoleRecord["ServiceLinked"]): RoleRecord {
  const name = input.RoleName!;
  if (ctx.store.roles.has(keyOf(name))) throw exists.role(ctx.errors, name);
  checkTrustPolicy(ctx, input.AssumeRolePolicyDocument!);
  if (input.PermissionsBoundary !== undefined) checkBoundary(ctx, input.PermissionsBoundary);
  const tags = requestTags(ctx.errors, ENTITY_TAGS.role, input.Tags);
  const path = input.Path ?? "/";
  const role: RoleRecord = {
    RoleName: name,
    RoleId: iamUniqueId("AROA"),
    Arn: ctx.store.arn(`role${path}${name}`),
    Path: path,
    CreateDate: nowSeconds(ctx),
    AssumeRolePolicyDocument: input.AssumeRolePolicyDocument!,
    MaxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    Tags: tags,
    InlinePolicies: {},
    AttachedPolicies: [],
  };
  if (input.Description !== undefined) role.Description = input.Description;
  if (serviceLinked) role.ServiceLinked = serviceLinked;
  ctx.store.roles.put(keyOf(name), role);
  if (input.PermissionsBoundary !== undefined) ctx.store.setBoundary("role", role, input.PermissionsBoundary);
  return role;
}

export const CreateRole: IamHandler<CreateRoleCommandInput, CreateRoleCommandOutput> = (input, ctx) => {
  return { Role: roleView(createRole(ctx, input), "create") };
};

export const GetRole: IamHandler<GetRoleCommandInput, GetRoleCommandOutput> = (input, ctx) => {
  return { Role: roleView(requireRole(ctx, input.RoleName!), "get") };
};

/** Members left out keep their values (recorded: update-role-defaults-response). */
export const UpdateRole: IamHandler<UpdateRoleCommandInput, UpdateRoleCommandOutput> = (input, ctx) => {
  const role = requireRole(ctx, input.RoleName!);
  if (input.Description !== undefined) role.Description = input.Description;
  if (input.MaxSessionDuration !== undefined) role.MaxSessionDuration = input.MaxSessionDuration;
  ctx.store.roles.put(keyOf(role.RoleName), role);
  return {};
};

export const UpdateRoleDescription: IamHandler<UpdateRoleDescriptionCommandInput, UpdateRoleDescriptionCommandOutput> = (
  input,
  ctx,
) => {
  const role = requireRole(ctx, input.RoleName!);
  role.Description = input.Description!;
  ctx.store.roles.put(keyOf(role.RoleName), role);
  // Answered like CreateRole's Role, plus the Description (recorded: update-role-description-response).
  return { Role: { ...roleView(role, "create"), Description: role.Description } };
};

export const UpdateAssumeRolePolicy: IamHandler<UpdateAssumeRolePolicyCommandInput, UpdateAssumeRolePolicyCommandOutput> = (
  input,
  ctx,
) => {
  const role = requireRole(ctx, input.RoleName!);
  checkTrustPolicy(ctx, input.PolicyDocument!);
  role.AssumeRolePolicyDocument = input.PolicyDocument!;
  ctx.store.roles.put(keyOf(role.RoleName), role);
  return {};
};

export const DeleteRole: IamHandler<DeleteRoleCommandInput, DeleteRoleCommandOutput> = (input, ctx) => {
  const role = requireRole(ctx, input.RoleName!);
  if (role.AttachedPolicies.length > 0) throw conflict.detachPolicies(ctx.errors);
  if (Object.keys(role.InlinePolicies).length > 0) throw conflict.deletePolicies(ctx.errors);
  if (ctx.store.profilesWithRole(role.RoleName).length > 0) throw conflict.rolesInProfile(ctx.errors);
  ctx.store.forget("role", role);
  ctx.store.roles.delete(keyOf(role.RoleName));
  return {};
};

export const ListRoles: IamHandler<ListRolesCommandInput, ListRolesCommandOutput> = (input, ctx) => {
  const prefix = input.PathPrefix ?? "/";
  const roles = sortedBy(
    ctx.store.roles.values().filter((r) => r.Path.startsWith(prefix)),
    (r) => keyOf(r.RoleName),
  );
  const page = paginate(roles, (r) => keyOf(r.RoleName), input);
  return { Roles: page.items.map((r) => roleView(r, "list")), ...pageFields(page) };
};
