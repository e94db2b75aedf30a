import { loadModel } from "../../models/load.js";
import { s3Error } from "./errors.js";

// Bucket naming rules for general purpose buckets (S3 User Guide, "General purpose
// bucket naming rules") and the LocationConstraint a CreateBucket may carry.

const NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export function validateBucketName(name: string): void {
  const valid =
    NAME.test(name) &&
    !name.includes("..") &&
    !IP.test(name) &&
    !RESERVED_PREFIXES.some((p) => name.startsWith(p)) &&
    !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
  if (!valid) throw s3Error("InvalidBucketName", "The specified bucket is not valid.", { BucketName: name });
}

/**
 * The region a CreateBucket puts the bucket in. On us-east-1 (the legacy global
 * endpoint) the body may name any other region but not us-east-1 itself
 * (InvalidLocationConstraint); elsewhere it must name the endpoint's region
 * (IllegalLocationConstraintException), as LocalStack also answers. "EU" is the
 * legacy alias of eu-west-1.
 */
export function bucketRegion(requestRegion: string, constraint: string | undefined): string {
  const wanted = constraint === "EU" ? "eu-west-1" : constraint || undefined;
  if (requestRegion === "us-east-1") {
    // The legacy endpoint takes any region the model's BucketLocationConstraint
    // lists, us-east-1 excepted; a name it does not know is not a region.
    if (wanted !== undefined && (wanted === "us-east-1" || !locationConstraints().has(constraint!))) {
      throw s3Error("InvalidLocationConstraint", "The specified location-constraint is not valid", { LocationConstraint: constraint });
    }
    return wanted ?? "us-east-1";
  }
  if (wanted === undefined) {
    throw s3Error(
      "IllegalLocationConstraintException",
      "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.",
    );
  }
  if (wanted !== requestRegion) {
    throw s3Error(
      "IllegalLocationConstraintException",
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  return wanted;
}

let constraints: Set<string> | undefined;

/** The LocationConstraint values S3 knows (the model's BucketLocationConstraint enum). */
function locationConstraints(): Set<string> {
  constraints ??= new Set((loadModel("s3").shapes["BucketLocationConstraint"] as { enum?: string[] }).enum ?? []);
  return constraints;
}
