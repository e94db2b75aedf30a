import type {
  DeleteRolePermissionsBoundaryCommandInput,
  DeleteRolePermissionsBoundaryCommandOutput,
  DeleteUserPermissionsBoundaryCommandInput,
  DeleteUserPermissionsBoundaryCommandOutput,
  PutRolePermissionsBoundaryCommandInput,
  PutRolePermissionsBoundaryCommandOutput,
  PutUserPermissionsBoundaryCommandInput,
  PutUserPermissionsBoundaryCommandOutput,
} from "@aws-sdk/client-iam";
import { requireRole, requireUser } from "../lookups.js";
import type { IamHandler } from "../types.js";
import { checkBoundary } from "../validate.js";

export const PutUserPermissionsBoundary: IamHandler<
  PutUserPermissionsBoundaryCommandInput,
  PutUserPermissionsBoundaryCommandOutput
> = (input, ctx) => {
  const user = requireUser(ctx, input.UserName!);
  checkBoundary(ctx, input.PermissionsBoundary!);
  ctx.store.setBoundary("user", user, input.PermissionsBoundary!);
  return {};
};

export const DeleteUserPermissionsBoundary: IamHandler<
  DeleteUserPermissionsBoundaryCommandInput,
  DeleteUserPermissionsBoundaryCommandOutput
> = (input, ctx) => {
  ctx.store.setBoundary("user", requireUser(ctx, input.UserName!), undefined);
  return {};
};

export const PutRolePermissionsBoundary: IamHandler<
  PutRolePermissionsBoundaryCommandInput,
  PutRolePermissionsBoundaryCommandOutput
> = (input, ctx) => {
  const role = requireRole(ctx, input.RoleName!);
  checkBoundary(ctx, input.PermissionsBoundary!);
  ctx.store.setBoundary("role", role, input.PermissionsBoundary!);
  return {};
};

export const DeleteRolePermissionsBoundary: IamHandler<
  DeleteRolePermissionsBoundaryCommandInput,
  DeleteRolePermissionsBoundaryCommandOutput
> = (input, ctx) => {
  ctx.store.setBoundary("role", requireRole(ctx, input.RoleName!), undefined);
  return {};
};
