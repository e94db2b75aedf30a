import type {
  AddUserToGroupCommandInput,
  AddUserToGroupCommandOutput,
  CreateGroupCommandInput,
  CreateGroupCommandOutput,
  DeleteGroupCommandInput,
  DeleteGroupCommandOutput,
  GetGroupCommandInput,
  GetGroupCommandOutput,
  ListGroupsCommandInput,
  ListGroupsCommandOutput,
  ListGroupsForUserCommandInput,
  ListGroupsForUserCommandOutput,
  RemoveUserFromGroupCommandInput,
  RemoveUserFromGroupCommandOutput,
  UpdateGroupCommandInput,
  UpdateGroupCommandOutput,
} from "@aws-sdk/client-iam";
import { iamUniqueId } from "../../../platform/ids.js";
import { conflict, limit } from "../errors.js";
import { renameTarget, requireFreeName, requireGroup, requireUser } from "../lookups.js";
import { pageFields, paginateSorted, paginateUnderPath } from "../pagination.js";
import { keyOf } from "../store.js";
import { nowSeconds, type IamHandler } from "../types.js";
import { groupView, userView } from "../views.js";

// Groups and their members. Messages recorded against AWS: LocalStack
// test_iam_groups.snapshot.json and test_iam_users.snapshot.json (TestUserGroups).

const GROUPS_PER_USER = 10; // IAM quota GroupsPerUser

export const CreateGroup: IamHandler<CreateGroupCommandInput, CreateGroupCommandOutput> = (input, ctx) => {
  const name = input.GroupName!;
  requireFreeName(ctx, "group", name);
  const path = input.Path ?? "/";
  const group = {
    GroupName: name,
    GroupId: iamUniqueId("AGPA"),
    Arn: ctx.store.arn(`group${path}${name}`),
    Path: path,
    CreateDate: nowSeconds(ctx),
    Members: [],
    InlinePolicies: {},
    AttachedPolicies: [],
  };
  ctx.store.groups.put(keyOf(name), group);
  return { Group: groupView(group) };
};

export const GetGroup: IamHandler<GetGroupCommandInput, GetGroupCommandOutput> = (input, ctx) => {
  const group = requireGroup(ctx, input.GroupName!);
  const page = paginateSorted(ctx.store.membersOf(group), (u) => keyOf(u.UserName), input);
  return { Group: groupView(group), Users: page.items.map((u) => userView(u, "list")), ...pageFields(page) };
};

export const UpdateGroup: IamHandler<UpdateGroupCommandInput, UpdateGroupCommandOutput> = (input, ctx) => {
  const group = requireGroup(ctx, input.GroupName!);
  const oldKey = keyOf(group.GroupName);
  const to = renameTarget(ctx, "group", { name: group.GroupName, path: group.Path }, { name: input.NewGroupName, path: input.NewPath });
  Object.assign(group, { GroupName: to.name, Path: to.path, Arn: to.arn });
  ctx.store.groups.delete(oldKey);
  ctx.store.groups.put(keyOf(to.name), group);
  return {};
};

export const DeleteGroup: IamHandler<DeleteGroupCommandInput, DeleteGroupCommandOutput> = (input, ctx) => {
  const group = requireGroup(ctx, input.GroupName!);
  if (ctx.store.membersOf(group).length > 0) throw conflict.usersInGroup(ctx.errors);
  if (Object.keys(group.InlinePolicies).length > 0) throw conflict.deletePolicies(ctx.errors);
  if (group.AttachedPolicies.length > 0) throw conflict.detachPolicies(ctx.errors);
  ctx.store.groups.delete(keyOf(group.GroupName));
  return {};
};

export const ListGroups: IamHandler<ListGroupsCommandInput, ListGroupsCommandOutput> = (input, ctx) => {
  const page = paginateUnderPath(ctx.store.groups.values(), (g) => keyOf(g.GroupName), input);
  return { Groups: page.items.map(groupView), ...pageFields(page) };
};

export const AddUserToGroup: IamHandler<AddUserToGroupCommandInput, AddUserToGroupCommandOutput> = (input, ctx) => {
  const user = requireUser(ctx, input.UserName!);
  const group = requireGroup(ctx, input.GroupName!);
  if (group.Members.includes(user.UserId)) return {};
  if (ctx.store.groupsOf(user).length >= GROUPS_PER_USER) throw limit.quota(ctx.errors, "GroupsPerUser", GROUPS_PER_USER);
  group.Members.push(user.UserId);
  ctx.store.groups.put(keyOf(group.GroupName), group);
  return {};
};

/** Removing a user who is not a member succeeds (recorded: remove-nonmember-user-from-group). */
export const RemoveUserFromGroup: IamHandler<RemoveUserFromGroupCommandInput, RemoveUserFromGroupCommandOutput> = (
  input,
  ctx,
) => {
  const user = requireUser(ctx, input.UserName!);
  const group = requireGroup(ctx, input.GroupName!);
  if (!group.Members.includes(user.UserId)) return {};
  group.Members = group.Members.filter((id) => id !== user.UserId);
  ctx.store.groups.put(keyOf(group.GroupName), group);
  return {};
};

export const ListGroupsForUser: IamHandler<ListGroupsForUserCommandInput, ListGroupsForUserCommandOutput> = (input, ctx) => {
  const user = requireUser(ctx, input.UserName!);
  const page = paginateSorted(ctx.store.groupsOf(user), (g) => keyOf(g.GroupName), input);
  return { Groups: page.items.map(groupView), ...pageFields(page) };
};
