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
import type { InstanceProfileRecord, ManagedPolicyRecord, RoleRecord, UserRecord } from "../records.js";
import { keyOf } from "../store.js";
import { ENTITY_TAGS, listResourceTags, tagResource, untagResource, type TagTarget } from "../tags.js";
import type { IamHandler } from "../types.js";

// Tag, Untag and List*Tags for users, roles, customer managed policies and instance
// profiles; the rules (case, duplicates, order) are in ../tags.ts.

const USER: TagTarget<UserRecord> = { rules: ENTITY_TAGS.user, require: requireUser, save: (ctx, user) => ctx.store.save("user", user) };
const ROLE: TagTarget<RoleRecord> = { rules: ENTITY_TAGS.role, require: requireRole, save: (ctx, role) => ctx.store.save("role", role) };
/** Only customer managed policies take tags; ListPolicyTags reads AWS managed ones too. */
const POLICY: TagTarget<ManagedPolicyRecord> = {
  rules: ENTITY_TAGS.policy,
  require: requireCustomerPolicy,
  read: requirePolicy,
  save: (ctx, policy) => ctx.store.policies.put(keyOf(policy.PolicyName), policy),
};
const INSTANCE_PROFILE: TagTarget<InstanceProfileRecord> = {
  rules: ENTITY_TAGS.instanceProfile,
  require: requireInstanceProfile,
  save: (ctx, profile) => ctx.store.instanceProfiles.put(keyOf(profile.InstanceProfileName), profile),
};

export const TagUser: IamHandler<TagUserCommandInput, TagUserCommandOutput> = (i, ctx) => tagResource(ctx, USER, i.UserName!, i.Tags);
export const UntagUser: IamHandler<UntagUserCommandInput, UntagUserCommandOutput> = (i, ctx) => untagResource(ctx, USER, i.UserName!, i.TagKeys);
export const ListUserTags: IamHandler<ListUserTagsCommandInput, ListUserTagsCommandOutput> = (i, ctx) => listResourceTags(ctx, USER, i.UserName!, i);

export const TagRole: IamHandler<TagRoleCommandInput, TagRoleCommandOutput> = (i, ctx) => tagResource(ctx, ROLE, i.RoleName!, i.Tags);
export const UntagRole: IamHandler<UntagRoleCommandInput, UntagRoleCommandOutput> = (i, ctx) => untagResource(ctx, ROLE, i.RoleName!, i.TagKeys);
export const ListRoleTags: IamHandler<ListRoleTagsCommandInput, ListRoleTagsCommandOutput> = (i, ctx) => listResourceTags(ctx, ROLE, i.RoleName!, i);

export const TagPolicy: IamHandler<TagPolicyCommandInput, TagPolicyCommandOutput> = (i, ctx) => tagResource(ctx, POLICY, i.PolicyArn!, i.Tags);
export const UntagPolicy: IamHandler<UntagPolicyCommandInput, UntagPolicyCommandOutput> = (i, ctx) => untagResource(ctx, POLICY, i.PolicyArn!, i.TagKeys);
export const ListPolicyTags: IamHandler<ListPolicyTagsCommandInput, ListPolicyTagsCommandOutput> = (i, ctx) => listResourceTags(ctx, POLICY, i.PolicyArn!, i);

export const TagInstanceProfile: IamHandler<TagInstanceProfileCommandInput, TagInstanceProfileCommandOutput> = (i, ctx) =>
  tagResource(ctx, INSTANCE_PROFILE, i.InstanceProfileName!, i.Tags);
export const UntagInstanceProfile: IamHandler<UntagInstanceProfileCommandInput, UntagInstanceProfileCommandOutput> = (i, ctx) =>
  untagResource(ctx, INSTANCE_PROFILE, i.InstanceProfileName!, i.TagKeys);
export const ListInstanceProfileTags: IamHandler<ListInstanceProfileTagsCommandInput, ListInstanceProfileTagsCommandOutput> = (i, ctx) =>
  listResourceTags(ctx, INSTANCE_PROFILE, i.InstanceProfileName!, i);
