import type {
  GetAccountAuthorizationDetailsCommandInput,
  GetAccountAuthorizationDetailsCommandOutput,
  GetAccountSummaryCommandInput,
  GetAccountSummaryCommandOutput,
  GroupDetail,
  ManagedPolicyDetail,
  RoleDetail,
  UserDetail,
} from "@aws-sdk/client-iam";
import { awsManagedPolicies } from "../aws-managed-policies.js";
import { pageFields, paginateSorted, sortedBy } from "../pagination.js";
import { encodePolicyDocument } from "../policy-document.js";
import type { GroupRecord, InlinePolicies, PolicyView, RoleRecord, UserRecord } from "../records.js";
import { keyOf, type IamStore } from "../store.js";
import { sortedTags } from "../tags.js";
import type { IamHandler } from "../types.js";
import { boundary, groupView, instanceProfileView, policyVersionView, policyView, roleView, userView } from "../views.js";

// Account-wide views of IAM. GetAccountSummary's keys and quota values are those
// AWS answers (recorded: LocalStack test_iam_account_summary.snapshot.json).

export const GetAccountSummary: IamHandler<GetAccountSummaryCommandInput, GetAccountSummaryCommandOutput> = (_input, ctx) => {
  const store = ctx.store;
  return {
    SummaryMap: {
      AccessKeysPerUserQuota: 2,
      AccountAccessKeysPresent: 0,
      AccountMFAEnabled: 0,
      AccountPasswordPresent: 0,
      AccountSigningCertificatesPresent: 0,
      AssumeRolePolicySizeQuota: 2048,
      AttachedPoliciesPerGroupQuota: 10,
      AttachedPoliciesPerRoleQuota: 10,
      AttachedPoliciesPerUserQuota: 10,
      GlobalEndpointTokenVersion: 1,
      GroupPolicySizeQuota: 5120,
      Groups: store.groups.size,
      GroupsPerUserQuota: 10,
      GroupsQuota: 300,
      InstanceProfiles: store.instanceProfiles.size,
      InstanceProfilesQuota: 1000,
      MFADevices: 0,
      MFADevicesInUse: 0,
      Policies: store.policies.size,
      PoliciesQuota: 1500,
      PolicySizeQuota: 6144,
      // One version of each managed policy in use is in use.
      PolicyVersionsInUse: store.attachedPolicyArns().length,
      PolicyVersionsInUseQuota: 10000,
      Providers: 0,
      RolePolicySizeQuota: 10240,
      Roles: store.roles.size,
      RolesQuota: 1000,
      ServerCertificates: 0,
      ServerCertificatesQuota: 20,
      SigningCertificatesPerUserQuota: 2,
      UserPolicySizeQuota: 2048,
      Users: store.users.size,
      UsersQuota: 5000,
      VersionsPerPolicyQuota: 5,
    },
  };
};

const inline = (policies: InlinePolicies) =>
  sortedBy(Object.values(policies), (p) => keyOf(p.PolicyName)).map((p) => ({
    PolicyName: p.PolicyName,
    PolicyDocument: encodePolicyDocument(p.PolicyDocument),
  }));

function attached(store: IamStore, arns: string[]) {
  return arns.flatMap((arn) => {
    const p = store.policy(arn);
    return p ? [{ PolicyName: p.PolicyName, PolicyArn: p.Arn }] : [];
  });
}

// Each detail starts with the entity as its List* operation answers it (a role as
// instance profiles embed it, with its trust policy).

function userDetail(store: IamStore, u: UserRecord): UserDetail {
  return {
    ...userView(u, "list"),
    UserPolicyList: inline(u.InlinePolicies),
    GroupList: store.groupsOf(u).map((g) => g.GroupName),
    AttachedManagedPolicies: attached(store, u.AttachedPolicies),
    ...boundary(u.PermissionsBoundary),
    Tags: sortedTags(u.Tags),
  };
}

function groupDetail(store: IamStore, g: GroupRecord): GroupDetail {
  return {
    ...groupView(g),
    GroupPolicyList: inline(g.InlinePolicies),
    AttachedManagedPolicies: attached(store, g.AttachedPolicies),
  };
}

function roleDetail(store: IamStore, r: RoleRecord): RoleDetail {
  return {
    ...roleView(r, "embedded"),
    InstanceProfileList: store.profilesWithRole(r.RoleName).map((p) => instanceProfileView(store, p, "list")),
    RolePolicyList: inline(r.InlinePolicies),
    AttachedManagedPolicies: attached(store, r.AttachedPolicies),
    ...boundary(r.PermissionsBoundary),
    Tags: sortedTags(r.Tags),
    RoleLastUsed: roleView(r, "get").RoleLastUsed,
  };
}

function policyDetail(store: IamStore, p: PolicyView): ManagedPolicyDetail {
  return {
    ...policyView(store, p, "list"),
    ...(p.Description !== undefined ? { Description: p.Description } : {}),
    PolicyVersionList: p.Versions.map((v) => policyVersionView(p, v, true)),
  };
}

type Entry =
  | { kind: "User"; detail: UserDetail }
  | { kind: "Group"; detail: GroupDetail }
  | { kind: "Role"; detail: RoleDetail }
  | { kind: "Policy"; detail: ManagedPolicyDetail };

/**
 * Everything in one listing, filtered by entity type. AWS managed policies appear
 * when something in the account uses them. One page spans the four lists in the
 * order users, groups, roles, policies.
 */
export const GetAccountAuthorizationDetails: IamHandler<
  GetAccountAuthorizationDetailsCommandInput,
  GetAccountAuthorizationDetailsCommandOutput
> = (input, ctx) => {
  const store = ctx.store;
  const filter = new Set(input.Filter ?? ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"]);
  const entries: [string, () => Entry][] = [];
  const add = (rank: number, name: string, make: () => Entry) => entries.push([`${rank}\u0000${name}`, make]);
  if (filter.has("User")) for (const u of store.users.values()) add(1, keyOf(u.UserName), () => ({ kind: "User", detail: userDetail(store, u) }));
  if (filter.has("Group")) for (const g of store.groups.values()) add(2, keyOf(g.GroupName), () => ({ kind: "Group", detail: groupDetail(store, g) }));
  if (filter.has("Role")) for (const r of store.roles.values()) add(3, keyOf(r.RoleName), () => ({ kind: "Role", detail: roleDetail(store, r) }));
  if (filter.has("LocalManagedPolicy")) {
    for (const p of store.policies.values()) add(4, p.Arn, () => ({ kind: "Policy", detail: policyDetail(store, { ...p, awsManaged: false }) }));
  }
  if (filter.has("AWSManagedPolicy")) {
    for (const p of awsManagedPolicies()) {
      if (store.attachmentCount(p.Arn) + store.boundaryUsageCount(p.Arn) > 0) add(4, p.Arn, () => ({ kind: "Policy", detail: policyDetail(store, p) }));
    }
  }
  const page = paginateSorted(entries, ([key]) => key, input);
  const out = { UserDetailList: [] as UserDetail[], GroupDetailList: [] as GroupDetail[], RoleDetailList: [] as RoleDetail[], Policies: [] as ManagedPolicyDetail[] };
  for (const [, make] of page.items) {
    const entry = make();
    if (entry.kind === "User") out.UserDetailList.push(entry.detail);
    else if (entry.kind === "Group") out.GroupDetailList.push(entry.detail);
    else if (entry.kind === "Role") out.RoleDetailList.push(entry.detail);
    else out.Policies.push(entry.detail);
  }
  return { ...out, ...pageFields(page) };
};
