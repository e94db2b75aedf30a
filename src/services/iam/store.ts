import type { Collection } from "../../storage/documents.js";
import type { StoreScope } from "../service.js";
import { awsManagedPolicy } from "./aws-managed-policies.js";
import type {
  AccountSettingsRecord,
  GroupRecord,
  InstanceProfileRecord,
  ManagedPolicyRecord,
  OidcProviderRecord,
  PolicyView,
  RoleRecord,
  UserRecord,
} from "./records.js";

// One account's IAM state: documents per entity kind, written through to SQLite,
// plus in-memory indexes derived from them (which entities use which managed
// policy, as attachment or permissions boundary; which user owns which access key),
// rebuilt when the store is created so they never disagree with the documents.

/** The entities policies attach to, by kind. */
export interface PrincipalRecords {
  user: UserRecord;
  group: GroupRecord;
  role: RoleRecord;
}
export type PrincipalKind = keyof PrincipalRecords;
export type Principal = PrincipalRecords[PrincipalKind];

/** IAM keys entities by name without case. */
export const keyOf = (name: string): string => name.toLowerCase();

export class IamStore {
  readonly account: string;
  readonly partition = "aws";
  /** When this account's IAM was first used in this process: the root user's CreateDate. */
  readonly createdAt: number;
  readonly users: Collection<UserRecord>;
  readonly groups: Collection<GroupRecord>;
  readonly roles: Collection<RoleRecord>;
  readonly policies: Collection<ManagedPolicyRecord>;
  readonly instanceProfiles: Collection<InstanceProfileRecord>;
  readonly oidcProviders: Collection<OidcProviderRecord>;
  /** Account-level settings, one document ("account"). */
  readonly settings: Collection<AccountSettingsRecord>;

  /** policy ARN -> "<kind>:<entity id>" of the entities it is attached to. */
  private readonly attachments = new Map<string, Set<string>>();
  /** policy ARN -> entities using it as permissions boundary. */
  private readonly boundaries = new Map<string, Set<string>>();
  /** access key id -> user key. */
  private readonly keyOwners = new Map<string, string>();

  constructor(scope: StoreScope) {
    const collection = <T>(kind: string) =>
      scope.documents.collection<T>(scope.service, scope.account, scope.region, kind);
    this.account = scope.account;
    this.createdAt = Math.floor(scope.clock.now() / 1000) * 1000;
    this.users = collection("users");
    this.groups = collection("groups");
    this.roles = collection("roles");
    this.policies = collection("policies");
    this.instanceProfiles = collection("instance-profiles");
    this.settings = collection("settings");
    this.oidcProviders = collection("oidc-providers");
    for (const [kind, entity] of this.principals()) {
      for (const arn of entity.AttachedPolicies) this.index(this.attachments, arn).add(refOf(kind, entity));
      const boundary = "PermissionsBoundary" in entity ? entity.PermissionsBoundary : undefined;
      if (boundary) this.index(this.boundaries, boundary).add(refOf(kind, entity));
    }
    for (const [key, user] of this.users.entries()) for (const k of user.AccessKeys) this.keyOwners.set(k.AccessKeyId, key);
  }

  arn(resource: string): string {
    return `arn:${this.partition}:iam::${this.account}:${resource}`;
  }

  *principals(): Generator<[PrincipalKind, Principal]> {
    for (const u of this.users.values()) yield ["user", u];
    for (const g of this.groups.values()) yield ["group", g];
    for (const r of this.roles.values()) yield ["role", r];
  }

  save(kind: PrincipalKind, entity: Principal): void {
    if (kind === "user") this.users.put(keyOf((entity as UserRecord).UserName), entity as UserRecord);
    else if (kind === "group") this.groups.put(keyOf((entity as GroupRecord).GroupName), entity as GroupRecord);
    else this.roles.put(keyOf((entity as RoleRecord).RoleName), entity as RoleRecord);
  }

  // --- managed policies -------------------------------------------------------

  /** A customer managed policy of this account or an AWS managed one, by exact ARN. */
  policy(arn: string): PolicyView | undefined {
    const aws = awsManagedPolicy(arn);
    if (aws) return aws;
    const name = arn.slice(arn.lastIndexOf("/") + 1);
    const record = this.policies.get(keyOf(name));
    return record && record.Arn === arn ? { ...record, awsManaged: false } : undefined;
  }

  attachmentCount(arn: string): number {
    return this.attachments.get(arn)?.size ?? 0;
  }

  boundaryUsageCount(arn: string): number {
    return this.boundaries.get(arn)?.size ?? 0;
  }

  /** ARNs of every managed policy attached to something in this account. */
  attachedPolicyArns(): string[] {
    return [...this.attachments.entries()].filter(([, users]) => users.size > 0).map(([arn]) => arn);
  }

  /** The entities a policy is attached to (ListEntitiesForPolicy). */
  entitiesUsing(arn: string): [PrincipalKind, Principal][] {
    const refs = this.attachments.get(arn);
    if (!refs || refs.size === 0) return [];
    return [...this.principals()].filter(([kind, entity]) => refs.has(refOf(kind, entity)));
  }

  attach(kind: PrincipalKind, entity: Principal, arn: string): void {
    if (!entity.AttachedPolicies.includes(arn)) entity.AttachedPolicies.push(arn);
    this.save(kind, entity);
    this.index(this.attachments, arn).add(refOf(kind, entity));
  }

  detach(kind: PrincipalKind, entity: Principal, arn: string): void {
    entity.AttachedPolicies = entity.AttachedPolicies.filter((a) => a !== arn);
    this.save(kind, entity);
    this.attachments.get(arn)?.delete(refOf(kind, entity));
  }

  setBoundary(kind: "user" | "role", entity: UserRecord | RoleRecord, arn: string | undefined): void {
    if (entity.PermissionsBoundary) this.boundaries.get(entity.PermissionsBoundary)?.delete(refOf(kind, entity));
    entity.PermissionsBoundary = arn;
    if (arn === undefined) delete entity.PermissionsBoundary;
    this.save(kind, entity);
    if (arn) this.index(this.boundaries, arn).add(refOf(kind, entity));
  }

  /** Forget a deleted entity's boundary (attachments must be gone already: DeleteConflict). */
  forget(kind: PrincipalKind, entity: Principal): void {
    const boundary = "PermissionsBoundary" in entity ? entity.PermissionsBoundary : undefined;
    if (boundary) this.boundaries.get(boundary)?.delete(refOf(kind, entity));
  }

  // --- users, groups, access keys --------------------------------------------

  groupsOf(user: UserRecord): GroupRecord[] {
    return this.groups.values().filter((g) => g.Members.includes(user.UserId));
  }

  membersOf(group: GroupRecord): UserRecord[] {
    const ids = new Set(group.Members);
    return this.users.values().filter((u) => ids.has(u.UserId));
  }

  ownerOfKey(accessKeyId: string): UserRecord | undefined {
    const key = this.keyOwners.get(accessKeyId);
    return key === undefined ? undefined : this.users.get(key);
  }

  keyAdded(user: UserRecord, accessKeyId: string): void {
    this.keyOwners.set(accessKeyId, keyOf(user.UserName));
  }

  keyRemoved(accessKeyId: string): void {
    this.keyOwners.delete(accessKeyId);
  }

  /** UpdateUser: re-key the user's document and its key index entries. */
  renameUser(oldKey: string, user: UserRecord): void {
    this.users.delete(oldKey);
    this.users.put(keyOf(user.UserName), user);
    for (const k of user.AccessKeys) this.keyOwners.set(k.AccessKeyId, keyOf(user.UserName));
  }

  profilesWithRole(roleName: string): InstanceProfileRecord[] {
    return this.instanceProfiles.values().filter((p) => p.Roles.some((r) => keyOf(r) === keyOf(roleName)));
  }

  private index(map: Map<string, Set<string>>, arn: string): Set<string> {
    let set = map.get(arn);
    if (!set) map.set(arn, (set = new Set()));
    return set;
  }
}

function refOf(kind: PrincipalKind, entity: Principal): string {
  const id = kind === "user" ? (entity as UserRecord).UserId : kind === "group" ? (entity as GroupRecord).GroupId : (entity as RoleRecord).RoleId;
  return `${kind}:${id}`;
}

export function createIamStore(scope: StoreScope): IamStore {
  return new IamStore(scope);
}
