import type { AttachedPermissionsBoundary, Group, InstanceProfile, Policy, PolicyVersion, Role, User } from "@aws-sdk/client-iam";
import { encodePolicyDocument } from "./policy-document.js";
import type { GroupRecord, InstanceProfileRecord, PolicyVersionRecord, PolicyView, RoleRecord, UserRecord } from "./records.js";
import type { IamStore } from "./store.js";
import { sortedTags } from "./tags.js";

// The entities as IAM answers them. Which members appear depends on the operation,
// as recorded against AWS (LocalStack test_iam_*.snapshot.json):
// - CreateRole answers neither Description nor MaxSessionDuration nor RoleLastUsed;
//   GetRole answers all three (RoleLastUsed {} for a role never used); ListRoles
//   answers Description and MaxSessionDuration but no Tags, boundary or RoleLastUsed.
// - CreateUser/CreateRole/CreatePolicy/CreateInstanceProfile answer Tags only when
//   given; GetPolicy and GetInstanceProfile answer Tags always (possibly []);
//   GetUser and GetRole only when there are some; List* never.
// - CreatePolicy answers no Description; GetPolicy does.

const date = (ms: number) => new Date(ms);

/**
 * A user's or role's permissions boundary. AWS answers the type "Policy" (recorded:
 * test_iam_roles.snapshot.json; the API reference: "can only have a value of
 * Policy"), although the model's enum lists "PermissionsBoundaryPolicy".
 */
export function boundary(arn: string | undefined): { PermissionsBoundary?: AttachedPermissionsBoundary } {
  if (!arn) return {};
  return { PermissionsBoundary: { PermissionsBoundaryType: "Policy" as AttachedPermissionsBoundary["PermissionsBoundaryType"], PermissionsBoundaryArn: arn } };
}

export function userView(user: UserRecord, variant: "create" | "get" | "list"): User {
  return {
    Path: user.Path,
    UserName: user.UserName,
    UserId: user.UserId,
    Arn: user.Arn,
    CreateDate: date(user.CreateDate),
    ...(variant !== "list" ? boundary(user.PermissionsBoundary) : {}),
    ...(variant !== "list" && user.Tags.length > 0 ? { Tags: variant === "get" ? sortedTags(user.Tags) : user.Tags } : {}),
  };
}

export function groupView(group: GroupRecord): Group {
  return { Path: group.Path, GroupName: group.GroupName, GroupId: group.GroupId, Arn: group.Arn, CreateDate: date(group.CreateDate) };
}

/** "embedded": a role inside an instance profile, shaped as CreateRole answers it. */
export function roleView(role: RoleRecord, variant: "create" | "get" | "list" | "embedded"): Role {
  const view: Role = {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: date(role.CreateDate),
    AssumeRolePolicyDocument: encodePolicyDocument(role.AssumeRolePolicyDocument),
  };
  if ((variant === "get" || variant === "list") && role.Description !== undefined) view.Description = role.Description;
  if (variant === "get" || variant === "list") view.MaxSessionDuration = role.MaxSessionDuration;
  if (variant === "create" || variant === "get") Object.assign(view, boundary(role.PermissionsBoundary));
  if ((variant === "create" || variant === "get") && role.Tags.length > 0) {
    view.Tags = variant === "get" ? sortedTags(role.Tags) : role.Tags;
  }
  if (variant === "get") view.RoleLastUsed = {};
  return view;
}

export function policyView(store: IamStore, policy: PolicyView, variant: "create" | "get" | "list"): Policy {
  const view: Policy = {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: store.attachmentCount(policy.Arn),
    PermissionsBoundaryUsageCount: store.boundaryUsageCount(policy.Arn),
    IsAttachable: true,
    CreateDate: date(policy.CreateDate),
    UpdateDate: date(policy.UpdateDate),
  };
  if (variant === "get" && policy.Description !== undefined) view.Description = policy.Description;
  if (variant === "get") view.Tags = sortedTags(policy.Tags);
  if (variant === "create" && policy.Tags.length > 0) view.Tags = policy.Tags;
  return view;
}

export function policyVersionView(policy: PolicyView, version: PolicyVersionRecord, withDocument: boolean): PolicyVersion {
  return {
    ...(withDocument ? { Document: encodePolicyDocument(version.Document) } : {}),
    VersionId: version.VersionId,
    IsDefaultVersion: version.VersionId === policy.DefaultVersionId,
    CreateDate: date(version.CreateDate),
  };
}

export function instanceProfileView(store: IamStore, profile: InstanceProfileRecord, variant: "create" | "get" | "list"): InstanceProfile {
  const view: InstanceProfile = {
    Path: profile.Path,
    InstanceProfileName: profile.InstanceProfileName,
    InstanceProfileId: profile.InstanceProfileId,
    Arn: profile.Arn,
    CreateDate: date(profile.CreateDate),
    Roles: profile.Roles.flatMap((name) => {
      const role = store.roles.get(name.toLowerCase());
      return role ? [roleView(role, "embedded")] : [];
    }),
  };
  if (variant === "get") view.Tags = sortedTags(profile.Tags);
  if (variant === "create" && profile.Tags.length > 0) view.Tags = profile.Tags;
  return view;
}
