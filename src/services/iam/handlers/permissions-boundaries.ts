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
import { parseArn } from "../../../platform/arn.js";
import { invalidBoundaryArn, noSuch } from "../errors.js";
import { isArn, requireRole, requireUser } from "../lookups.js";
import type { IamContext, IamHandler } from "../types.js";

/**
 * A permissions boundary must name an existing managed policy. Recorded against AWS
 * (test_iam_roles.snapshot.json, test_role_permissions_boundary_errors): an ARN that
 * is not a policy's is InvalidInput "ARN <arn> is not valid."; a policy that does
 * not exist is NoSuchEntity "Scope ARN: <arn> does not exist or is not attachable."
 */
export function checkBoundary(ctx: IamContext, arn: string): void {
  const parsed = parseArn(arn);
  if (!isArn(arn) || parsed?.service !== "iam" || !parsed.resource.startsWith("policy/")) {
    throw invalidBoundaryArn(ctx.errors, arn);
  }
  if (!ctx.store.policy(arn)) throw noSuch.boundary(ctx.errors, arn);
}

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
