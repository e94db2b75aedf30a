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
import { requirePrincipal } from "../lookups.js";
import type { IamContext, IamHandler } from "../types.js";
import { checkBoundary } from "../validate.js";

// Permissions boundaries of users and roles (groups have none).

function putBoundary(ctx: IamContext, kind: "user" | "role", entityName: string, arn: string): Record<string, never> {
  const entity = requirePrincipal(ctx, kind, entityName);
  checkBoundary(ctx, arn);
  ctx.store.setBoundary(kind, entity, arn);
  return {};
}

function deleteBoundary(ctx: IamContext, kind: "user" | "role", entityName: string): Record<string, never> {
  ctx.store.setBoundary(kind, requirePrincipal(ctx, kind, entityName), undefined);
  return {};
}

export const PutUserPermissionsBoundary: IamHandler<PutUserPermissionsBoundaryCommandInput, PutUserPermissionsBoundaryCommandOutput> = (i, ctx) =>
  putBoundary(ctx, "user", i.UserName!, i.PermissionsBoundary!);
export const PutRolePermissionsBoundary: IamHandler<PutRolePermissionsBoundaryCommandInput, PutRolePermissionsBoundaryCommandOutput> = (i, ctx) =>
  putBoundary(ctx, "role", i.RoleName!, i.PermissionsBoundary!);
export const DeleteUserPermissionsBoundary: IamHandler<DeleteUserPermissionsBoundaryCommandInput, DeleteUserPermissionsBoundaryCommandOutput> = (i, ctx) =>
  deleteBoundary(ctx, "user", i.UserName!);
export const DeleteRolePermissionsBoundary: IamHandler<DeleteRolePermissionsBoundaryCommandInput, DeleteRolePermissionsBoundaryCommandOutput> = (i, ctx) =>
  deleteBoundary(ctx, "role", i.RoleName!);
