// The IAM entities as Terrarium stores them: one JSON document each, keyed by the
// lower-cased name (IAM names are unique regardless of case: "you cannot create
// resources named both MyResource and myresource", IAM User Guide, "IAM object
// quotas / names"). Times are epoch milliseconds; documents are kept exactly as
// the caller sent them, since IAM answers them back verbatim (URL-encoded).

export interface TagRecord {
  Key: string;
  Value: string;
}

/** Inline policies by name: the document text as given. */
export type InlinePolicies = Record<string, { PolicyName: string; PolicyDocument: string }>;

export interface AccessKeyRecord {
  AccessKeyId: string;
  SecretAccessKey: string;
  Status: "Active" | "Inactive";
  CreateDate: number;
}

export interface LoginProfileRecord {
  CreateDate: number;
  PasswordResetRequired: boolean;
}

export interface UserRecord {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  Tags: TagRecord[];
  PermissionsBoundary?: string;
  InlinePolicies: InlinePolicies;
  /** Managed policy ARNs, in attachment order. */
  AttachedPolicies: string[];
  AccessKeys: AccessKeyRecord[];
  LoginProfile?: LoginProfileRecord;
}

export interface GroupRecord {
  GroupName: string;
  GroupId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  /** Members by UserId, which survives UpdateUser renames. */
  Members: string[];
  InlinePolicies: InlinePolicies;
  AttachedPolicies: string[];
}

export interface RoleRecord {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: string;
  Tags: TagRecord[];
  InlinePolicies: InlinePolicies;
  AttachedPolicies: string[];
  /** Set for roles made by CreateServiceLinkedRole. */
  ServiceLinked?: { ServiceName: string };
}

export interface PolicyVersionRecord {
  VersionId: string;
  Document: string;
  CreateDate: number;
}

/** A customer managed policy. AWS managed ones are constants (aws-managed-policies.ts). */
export interface ManagedPolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: number;
  UpdateDate: number;
  DefaultVersionId: string;
  /** Newest first, as ListPolicyVersions answers. */
  Versions: PolicyVersionRecord[];
  /** Version ids count up and are never reused (v1, v2, ...), even after deletes. */
  NextVersion: number;
  Tags: TagRecord[];
}

export interface InstanceProfileRecord {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  /** Role names (roles cannot be renamed). IAM allows at most one. */
  Roles: string[];
  Tags: TagRecord[];
}

export interface PasswordPolicyRecord {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

export interface AccountSettingsRecord {
  AccountAlias?: string;
  PasswordPolicy?: PasswordPolicyRecord;
}

/** An OpenID Connect identity provider, keyed by ARN. */
export interface OidcProviderRecord {
  Arn: string;
  /** The URL without its https:// scheme, as GetOpenIDConnectProvider answers it. */
  Url: string;
  ClientIDList: string[];
  ThumbprintList: string[];
  CreateDate: number;
  Tags: TagRecord[];
}

/** What a managed policy looks like to the handlers, customer or AWS managed. */
export interface PolicyView extends Omit<ManagedPolicyRecord, "NextVersion"> {
  awsManaged: boolean;
}
