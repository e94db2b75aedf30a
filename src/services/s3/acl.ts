import { s3Error, invalidArgument, malformedXml } from "./errors.js";
import { ownerOf } from "./owner.js";
import type { BucketRecord } from "./records.js";

// Access control lists as S3 stores them: a list of grants, from a canned ACL
// (x-amz-acl, S3 User Guide "Canned ACL") or given whole (AccessControlPolicy).
// Every ACL starts with the owner's FULL_CONTROL. Stored and answered, not
// enforced (no IAM yet). Since April 2023 new buckets have BucketOwnerEnforced
// ownership, under which S3 refuses every ACL but the owner-only ones.

export interface Grant {
  Grantee: { Type: "CanonicalUser" | "Group" | "AmazonCustomerByEmail"; ID?: string; DisplayName?: string; URI?: string; EmailAddress?: string };
  Permission: "FULL_CONTROL" | "WRITE" | "WRITE_ACP" | "READ" | "READ_ACP";
}

const GROUPS = "http://acs.amazonaws.com/groups/";
const ALL_USERS = `${GROUPS}global/AllUsers`;
const AUTHENTICATED_USERS = `${GROUPS}global/AuthenticatedUsers`;
const LOG_DELIVERY = `${GROUPS}s3/LogDelivery`;

const group = (URI: string, Permission: Grant["Permission"]): Grant => ({ Grantee: { Type: "Group", URI }, Permission });

function user(account: string, Permission: Grant["Permission"]): Grant {
  const owner = ownerOf(account);
  return { Grantee: { Type: "CanonicalUser", ID: owner.ID, DisplayName: owner.DisplayName }, Permission };
}

const BUCKET_ACLS = ["private", "public-read", "public-read-write", "authenticated-read", "log-delivery-write"];
const OBJECT_ACLS = ["private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"];

/** The grants of a canned ACL; `bucketOwner` is the bucket's account (for bucket-owner-*). */
export function cannedGrants(acl: string, owner: string, bucketOwner: string, forObject: boolean): Grant[] {
  if (!(forObject ? OBJECT_ACLS : BUCKET_ACLS).includes(acl)) throw invalidArgument("", "x-amz-acl", acl);
  const grants = [user(owner, "FULL_CONTROL")];
  switch (acl) {
    case "public-read":
      grants.push(group(ALL_USERS, "READ"));
      break;
    case "public-read-write":
      grants.push(group(ALL_USERS, "READ"), group(ALL_USERS, "WRITE"));
      break;
    case "authenticated-read":
      grants.push(group(AUTHENTICATED_USERS, "READ"));
      break;
    case "log-delivery-write":
      grants.push(group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "READ_ACP"));
      break;
    case "bucket-owner-read":
      if (bucketOwner !== owner) grants.push(user(bucketOwner, "READ"));
      break;
    case "bucket-owner-full-control":
      if (bucketOwner !== owner) grants.push(user(bucketOwner, "FULL_CONTROL"));
      break;
  }
  return grants;
}

/** An ACL that grants the owner (and the bucket owner) only: what BucketOwnerEnforced allows. */
function ownerOnly(grants: Grant[], bucket: BucketRecord): boolean {
  const allowed = new Set([ownerOf(bucket.account).ID]);
  return grants.every((g) => g.Grantee.Type === "CanonicalUser" && g.Grantee.ID !== undefined && allowed.has(g.Grantee.ID) && g.Permission === "FULL_CONTROL");
}

function ownershipOf(bucket: BucketRecord): string | undefined {
  const controls = bucket.configs.OwnershipControls as { Rules?: { ObjectOwnership?: string }[] } | undefined;
  // New buckets default to BucketOwnerEnforced (see bucket-configs.ts).
  return controls === undefined ? "BucketOwnerEnforced" : controls?.Rules?.[0]?.ObjectOwnership;
}

/**
 * The grants a PutBucketAcl/PutObjectAcl (or a create with x-amz-acl) sets: from
 * the canned ACL or the AccessControlPolicy, refused under BucketOwnerEnforced
 * unless they grant the owner alone (AccessControlListNotSupported).
 */
export function grantsOf(input: Record<string, any>, bucket: BucketRecord, owner: string, forObject: boolean): Grant[] | undefined {
  const policy = input.AccessControlPolicy as { Grants?: Grant[] } | undefined;
  if (input.ACL !== undefined && policy !== undefined) {
    throw s3Error("InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed");
  }
  let grants: Grant[] | undefined;
  if (input.ACL !== undefined) grants = cannedGrants(String(input.ACL), owner, bucket.account, forObject);
  else if (policy !== undefined) {
    grants = (policy.Grants ?? []).map((g) => {
      if (!g.Grantee?.Type || !g.Permission) throw malformedXml();
      return { Grantee: g.Grantee, Permission: g.Permission };
    });
  }
  if (grants && ownershipOf(bucket) === "BucketOwnerEnforced" && !ownerOnly(grants, bucket)) {
    throw s3Error("AccessControlListNotSupported", "The bucket does not allow ACLs");
  }
  return grants;
}

/**
 * The canned ACL a CreateBucket sets (x-amz-acl), with the ownership the bucket is
 * created with: under BucketOwnerEnforced only an owner-only ACL is taken
 * (InvalidBucketAclWithObjectOwnership, S3 User Guide "Controlling ownership of objects").
 */
export function creationGrants(input: Record<string, any>, bucket: BucketRecord): Grant[] | undefined {
  if (input.ACL === undefined) return undefined;
  const grants = cannedGrants(String(input.ACL), bucket.account, bucket.account, false);
  if (ownershipOf(bucket) === "BucketOwnerEnforced" && !ownerOnly(grants, bucket)) {
    throw s3Error("InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  }
  return grants;
}

/** The Get*Acl output: the owner and the grants (the owner's FULL_CONTROL when none were set). */
export function aclOutput(owner: string, grants: Grant[] | undefined): Record<string, unknown> {
  return { Owner: ownerOf(owner), Grants: grants ?? [user(owner, "FULL_CONTROL")] };
}
