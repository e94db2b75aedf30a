import { invalidArgument, invalidRequest, malformedXml } from "./errors.js";
import { dueNoncurrentTransition, dueTransition, readTransitions, transitionsOutput } from "./lifecycle-transitions.js";
import { isLocked } from "./object-lock.js";
import { notify } from "./notifications.js";
import type { BucketRecord, ObjectRecord } from "./records.js";
import type { Clock } from "../../platform/clock.js";
import type { S3Store } from "./store.js";

// Lifecycle rules (S3 User Guide, "Managing the lifecycle of objects"), run on the
// shared clock: expiration by days or date, filtered by prefix, tags and size;
// noncurrent version expiration; expired delete marker removal; aborting stale
// multipart uploads; transitions of current and noncurrent versions to colder
// storage classes (lifecycle-transitions.ts). S3 rounds "n days after" up to the
// next midnight UTC. Expiration wins over a transition due the same day.

export interface LifecycleRule {
  ID?: string;
  Status: "Enabled" | "Disabled";
  Prefix?: string;
  Filter?: {
    Prefix?: string;
    Tag?: { Key: string; Value: string };
    ObjectSizeGreaterThan?: number;
    ObjectSizeLessThan?: number;
    And?: { Prefix?: string; Tags?: { Key: string; Value: string }[]; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };
  };
  Expiration?: { Days?: number; Date?: string | Date; ExpiredObjectDeleteMarker?: boolean };
  NoncurrentVersionExpiration?: { NoncurrentDays?: number; NewerNoncurrentVersions?: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation?: number };
  [other: string]: unknown;
}

const DAY = 86_400_000;

/** Reads PutBucketLifecycleConfiguration's rules, with S3's checks. */
export function readLifecycleRules(input: Record<string, any>): LifecycleRule[] {
  const rules = input.LifecycleConfiguration?.Rules as LifecycleRule[] | undefined;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 1000) throw malformedXml();
  const ids = new Set<string>();
  return rules.map((rule) => {
    if (rule.Status !== "Enabled" && rule.Status !== "Disabled") throw malformedXml();
    if (rule.ID !== undefined && String(rule.ID).length > 255) throw invalidArgument("ID length should not exceed allowed limit of 255", "ID", String(rule.ID));
    const id = rule.ID || Math.random().toString(36).slice(2, 14);
    if (ids.has(id)) throw invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", id);
    ids.add(id);
    if (rule.Filter !== undefined && rule.Prefix !== undefined) throw malformedXml();
    const e = rule.Expiration;
    if (e) {
      const given = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((v) => v !== undefined).length;
      if (given !== 1) throw malformedXml();
      if (e.Days !== undefined && !(Number.isInteger(e.Days) && e.Days > 0)) {
        throw invalidArgument("'Days' for Expiration action must be a positive integer", "Days", String(e.Days));
      }
      if (e.Date !== undefined) {
        const date = new Date(e.Date);
        if (date.getTime() % DAY !== 0) throw invalidArgument("'Date' must be at midnight GMT", "Date", String(e.Date));
        e.Date = date.toISOString();
      }
    }
    const n = rule.NoncurrentVersionExpiration;
    if (n && !(Number.isInteger(n.NoncurrentDays) && n.NoncurrentDays! > 0)) {
      throw invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", "NoncurrentDays", String(n.NoncurrentDays));
    }
    const a = rule.AbortIncompleteMultipartUpload;
    if (a && !(Number.isInteger(a.DaysAfterInitiation) && a.DaysAfterInitiation! > 0)) {
      throw invalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", "DaysAfterInitiation", String(a.DaysAfterInitiation));
    }
    // Delete markers and uploads have no tags and no size to filter on.
    const f = rule.Filter;
    const hasTags = Boolean(f?.Tag || f?.And?.Tags?.length);
    const hasSize = [f?.ObjectSizeGreaterThan, f?.ObjectSizeLessThan, f?.And?.ObjectSizeGreaterThan, f?.And?.ObjectSizeLessThan].some((v) => v !== undefined);
    for (const [action, given] of [["ExpiredObjectDeleteMarker", e?.ExpiredObjectDeleteMarker !== undefined], ["AbortIncompleteMultipartUpload", a !== undefined]] as const) {
      if (given && hasTags) throw invalidRequest(`${action} cannot be specified with Tags.`);
      if (given && hasSize) throw invalidRequest(`${action} cannot be specified with Object Size.`);
    }
    if (!e && !n && !a && !rule.Transitions && !rule.NoncurrentVersionTransitions) {
      throw invalidRequest("At least one action needs to be specified in a rule");
    }
    readTransitions(rule);
    return { ...rule, ID: id };
  });
}

/** The rules' output, dates as Dates for the codec. */
export function lifecycleOutput(rules: LifecycleRule[]): LifecycleRule[] {
  return rules.map((r) => transitionsOutput(r.Expiration?.Date ? { ...r, Expiration: { ...r.Expiration, Date: new Date(r.Expiration.Date) } } : r));
}

function rulesOf(bucket: BucketRecord): LifecycleRule[] {
  return ((bucket.configs.Lifecycle ?? []) as LifecycleRule[]).filter((r) => r.Status === "Enabled");
}

function matches(rule: LifecycleRule, key: string, record?: ObjectRecord): boolean {
  const f = rule.Filter ?? {};
  const prefix = f.Prefix ?? f.And?.Prefix ?? rule.Prefix ?? "";
  if (!key.startsWith(prefix)) return false;
  if (!record) return true;
  const tags = f.Tag ? [f.Tag] : (f.And?.Tags ?? []);
  if (!tags.every((t) => record.tags.some(([k, v]) => k === t.Key && v === t.Value))) return false;
  const greater = f.ObjectSizeGreaterThan ?? f.And?.ObjectSizeGreaterThan;
  const less = f.ObjectSizeLessThan ?? f.And?.ObjectSizeLessThan;
  if (greater !== undefined && !(record.size > Number(greater))) return false;
  if (less !== undefined && !(record.size < Number(less))) return false;
  return true;
}

/** `days` after `from`, rounded up to the next midnight UTC. */
function daysAfter(from: number, days: number): number {
  return Math.ceil((from + days * DAY) / DAY) * DAY;
}

/** When a current object expires, and by which rule. */
function expiryOf(bucket: BucketRecord, record: ObjectRecord): { at: number; rule: string } | undefined {
  let best: { at: number; rule: string } | undefined;
  for (const rule of rulesOf(bucket)) {
    const e = rule.Expiration;
    if (!e || (e.Days === undefined && e.Date === undefined) || !matches(rule, record.key, record)) continue;
    const at = e.Days !== undefined ? daysAfter(record.lastModified, e.Days) : Date.parse(String(e.Date));
    if (!best || at < best.at) best = { at, rule: rule.ID! };
  }
  return best;
}

/** x-amz-expiration for an object a rule will expire (GetObject, HeadObject, PutObject). */
export function expirationHeader(bucket: BucketRecord, record: ObjectRecord): string | undefined {
  if (!bucket.configs.Lifecycle || record.deleteMarker) return undefined;
  const expiry = expiryOf(bucket, record);
  return expiry && `expiry-date="${new Date(expiry.at).toUTCString()}", rule-id="${expiry.rule}"`;
}

/** Applies every bucket's rules of the store's account as of now. */
export function sweepLifecycle(store: S3Store): void {
  for (const bucket of store.bucketsOfAccount()) if (rulesOf(bucket).length) sweepBucket(store, bucket);
}

function sweepBucket(store: S3Store, bucket: BucketRecord): void {
  const now = store.clock.now();
  const rules = rulesOf(bucket);
  const origin = { requestId: "lifecycle", principalId: "s3.amazonaws.com" };
  const minimumSize = bucket.configs.TransitionDefaultMinimumObjectSize as string | undefined;
  /** Moves a version to a colder class in place (its LastModified stays) and says so. */
  const transition = (record: ObjectRecord, storageClass: string) => {
    record.storageClass = storageClass;
    store.updateVersion(bucket.name, record);
    notify(store, bucket, "LifecycleTransition", record, origin);
  };
  // Read first, act after: the listing is a live cursor on the table.
  const byKey = new Map<string, { record: ObjectRecord; latest: boolean }[]>();
  for (const v of store.allVersions(bucket.name, "")) {
    const list = byKey.get(v.record.key) ?? [];
    list.push(v);
    byKey.set(v.record.key, list);
  }
  for (const [key, versions] of byKey) {
    const current = versions.find((v) => v.latest)?.record;
    const expired = new Set<string>();
    // Noncurrent versions: noncurrent since their successor was written.
    for (const rule of rules) {
      const n = rule.NoncurrentVersionExpiration;
      if (!n || !matches(rule, key)) continue;
      let kept = 0;
      for (let i = 1; i < versions.length; i++) {
        const since = versions[i - 1].record.lastModified;
        const record = versions[i].record;
        if (!record.deleteMarker && kept < (n.NewerNoncurrentVersions ?? 0)) {
          kept++;
          continue;
        }
        if (now >= daysAfter(since, n.NoncurrentDays!) && !isLocked(record, now) && store.deleteVersion(bucket.name, key, record.versionId)) {
          expired.add(record.versionId);
          notify(store, bucket, "LifecycleExpiration:Delete", record, origin);
        }
      }
    }
    const moving = rules.filter((r) => r.NoncurrentVersionTransitions && matches(r, key));
    let newer = 0;
    for (let i = 1; i < versions.length && moving.length > 0; i++) {
      const record = versions[i].record;
      if (record.deleteMarker || expired.has(record.versionId)) continue;
      const to = dueNoncurrentTransition(moving.filter((r) => matches(r, key, record)), record, versions[i - 1].record.lastModified, newer++, now, minimumSize);
      if (to) transition(record, to);
    }
    if (!current) continue;
    if (current.deleteMarker) {
      // An expired delete marker: the only version left of its key.
      const remaining = [...store.allVersions(bucket.name, key)].filter((v) => v.record.key === key);
      if (remaining.length === 1 && rules.some((r) => r.Expiration?.ExpiredObjectDeleteMarker && matches(r, key))) {
        store.deleteVersion(bucket.name, key, current.versionId);
        notify(store, bucket, "LifecycleExpiration:Delete", current, origin);
      }
      continue;
    }
    const expiry = expiryOf(bucket, current);
    if (!expiry || now < expiry.at) {
      const to = dueTransition(rules.filter((r) => r.Transitions && matches(r, key, current)), current, now, minimumSize);
      if (to) transition(current, to);
      continue;
    }
    if (!bucket.versioning) {
      store.deleteVersion(bucket.name, key, current.versionId);
      notify(store, bucket, "LifecycleExpiration:Delete", current, origin);
    } else {
      const marker: ObjectRecord = {
        key, versionId: bucket.versioning === "Enabled" ? store.newVersionId() : "null", deleteMarker: true, lastModified: now,
        owner: bucket.account, size: 0, etag: "", headers: {}, metadata: {}, storageClass: "STANDARD", tags: [],
      };
      store.putVersion(bucket, marker);
      notify(store, bucket, "LifecycleExpiration:DeleteMarkerCreated", marker, origin);
    }
  }
  for (const rule of rules) {
    const a = rule.AbortIncompleteMultipartUpload;
    if (!a) continue;
    for (const upload of store.uploadsOf(bucket.name)) {
      if (matches(rule, upload.key) && now >= daysAfter(upload.initiated, a.DaysAfterInitiation!)) store.deleteUpload(upload);
    }
  }
}

/**
 * Remembers (as a document, S3Store.collection) that the bucket has rules or no
 * longer has, so that after a restart its account's store is opened, and its
 * sweeps run, before any request comes.
 */
export function markLifecycleBucket(store: S3Store, bucket: string, hasRules: boolean): void {
  const marks = store.collection<{ bucket: string }>("lifecycle-buckets");
  if (hasRules) {
    if (!marks.has(bucket)) marks.put(bucket, { bucket });
  } else {
    marks.delete(bucket);
  }
}

/** How often lifecycle rules are applied, in the clock's time (S3 runs them about daily). */
const LIFECYCLE_SWEEP_MS = 3_600_000;

// One sweep timer per server (per clock), over its latest store of each account:
// a reset replaces the stores, not the timer.
const sweepers = new WeakMap<Clock, Map<string, S3Store>>();

/** Applies the rules of `store`'s account every LIFECYCLE_SWEEP_MS of its clock. */
export function scheduleLifecycle(store: S3Store): void {
  const clock = store.clock;
  let stores = sweepers.get(clock);
  if (!stores) {
    const all = (stores = new Map());
    sweepers.set(clock, all);
    const tick = () => {
      for (const s of all.values()) {
        try {
          sweepLifecycle(s);
        } catch (error) {
          s.logger.error("S3 lifecycle sweep failed", error);
        }
      }
      clock.after(LIFECYCLE_SWEEP_MS, tick);
    };
    clock.after(LIFECYCLE_SWEEP_MS, tick);
  }
  stores.set(store.account, store);
}
