import type {
  AddRoleToInstanceProfileCommandInput,
  AddRoleToInstanceProfileCommandOutput,
  CreateInstanceProfileCommandInput,
  CreateInstanceProfileCommandOutput,
  DeleteInstanceProfileCommandInput,
  DeleteInstanceProfileCommandOutput,
  GetInstanceProfileCommandInput,
  GetInstanceProfileCommandOutput,
  ListInstanceProfilesCommandInput,
  ListInstanceProfilesCommandOutput,
  ListInstanceProfilesForRoleCommandInput,
  ListInstanceProfilesForRoleCommandOutput,
  RemoveRoleFromInstanceProfileCommandInput,
  RemoveRoleFromInstanceProfileCommandOutput,
} from "@aws-sdk/client-iam";
import { iamUniqueId } from "../../../platform/ids.js";
import { conflict, limit, noSuch } from "../errors.js";
import { requireFreeName, requireInstanceProfile, requireRole } from "../lookups.js";
import { pageFields, paginateSorted, paginateUnderPath } from "../pagination.js";
import type { InstanceProfileRecord } from "../records.js";
import { keyOf } from "../store.js";
import { ENTITY_TAGS, requestTags } from "../tags.js";
import { nowSeconds, type IamHandler } from "../types.js";
import { instanceProfileView } from "../views.js";

// Instance profiles, each holding at most one role. Messages recorded against AWS:
// LocalStack test_iam_instance_profiles.snapshot.json.

const ROLES_PER_PROFILE = 1; // IAM quota InstanceSessionsPerInstanceProfile

const byName = (profile: InstanceProfileRecord) => keyOf(profile.InstanceProfileName);

export const CreateInstanceProfile: IamHandler<CreateInstanceProfileCommandInput, CreateInstanceProfileCommandOutput> = (
  input,
  ctx,
) => {
  const name = input.InstanceProfileName!;
  requireFreeName(ctx, "instanceProfile", name);
  const tags = requestTags(ctx.errors, ENTITY_TAGS.instanceProfile, input.Tags);
  const path = input.Path ?? "/";
  const profile: InstanceProfileRecord = {
    InstanceProfileName: name,
    InstanceProfileId: iamUniqueId("AIPA"),
    Arn: ctx.store.arn(`instance-profile${path}${name}`),
    Path: path,
    CreateDate: nowSeconds(ctx),
    Roles: [],
    Tags: tags,
  };
  ctx.store.instanceProfiles.put(keyOf(name), profile);
  return { InstanceProfile: instanceProfileView(ctx.store, profile, "create") };
};

export const GetInstanceProfile: IamHandler<GetInstanceProfileCommandInput, GetInstanceProfileCommandOutput> = (input, ctx) => {
  return { InstanceProfile: instanceProfileView(ctx.store, requireInstanceProfile(ctx, input.InstanceProfileName!), "get") };
};

export const DeleteInstanceProfile: IamHandler<DeleteInstanceProfileCommandInput, DeleteInstanceProfileCommandOutput> = (
  input,
  ctx,
) => {
  const profile = requireInstanceProfile(ctx, input.InstanceProfileName!);
  if (profile.Roles.length > 0) throw conflict.rolesInProfile(ctx.errors);
  ctx.store.instanceProfiles.delete(keyOf(profile.InstanceProfileName));
  return {};
};

export const ListInstanceProfiles: IamHandler<ListInstanceProfilesCommandInput, ListInstanceProfilesCommandOutput> = (
  input,
  ctx,
) => {
  const page = paginateUnderPath(ctx.store.instanceProfiles.values(), byName, input);
  return { InstanceProfiles: page.items.map((p) => instanceProfileView(ctx.store, p, "list")), ...pageFields(page) };
};

export const AddRoleToInstanceProfile: IamHandler<AddRoleToInstanceProfileCommandInput, AddRoleToInstanceProfileCommandOutput> = (
  input,
  ctx,
) => {
  const profile = requireInstanceProfile(ctx, input.InstanceProfileName!);
  const role = requireRole(ctx, input.RoleName!);
  // Recorded: LimitExceeded "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1".
  if (profile.Roles.length >= ROLES_PER_PROFILE) {
    throw limit.quota(ctx.errors, "InstanceSessionsPerInstanceProfile", ROLES_PER_PROFILE);
  }
  profile.Roles.push(role.RoleName);
  ctx.store.instanceProfiles.put(keyOf(profile.InstanceProfileName), profile);
  return {};
};

export const RemoveRoleFromInstanceProfile: IamHandler<
  RemoveRoleFromInstanceProfileCommandInput,
  RemoveRoleFromInstanceProfileCommandOutput
> = (input, ctx) => {
  const profile = requireInstanceProfile(ctx, input.InstanceProfileName!);
  const role = requireRole(ctx, input.RoleName!);
  if (!profile.Roles.some((r) => keyOf(r) === keyOf(role.RoleName))) {
    throw noSuch.roleInProfile(ctx.errors, role.RoleName, profile.InstanceProfileName);
  }
  profile.Roles = profile.Roles.filter((r) => keyOf(r) !== keyOf(role.RoleName));
  ctx.store.instanceProfiles.put(keyOf(profile.InstanceProfileName), profile);
  return {};
};

export const ListInstanceProfilesForRole: IamHandler<
  ListInstanceProfilesForRoleCommandInput,
  ListInstanceProfilesForRoleCommandOutput
> = (input, ctx) => {
  const role = requireRole(ctx, input.RoleName!);
  const page = paginateSorted(ctx.store.profilesWithRole(role.RoleName), byName, input);
  return { InstanceProfiles: page.items.map((p) => instanceProfileView(ctx.store, p, "list")), ...pageFields(page) };
};
