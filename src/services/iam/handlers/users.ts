import type {
  CreateUserCommandInput,
  CreateUserCommandOutput,
  DeleteUserCommandInput,
  DeleteUserCommandOutput,
  GetUserCommandInput,
  GetUserCommandOutput,
  ListUsersCommandInput,
  ListUsersCommandOutput,
  UpdateUserCommandInput,
  UpdateUserCommandOutput,
} from "@aws-sdk/client-iam";
import { parseArn } from "../../../platform/arn.js";
import { iamUniqueId } from "../../../platform/ids.js";
import { conflict, userNameRequired } from "../errors.js";
import { renameTarget, requireFreeName, requireUser } from "../lookups.js";
import { pageFields, paginateUnderPath } from "../pagination.js";
import { keyOf } from "../store.js";
import { ENTITY_TAGS, requestTags } from "../tags.js";
import { nowSeconds, type IamContext, type IamHandler } from "../types.js";
import { userView } from "../views.js";
import { registerUserKeys } from "../user-keys.js";
import { checkBoundary } from "../validate.js";

export const CreateUser: IamHandler<CreateUserCommandInput, CreateUserCommandOutput> = (input, ctx) => {
  const name = input.UserName!;
  requireFreeName(ctx, "user", name);
  const tags = requestTags(ctx.errors, ENTITY_TAGS.user, input.Tags);
  if (input.PermissionsBoundary !== undefined) checkBoundary(ctx, input.PermissionsBoundary);
  const path = input.Path ?? "/";
  const user = {
    UserName: name,
    UserId: iamUniqueId("AIDA"),
    Arn: ctx.store.arn(`user${path}${name}`),
    Path: path,
    CreateDate: nowSeconds(ctx),
    Tags: tags,
    InlinePolicies: {},
    AttachedPolicies: [],
    AccessKeys: [],
  };
  ctx.store.users.put(keyOf(name), user);
  if (input.PermissionsBoundary !== undefined) ctx.store.setBoundary("user", user, input.PermissionsBoundary);
  return { User: userView(user, "create") };
};

export const GetUser: IamHandler<GetUserCommandInput, GetUserCommandOutput> = (input, ctx) => {
  if (input.UserName !== undefined) return { User: userView(requireUser(ctx, input.UserName), "get") };
  return { User: callerAsUser(ctx) };
};

/** GetUser without UserName describes the caller: an IAM user, or the account root. */
function callerAsUser(ctx: IamContext): GetUserCommandOutput["User"] {
  const caller = ctx.store.users.find((u) => u.UserId === ctx.principal.userId);
  if (caller) return userView(caller, "get");
  const arn = parseArn(ctx.principal.arn);
  if (arn?.resource === "root") {
    // AWS answers the root user without UserName and Path.
    return { UserId: ctx.principal.userId, Arn: ctx.principal.arn, CreateDate: new Date(ctx.store.createdAt) } as GetUserCommandOutput["User"];
  }
  throw userNameRequired();
}

export const UpdateUser: IamHandler<UpdateUserCommandInput, UpdateUserCommandOutput> = (input, ctx) => {
  const user = requireUser(ctx, input.UserName!);
  const oldKey = keyOf(user.UserName);
  const to = renameTarget(ctx, "user", { name: user.UserName, path: user.Path }, { name: input.NewUserName, path: input.NewPath });
  Object.assign(user, { UserName: to.name, Path: to.path, Arn: to.arn });
  ctx.store.renameUser(oldKey, user);
  // Access keys keep working after a rename and now name the new ARN (recorded:
  // test_iam_users.snapshot.json, test_user_rename_preserves_access_key_identity).
  registerUserKeys(ctx, user);
  return {};
};

export const DeleteUser: IamHandler<DeleteUserCommandInput, DeleteUserCommandOutput> = (input, ctx) => {
  const user = requireUser(ctx, input.UserName!);
  if (user.LoginProfile) throw conflict.loginProfile(ctx.errors);
  if (user.AccessKeys.length > 0) throw conflict.accessKeys(ctx.errors);
  if (Object.keys(user.InlinePolicies).length > 0) throw conflict.deletePolicies(ctx.errors);
  if (user.AttachedPolicies.length > 0) throw conflict.detachPolicies(ctx.errors);
  if (ctx.store.groupsOf(user).length > 0) throw conflict.usersInGroup(ctx.errors);
  ctx.store.forget("user", user);
  ctx.store.users.delete(keyOf(user.UserName));
  return {};
};

export const ListUsers: IamHandler<ListUsersCommandInput, ListUsersCommandOutput> = (input, ctx) => {
  const page = paginateUnderPath(ctx.store.users.values(), (u) => keyOf(u.UserName), input);
  return { Users: page.items.map((u) => userView(u, "list")), ...pageFields(page) };
};
