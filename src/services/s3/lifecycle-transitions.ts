import { invalidArgument, invalidRequest, malformedXml } from "./errors.js";
import type { LifecycleRule } from "./lifecycle.js";
import type { ObjectRecord } from "./records.js";

// Lifecycle transitions (S3 User Guide, "Transitioning objects using Amazon S3
// Lifecycle"): a rule's Transitions move a current object, its
// NoncurrentVersionTransitions a noncurrent version, down the "waterfall" of
// storage classes, never back up. The checks are S3's for
// PutBucketLifecycleConfiguration (Transition API reference: Days 0 or more, at
// least 30 for STANDARD_IA and ONEZONE_IA); its messages name the rule's filter.

export interface Transition {
  Days?: number;
  Date?: string | Date;
  StorageClass?: string;
}

export interface NoncurrentVersionTransition {
  NoncurrentDays?: number;
  NewerNoncurrentVersions?: number;
  StorageClass?: string;
}

/** The waterfall, warmest first: an object only ever moves right (ONEZONE_IA skips GLACIER_IR). */
const WATERFALL = ["STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];
const TARGETS = new Set(WATERFALL.slice(1));
/** S3 Standard-IA and One Zone-IA take objects 30 days old or more. */
const INFREQUENT_ACCESS = new Set(["STANDARD_IA", "ONEZONE_IA"]);
const DAY = 86_400_000;
/** "Objects smaller than 128 KB will not transition" by default (TransitionDefaultMinimumObjectSize). */
const SMALL_OBJECT = 128 * 1024;

/** A rule's filter as S3 writes it in its messages: "(prefix=logs/)", "(prefix=a/ and tag={key=k, value=v})". */
function filterText(rule: LifecycleRule): string {
  if (rule.Prefix !== undefined) return `(prefix=${rule.Prefix})`;
  const f = rule.Filter?.And ?? rule.Filter ?? {};
  const parts: string[] = [];
  if (f.Prefix) parts.push(`prefix=${f.Prefix}`);
  const tags = "Tags" in f ? (f.Tags ?? []) : "Tag" in f && f.Tag ? [f.Tag] : [];
  for (const t of tags) parts.push(`tag={key=${t.Key}, value=${t.Value}}`);
  if (f.ObjectSizeGreaterThan !== undefined) parts.push(`objectsizegreaterthan=${f.ObjectSizeGreaterThan}`);
  if (f.ObjectSizeLessThan !== undefined) parts.push(`objectsizelessthan=${f.ObjectSizeLessThan}`);
  return parts.length ? `(${parts.join(" and ")})` : "(prefix=)";
}

function nonNegative(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}

/** Checks and normalises (dates as ISO strings) a rule's Transitions and NoncurrentVersionTransitions. */
export function readTransitions(rule: LifecycleRule): void {
  const filter = filterText(rule);
  const transitions = rule.Transitions as Transition[] | undefined;
  if (transitions !== undefined) {
    if (!Array.isArray(transitions)) throw malformedXml();
    for (const t of transitions) {
      if (!TARGETS.has(String(t.StorageClass))) throw malformedXml();
      // S3's schema makes Date and Days a choice: both, or neither, is not well-formed.
      if ((t.Days === undefined) === (t.Date === undefined)) throw malformedXml();
      if (t.Days !== undefined) {
        if (!nonNegative(t.Days)) throw invalidArgument("'Days' in Transition action must be nonnegative", "Days", String(t.Days));
        if (INFREQUENT_ACCESS.has(t.StorageClass!) && t.Days < 30) {
          throw invalidArgument(`'Days' in Transition action must be greater than or equal to 30 for storageClass '${t.StorageClass}'`);
        }
      } else {
        const date = new Date(t.Date!);
        if (Number.isNaN(date.getTime()) || date.getTime() % DAY !== 0) throw invalidArgument("'Date' must be at midnight GMT", "Date", String(t.Date));
        t.Date = date.toISOString();
      }
    }
    const byDays = transitions.some((t) => t.Days !== undefined);
    const byDate = transitions.some((t) => t.Date !== undefined);
    if (byDays && byDate) throw invalidRequest(`Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for filter '${filter}'`);
    distinctClasses(transitions, "Transition", filter);
    const field = byDays ? "Days" : "Date";
    inOrder(transitions.map((t) => ({ storageClass: t.StorageClass!, value: byDays ? t.Days! : Date.parse(String(t.Date)) })), "Transition", field, filter);
    const e = rule.Expiration;
    if (e && (e.Days !== undefined || e.Date !== undefined)) {
      if ((e.Days !== undefined && byDate) || (e.Date !== undefined && byDays)) {
        throw invalidRequest(`Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for filter '${filter}'`);
      }
      const expires = e.Days ?? Date.parse(String(e.Date));
      if (transitions.some((t) => expires <= (byDays ? t.Days! : Date.parse(String(t.Date))))) {
        throw invalidArgument(`'${field}' in the Expiration action for filter '${filter}' must be greater than '${field}' in the Transition action`);
      }
    }
  }
  const noncurrent = rule.NoncurrentVersionTransitions as NoncurrentVersionTransition[] | undefined;
  if (noncurrent !== undefined) {
    if (!Array.isArray(noncurrent)) throw malformedXml();
    for (const t of noncurrent) {
      if (!TARGETS.has(String(t.StorageClass)) || t.NoncurrentDays === undefined) throw malformedXml();
      if (!nonNegative(t.NoncurrentDays)) {
        throw invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative", "NoncurrentDays", String(t.NoncurrentDays));
      }
      if (INFREQUENT_ACCESS.has(t.StorageClass!) && t.NoncurrentDays < 30) {
        throw invalidArgument(`'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass '${t.StorageClass}'`);
      }
    }
    distinctClasses(noncurrent, "NoncurrentVersionTransition", filter);
    inOrder(noncurrent.map((t) => ({ storageClass: t.StorageClass!, value: t.NoncurrentDays! })), "NoncurrentVersionTransition", "NoncurrentDays", filter);
    const days = rule.NoncurrentVersionExpiration?.NoncurrentDays;
    if (days !== undefined && noncurrent.some((t) => days <= t.NoncurrentDays!)) {
      throw invalidArgument(
        `'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '${filter}' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action`,
      );
    }
  }
}

function distinctClasses(items: { StorageClass?: string }[], action: string, filter: string): void {
  const classes = new Set(items.map((t) => t.StorageClass));
  if (classes.size !== items.length) throw invalidRequest(`'StorageClass' must be different for '${action}' actions in same 'Rule' with filter '${filter}'`);
}

/** A colder class's transition must come strictly later than a warmer one's. */
function inOrder(items: { storageClass: string; value: number }[], action: string, field: string, filter: string): void {
  const sorted = [...items].sort((a, b) => WATERFALL.indexOf(a.storageClass) - WATERFALL.indexOf(b.storageClass));
  for (let i = 1; i < sorted.length; i++) {
    const [warmer, colder] = [sorted[i - 1], sorted[i]];
    if (colder.value > warmer.value) continue;
    throw invalidArgument(
      `'${field}' in the ${action} action for StorageClass '${colder.storageClass}' for filter '${filter}' must be greater than ` +
        `'${field}' in the ${action} action for StorageClass '${warmer.storageClass}' for filter '${filter}'`,
    );
  }
}

/** Whether an object in `from` may move to `to`: down the waterfall only. */
function canMove(from: string, to: string): boolean {
  const a = WATERFALL.indexOf(from === "REDUCED_REDUNDANCY" ? "STANDARD" : from);
  const b = WATERFALL.indexOf(to);
  if (a < 0 || b <= a) return false;
  return !(from === "ONEZONE_IA" && to === "GLACIER_IR");
}

/**
 * Whether the default minimum size keeps `record` where it is: below 128 KB nothing
 * moves (all_storage_classes_128K), or only to the Glacier classes
 * (varies_by_storage_class), unless the rule filters on size itself.
 */
function tooSmall(rule: LifecycleRule, record: ObjectRecord, to: string, minimumSize: string | undefined): boolean {
  const f = rule.Filter;
  const sized = [f?.ObjectSizeGreaterThan, f?.ObjectSizeLessThan, f?.And?.ObjectSizeGreaterThan, f?.And?.ObjectSizeLessThan].some((v) => v !== undefined);
  if (sized || record.size >= SMALL_OBJECT) return false;
  return !(minimumSize === "varies_by_storage_class" && (to === "GLACIER" || to === "DEEP_ARCHIVE"));
}

/** `days` after `from`, rounded up to the next midnight UTC (as S3 counts lifecycle days). */
function daysAfter(from: number, days: number): number {
  return Math.ceil((from + days * DAY) / DAY) * DAY;
}

/** The coldest class a current object is due to move to by now, if any. */
export function dueTransition(rules: LifecycleRule[], record: ObjectRecord, now: number, minimumSize: string | undefined): string | undefined {
  let target: string | undefined;
  for (const rule of rules) {
    for (const t of (rule.Transitions ?? []) as Transition[]) {
      const at = t.Days !== undefined ? daysAfter(record.lastModified, t.Days) : Date.parse(String(t.Date));
      if (now < at || tooSmall(rule, record, t.StorageClass!, minimumSize)) continue;
      if (canMove(target ?? record.storageClass, t.StorageClass!) && canMove(record.storageClass, t.StorageClass!)) target = t.StorageClass;
    }
  }
  return target;
}

/**
 * The coldest class a noncurrent version is due to move to by now: noncurrent
 * since `since` (its successor's creation), `newer` noncurrent versions newer than it.
 */
export function dueNoncurrentTransition(
  rules: LifecycleRule[], record: ObjectRecord, since: number, newer: number, now: number, minimumSize: string | undefined,
): string | undefined {
  let target: string | undefined;
  for (const rule of rules) {
    for (const t of (rule.NoncurrentVersionTransitions ?? []) as NoncurrentVersionTransition[]) {
      // NewerNoncurrentVersions: that many newer noncurrent versions stay where they are.
      if (newer < (t.NewerNoncurrentVersions ?? 0)) continue;
      if (now < daysAfter(since, t.NoncurrentDays!) || tooSmall(rule, record, t.StorageClass!, minimumSize)) continue;
      if (canMove(target ?? record.storageClass, t.StorageClass!) && canMove(record.storageClass, t.StorageClass!)) target = t.StorageClass;
    }
  }
  return target;
}

/** The rules' Transitions with their dates as Dates, for the codec. */
export function transitionsOutput(rule: LifecycleRule): LifecycleRule {
  const transitions = rule.Transitions as Transition[] | undefined;
  if (!transitions?.some((t) => t.Date !== undefined)) return rule;
  return { ...rule, Transitions: transitions.map((t) => (t.Date !== undefined ? { ...t, Date: new Date(t.Date) } : t)) };
}
