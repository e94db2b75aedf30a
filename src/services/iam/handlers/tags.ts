import type {
  ListInstanceProfileTagsCommandInput,
  ListInstanceProfileTagsCommandOutput,
  ListPolicyTagsCommandInput,
  ListPolicyTagsCommandOutput,
  ListRoleTagsCommandInput,
  ListRoleTagsCommandOutput,
  ListUserTagsCommandInput,
  ListUserTagsCommandOutput,
  TagInstanceProfileCommandInput,
  TagInstanceProfileCommandOutput,
  TagPolicyCommandInput,
  TagPolicyCommandOutput,
  TagRoleCommandInput,
  TagRoleCommandOutput,
  TagUserCommandInput,
  TagUserCommandOutput,
  UntagInstanceProfileCommandInput,
  UntagInstanceProfileCommandOutput,
  UntagPolicyCommandInput,
  UntagPolicyCommandOutput,
  UntagRoleCommandInput,
  UntagRoleCommandOutput,
  UntagUserCommandInput,
  UntagUserCommandOutput,
} from "@aws-sdk/client-iam";
import { requireCustomerPolicy, requireInstanceProfile, requirePolicy, requireRole, requireUser } from "../lookups.js";
import { pageFields, paginate, type PageInput } from "../pagination.js";
import type { TagRecord } from "../records.js";
import { keyOf } from "../store.js";
import { ENTITY_TAGS, mergeTags, removeTags, sortedTags } from "../tags.js";
import type { IamHandler } from "../types.js";

// Tag, Untag and List*Tags for users, roles, customer managed policies and instance
// profiles; the rules (case, duplicates, order) are in ../tags.ts.

function listTags(tags: TagRecord[], input: PageInput) {
  const page = paginate(sortedTags(tags), (t) => t.Key!, input);
  return { Tags: page.items, ...pageFields(page) };
}

export const TagUser: IamHandler<TagUserCommandInput, TagUserCommandOutput> = (input, ctx) => {
  const user = requireUser(ctx, input.UserName!);
  user.Tags = mergeTags(ctx.errors, ENTITY_TAGS.user, user.Tags, input.Tags);
  ctx.store.users.put(keyOf(user.UserName), user);
  return {};
};

export const UntagUser: IamHandler<UntagUserCommandInput, UntagUserCommandOutput> = (input, ctx) => {
  const user = requireUser(ctx, input.UserName!);
  user.Tags = removeTags(ENTITY_TAGS.user, user.Tags, input.TagKeys);
  ctx.store.users.put(keyOf(user.UserName), user);
  return {};
};

export const ListUserTags: IamHandler<ListUserTagsCommandInput, ListUserTagsCommandOutput> = (input, ctx) =>
  listTags(requireUser(ctx, input.UserName!).Tags, input);

export const TagRole: IamHandler<TagRoleCommandInput, TagRoleCommandOutput> = (input, ctx) => {
  const role = requireRole(ctx, input.RoleName!);
  role.Tags = mergeTags(ctx.errors, ENTITY_TAGS.role, role.Tags, input.Tags);
  ctx.store.roles.put(keyOf(role.RoleName), role);
  return {};
};

export const UntagRole: IamHandler<UntagRoleCommandInput, UntagRoleCommandOutput> = (input, ctx) => {
  const role = requireRole(ctx, input.RoleName!);
  role.Tags = removeTags(ENTITY_TAGS.role, role.Tags, input.TagKeys);
  ctx.store.roles.put(keyOf(role.RoleName), role);
  return {};
};

export const ListRoleTags: IamHandler<ListRoleTagsCommandInput, ListRoleTagsCommandOutput> = (input, ctx) =>
  listTags(requireRole(ctx, input.RoleName!).Tags, input);

export const TagPolicy: IamHandler<TagPolicyCommandInput, TagPolicyCommandOutput> = (input, ctx) => {
  const policy = requireCustomerPolicy(ctx, input.PolicyArn!);
  policy.Tags = mergeTags(ctx.errors, ENTITY_TAGS.policy, policy.Tags, input.Tags);
  ctx.store.policies.put(keyOf(policy.PolicyName), policy);
  return {};
};

export const UntagPolicy: IamHandler<UntagPolicyCommandInput, UntagPolicyCommandOutput> = (input, ctx) => {
  const policy = requireCustomerPolicy(ctx, input.PolicyArn!);
  policy.Tags = removeTags(ENTITY_TAGS.policy, policy.Tags, input.TagKeys);
  ctx.store.policies.put(keyOf(policy.PolicyName), policy);
  return {};
};

export const ListPolicyTags: IamHandler<ListPolicyTagsCommandInput, ListPolicyTagsCommandOutput> = (input, ctx) =>
  listTags(requirePolicy(ctx, input.PolicyArn!).Tags, input);

export const TagInstanceProfile: IamHandler<TagInstanceProfileCommandInput, TagInstanceProfileCommandOutput> = (input, ctx) => {
  const profile = requireInstanceProfile(ctx, input.InstanceProfileName!);
  profile.Tags = mergeTags(ctx.errors, ENTITY_TAGS.instanceProfile, profile.Tags, input.Tags);
  ctx.store.instanceProfiles.put(keyOf(profile.InstanceProfileName), profile);
  return {};
};

export const UntagInstanceProfile: IamHandler<UntagInstanceProfileCommandInput, UntagInstanceProfileCommandOutput> = (
  input,
  ctx,
) => {
  const profile = requireInstanceProfile(ctx, input.InstanceProfileName!);
  profile.Tags = removeTags(ENTITY_TAGS.instanceProfile, profile.Tags, input.TagKeys);
  ctx.store.instanceProfiles.put(keyOf(profile.InstanceProfileName), profile);
  return {};
};

export const ListInstanceProfileTags: IamHandler<ListInstanceProfileTagsCommandInput, ListInstanceProfileTagsCommandOutput> = (
  input,
  ctx,
) => listTags(requireInstanceProfile(ctx, input.InstanceProfileName!).Tags, input);
