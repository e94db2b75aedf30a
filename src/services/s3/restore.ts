import { s3Error } from "./errors.js";
import { notify, type EventOrigin } from "./notifications.js";
import type { BucketRecord, ObjectRecord } from "./records.js";
import type { S3Store } from "./store.js";

// Archived objects (S3 User Guide, "Restoring an archived object"): a GLACIER or
// DEEP_ARCHIVE object's bytes cannot be read or copied until RestoreObject has
// made a temporary copy, which takes hours on the shared clock (by retrieval
// tier) and lasts the days asked for, to the next midnight UTC. HEAD answers the
// state in x-amz-restore. The restore's events (ObjectRestore:Post, :Completed,
// :Delete) are timers of this process: a restart keeps the state, not the events
// still to come.

const ARCHIVED = new Set(["GLACIER", "DEEP_ARCHIVE"]);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long a restore takes, by storage class and tier (the guide's "Archive retrieval options", upper bounds). */
const DELAYS: Record<string, Record<string, number>> = {
  GLACIER: { Expedited: 5 * 60_000, Standard: 5 * HOUR, Bulk: 12 * HOUR },
  DEEP_ARCHIVE: { Standard: 12 * HOUR, Bulk: 48 * HOUR },
};

export function isArchived(record: ObjectRecord): boolean {
  return ARCHIVED.has(record.storageClass);
}

function restoredAt(record: ObjectRecord, now: number): boolean {
  const r = record.restore;
  return r !== undefined && now >= r.readyAt && now < r.expiresAt;
}

/** x-amz-restore of an object being or having been restored. */
export function restoreHeader(record: ObjectRecord, now: number): string | undefined {
  const r = record.restore;
  if (!r || now >= r.expiresAt) return undefined;
  if (now < r.readyAt) return 'ongoing-request="true"';
  return `ongoing-request="false", expiry-date="${new Date(r.expiresAt).toUTCString()}"`;
}

/** A listing's RestoreStatus (x-amz-optional-object-attributes: RestoreStatus), for an object being or having been restored. */
export function restoreStatus(record: ObjectRecord, now: number): { IsRestoreInProgress: boolean; RestoreExpiryDate?: Date } | undefined {
  const r = record.restore;
  if (!r || now >= r.expiresAt) return undefined;
  return now < r.readyAt ? { IsRestoreInProgress: true } : { IsRestoreInProgress: false, RestoreExpiryDate: new Date(r.expiresAt) };
}

/** GetObject of an archived object without a restored copy (GetObject API reference, InvalidObjectState). */
export function checkReadable(record: ObjectRecord, now: number): void {
  if (isArchived(record) && !restoredAt(record, now)) {
    throw s3Error("InvalidObjectState", "The operation is not valid for the object's storage class", { StorageClass: record.storageClass });
  }
}

/** CopyObject and UploadPartCopy from an archived source without a restored copy. */
export function checkCopyable(record: ObjectRecord, now: number): void {
  if (isArchived(record) && !restoredAt(record, now)) {
    throw s3Error(
      "ObjectNotInActiveTierError",
      "The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.",
    );
  }
}

/**
 * Starts (or, for an object restored already, extends) a restore of `record`
 * for `days`; answers whether it was restored already. The record is saved.
 */
export function restore(store: S3Store, bucket: BucketRecord, record: ObjectRecord, days: number, tier: string, origin: EventOrigin): boolean {
  const now = store.clock.now();
  if (!isArchived(record)) {
    throw s3Error("InvalidObjectState", "Restore is not allowed for the object's current storage class", { StorageClass: record.storageClass });
  }
  const current = record.restore;
  if (current && now < current.readyAt) throw s3Error("RestoreAlreadyInProgress", "Object restore is already in progress");
  const expiryFrom = (at: number) => Math.ceil((at + days * DAY) / DAY) * DAY;
  if (current && now < current.expiresAt) {
    record.restore = { readyAt: current.readyAt, expiresAt: expiryFrom(now) };
    store.updateVersion(bucket.name, record);
    scheduleExpiry(store, bucket, record);
    return true;
  }
  const delays = DELAYS[record.storageClass];
  const readyAt = now + (delays[tier] ?? delays.Standard);
  record.restore = { readyAt, expiresAt: expiryFrom(readyAt) };
  store.updateVersion(bucket.name, record);
  notify(store, bucket, "ObjectRestore:Post", record, origin);
  store.clock.at(readyAt, () => {
    const now = store.clock.now();
    const found = store.version(bucket.name, record.key, record.versionId)?.record;
    if (found && restoredAt(found, now)) notify(store, bucket, "ObjectRestore:Completed", found, origin);
  });
  scheduleExpiry(store, bucket, record);
  return false;
}

/** The restored copy goes at its expiry: the event, and the state cleared. */
function scheduleExpiry(store: S3Store, bucket: BucketRecord, record: ObjectRecord): void {
  const expiresAt = record.restore!.expiresAt;
  store.clock.at(expiresAt, () => {
    const found = store.version(bucket.name, record.key, record.versionId)?.record;
    // A later restore moved the expiry: its own timer will come.
    if (!found?.restore || found.restore.expiresAt !== expiresAt) return;
    delete found.restore;
    store.updateVersion(bucket.name, found);
    notify(store, bucket, "ObjectRestore:Delete", found, { requestId: "restore-expiry", principalId: "s3.amazonaws.com" });
  });
}
