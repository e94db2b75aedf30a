import type { CreateRoleCommandInput } from "@aws-sdk/client-iam";
import { iamUniqueId } from "../../platform/ids.js";
import { requireFreeName } from "./lookups.js";
import type { RoleRecord } from "./records.js";
import { keyOf } from "./store.js";
import { ENTITY_TAGS, requestTags } from "./tags.js";
import { nowSeconds, type IamContext } from "./types.js";
import { checkBoundary, checkTrustPolicy } from "./validate.js";

// Making a role, for CreateRole and CreateServiceLinkedRole alike.

export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** Builds and stores a role; shared with CreateServiceLinkedRole. */
export function createRole(ctx: IamContext, input: CreateRoleCommandInput, serviceLinked?: RoleRecord["ServiceLinked"]): RoleRecord {
  const name = input.RoleName!;
  requireFreeName(ctx, "role", name);
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
