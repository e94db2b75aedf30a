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
import { conflict } from "../errors.js";
import { requireRole } from "../lookups.js";
import { pageFields, paginateUnderPath } from "../pagination.js";
import { keyOf } from "../store.js";
import { createRole } from "../role-builder.js";
import type { IamHandler } from "../types.js";
import { checkTrustPolicy } from "../validate.js";
import { roleView } from "../views.js";

// Roles and their trust policies. Messages recorded against AWS: LocalStack
// test_iam_roles.snapshot.json.

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
  const page = paginateUnderPath(ctx.store.roles.values(), (r) => keyOf(r.RoleName), input);
  return { Roles: page.items.map((r) => roleView(r, "list")), ...pageFields(page) };
};
