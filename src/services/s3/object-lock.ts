import { invalidArgument, invalidRequest, malformedXml, s3Error } from "./errors.js";
import type { BucketRecord, ObjectLock, ObjectRecord } from "./records.js";
import type { S3Input, S3Output } from "./types.js";

// Object Lock (S3 User Guide, "Locking objects with Object Lock"): a bucket made
// with ObjectLockEnabledForBucket (or given a configuration while versioned) keeps
// a default retention; each version may carry a retention (GOVERNANCE or
// COMPLIANCE, until a date) and a legal hold. A locked version cannot be deleted
// (by version id) nor have its retention shortened: GOVERNANCE yields to
// x-amz-bypass-governance-retention, COMPLIANCE and a legal hold to nothing.
// Deleting without a version id only adds a delete marker, which is allowed.

export interface ObjectLockConfig {
  ObjectLockEnabled: "Enabled";
  Rule?: { DefaultRetention: { Mode: "GOVERNANCE" | "COMPLIANCE"; Days?: number; Years?: number } };
}

const MODES = new Set(["GOVERNANCE", "COMPLIANCE"]);
const DAY_MS = 86_400_000;

export function lockConfigOf(bucket: BucketRecord): ObjectLockConfig | undefined {
  return (bucket.configs["ObjectLock"] as ObjectLockConfig | undefined) ?? undefined;
}

export function requireLockEnabled(bucket: BucketRecord): ObjectLockConfig {
  const config = lockConfigOf(bucket);
  if (!config) throw invalidRequest("Bucket is missing Object Lock Configuration");
  return config;
}

/** Checks PutObjectLockConfiguration's body (PutObjectLockConfiguration API reference). */
export function readLockConfig(input: S3Input): ObjectLockConfig {
  const config = input.ObjectLockConfiguration as Record<string, any> | undefined;
  if (!config || config.ObjectLockEnabled !== "Enabled") throw malformedXml();
  const retention = config.Rule?.DefaultRetention as Record<string, any> | undefined;
  if (config.Rule && !retention) throw malformedXml();
  if (!retention) return { ObjectLockEnabled: "Enabled" };
  if (!MODES.has(retention.Mode)) throw malformedXml();
  if ((retention.Days === undefined) === (retention.Years === undefined)) throw malformedXml();
  const period = Number(retention.Days ?? retention.Years);
  if (!Number.isInteger(period) || period <= 0) throw invalidArgument("Default retention period must be a positive integer value", "DefaultRetention");
  return {
    ObjectLockEnabled: "Enabled",
    Rule: { DefaultRetention: { Mode: retention.Mode, ...(retention.Days !== undefined ? { Days: period } : { Years: period }) } },
  };
}

function retainUntilOf(value: unknown): number {
  const ms = value instanceof Date ? value.getTime() : new Date(String(value)).getTime();
  if (Number.isNaN(ms)) throw malformedXml();
  return ms;
}

/**
 * The lock a new version gets (PutObject, CopyObject, CreateMultipartUpload): the
 * x-amz-object-lock-* headers, else the bucket's default retention.
 */
export function lockForNewVersion(bucket: BucketRecord, input: S3Input, now: number, withDefault = true): ObjectLock | undefined {
  const mode = input.ObjectLockMode as string | undefined;
  const until = input.ObjectLockRetainUntilDate as unknown;
  const hold = input.ObjectLockLegalHoldStatus as string | undefined;
  const config = lockConfigOf(bucket);
  if (mode !== undefined || until !== undefined || hold !== undefined) {
    if (!config) throw invalidRequest("Bucket is missing Object Lock Configuration");
    if ((mode === undefined) !== (until === undefined)) {
      throw invalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
    }
    if (mode !== undefined && !MODES.has(mode)) throw invalidArgument("Unknown wormMode directive.", "x-amz-object-lock-mode", mode);
    if (hold !== undefined && hold !== "ON" && hold !== "OFF") throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", "x-amz-object-lock-legal-hold", hold);
  }
  if (!config) return undefined;
  const lock: ObjectLock = {};
  if (mode !== undefined) {
    const retainUntil = retainUntilOf(until);
    if (retainUntil <= now) throw invalidArgument("The retain until date must be in the future!");
    lock.mode = mode as ObjectLock["mode"];
    lock.retainUntil = retainUntil;
  } else if (config.Rule && withDefault) {
    const { Mode, Days, Years } = config.Rule.DefaultRetention;
    const until = new Date(now);
    if (Years !== undefined) until.setUTCFullYear(until.getUTCFullYear() + Years);
    else until.setTime(now + Days! * DAY_MS);
    lock.mode = Mode;
    lock.retainUntil = until.getTime();
  }
  if (hold !== undefined) lock.legalHold = hold as ObjectLock["legalHold"];
  return lock.mode || lock.legalHold ? lock : undefined;
}

/** The x-amz-object-lock-* members GetObject and HeadObject answer with. */
export function lockHeaders(record: ObjectRecord): S3Output {
  const lock = record.lock;
  if (!lock) return {};
  return {
    ObjectLockMode: lock.mode,
    ObjectLockRetainUntilDate: lock.retainUntil === undefined ? undefined : new Date(lock.retainUntil),
    ObjectLockLegalHoldStatus: lock.legalHold,
  };
}

function accessDenied() {
  return s3Error("AccessDenied", "Access Denied");
}

/** Whether a version's retention is still running. */
export function retained(lock: ObjectLock | undefined, now: number): boolean {
  return lock?.mode !== undefined && lock.retainUntil !== undefined && lock.retainUntil > now;
}

/** Refuses deleting a locked version for good (DeleteObject/DeleteObjects with a version id). */
export function checkDeletable(record: ObjectRecord, now: number, bypassGovernance: boolean): void {
  const lock = record.lock;
  if (!lock) return;
  if (lock.legalHold === "ON") throw accessDenied();
  if (retained(lock, now) && !(lock.mode === "GOVERNANCE" && bypassGovernance)) throw accessDenied();
}

/** A new retention may lengthen a running one; shortening, removing or changing its mode needs GOVERNANCE and the bypass. */
export function checkRetentionChange(current: ObjectLock | undefined, next: { mode?: string; retainUntil?: number }, now: number, bypassGovernance: boolean): void {
  if (!retained(current, now)) return;
  const weakens = next.mode === undefined || next.mode !== current!.mode || (next.retainUntil ?? 0) < current!.retainUntil!;
  if (!weakens) return;
  if (current!.mode === "GOVERNANCE" && bypassGovernance) return;
  throw accessDenied();
}

export { retainUntilOf };

/** Whether a version may not be deleted for good now (lifecycle rules leave it). */
export function isLocked(record: ObjectRecord, now: number): boolean {
  return record.lock?.legalHold === "ON" || retained(record.lock, now);
}
