import { s3Error } from "./errors.js";
import { notify, type EventOrigin } from "./notifications.js";
import type { BucketRecord, ObjectRecord } from "./records.js";
import type { S3Store } from "./store.js";

// Archived objects (S3 User Guide, "Restoring an archived object"): a GLACIER or
// DEEP_ARCHIVE object's bytes cannot be read or copied until RestoreObject has
// made a temporary copy, which takes hours on the shared clock (by retrieval
// tier) and lasts the days asked for, to the next midnight UTC. HEAD answers the
// state in x-amz-restore. The restore's events (ObjectRestore:Post, :Completed,
// :Delete) come from clock timers; each restore still to complete or expire is
// also a document (S3Store.collection), so that after a restart with a data dir
// the timers are armed again (rearmRestores) and the events still come.

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
  const pending: PendingRestore = { bucket: bucket.name, key: record.key, versionId: record.versionId, readyAt, expiresAt: record.restore.expiresAt, origin };
  pendingRestores(store).put(idOf(pending), pending);
  scheduleCompletion(store, pending);
  scheduleExpiry(store, bucket, record);
  return false;
}

/** A restore still to complete or expire, kept as a document. */
interface PendingRestore {
  bucket: string;
  key: string;
  versionId: string;
  readyAt: number;
  expiresAt: number;
  /** The RestoreObject request's, for its ObjectRestore:Completed event. */
  origin: EventOrigin;
  completed?: boolean;
}

const pendingRestores = (store: S3Store) => store.collection<PendingRestore>("restores");
const idOf = (p: { bucket: string; key: string; versionId: string }) => JSON.stringify([p.bucket, p.key, p.versionId]);

/** ObjectRestore:Completed once the copy is ready. */
function scheduleCompletion(store: S3Store, pending: PendingRestore): void {
  store.clock.at(pending.readyAt, () => {
    const bucket = store.findBucket(pending.bucket);
    const found = bucket && store.version(bucket.name, pending.key, pending.versionId)?.record;
    if (!bucket || !found || found.restore?.readyAt !== pending.readyAt) return;
    const docs = pendingRestores(store);
    const doc = docs.get(idOf(pending));
    if (doc) docs.put(idOf(pending), { ...doc, completed: true });
    // Also when the copy expired already (a restart slept through both): its Completed comes before its Delete.
    notify(store, bucket, "ObjectRestore:Completed", found, pending.origin);
  });
}

/** The restored copy goes at its expiry: the event, and the state cleared. */
function scheduleExpiry(store: S3Store, bucket: BucketRecord, record: ObjectRecord): void {
  const expiresAt = record.restore!.expiresAt;
  const id = idOf({ bucket: bucket.name, key: record.key, versionId: record.versionId });
  const docs = pendingRestores(store);
  const doc = docs.get(id);
  if (doc && doc.expiresAt !== expiresAt) docs.put(id, { ...doc, expiresAt });
  store.clock.at(expiresAt, () => {
    const found = store.version(bucket.name, record.key, record.versionId)?.record;
    // A later restore moved the expiry: its own timer will come.
    if (found?.restore && found.restore.expiresAt !== expiresAt) return;
    pendingRestores(store).delete(id);
    if (!found?.restore) return;
    delete found.restore;
    store.updateVersion(bucket.name, found);
    notify(store, store.findBucket(bucket.name) ?? bucket, "ObjectRestore:Delete", found, { requestId: "restore-expiry", principalId: "s3.amazonaws.com" });
  });
}

/**
 * Arms again the timers of the restores still pending when the store opens (after a
 * restart): a completion or expiry already due fires on the clock's next turn.
 */
export function rearmRestores(store: S3Store): void {
  const docs = pendingRestores(store);
  for (const [id, pending] of docs.entries()) {
    const bucket = store.findBucket(pending.bucket);
    const record = bucket && store.version(bucket.name, pending.key, pending.versionId)?.record;
    // Gone, or restored again since (its own document replaced this one).
    if (!bucket || !record?.restore || record.restore.readyAt !== pending.readyAt) {
      docs.delete(id);
      continue;
    }
    if (!pending.completed) scheduleCompletion(store, pending);
    scheduleExpiry(store, bucket, record);
  }
}
