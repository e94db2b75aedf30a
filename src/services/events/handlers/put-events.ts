import type { PutEventsRequest, PutEventsRequestEntry, PutEventsResponse, PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import { isoSeconds, routeEvent } from "../delivery.js";
import { validation } from "../errors.js";
import type { EventEnvelope } from "../records.js";
import type { EventsContext, EventsHandler } from "../types.js";

// PutEvents: each entry becomes the event envelope targets receive ("Amazon
// EventBridge events": version "0", id, detail-type, source, account, time without
// milliseconds, region, resources, detail) and is routed to its bus's rules. An entry
// AWS refuses gets ErrorCode/ErrorMessage in its place; the others still go.

/**
 * The entries' total size, counted as "Calculating Amazon EventBridge PutEvents event
 * entry size" says (entrySize below). The limit was 256 KB until AWS raised EventBridge
 * payloads to 1 MB with SQS and asynchronous Lambda (AWS Compute Blog, "More room to
 * build: serverless services now support payloads up to 1 MB", January 2026); taken as
 * 1 MiB, as SQS's new limit is (1,048,576 bytes).
 */
const MAX_REQUEST_BYTES = 1024 * 1024;

export function entrySize(e: PutEventsRequestEntry): number {
  let size = e.Time ? 14 : 0;
  if (e.Source) size += Buffer.byteLength(e.Source);
  if (e.DetailType) size += Buffer.byteLength(e.DetailType);
  if (e.Detail) size += Buffer.byteLength(e.Detail);
  for (const r of e.Resources ?? []) size += Buffer.byteLength(r);
  return size;
}

function entryError(e: PutEventsRequestEntry, fromClient: boolean): { detail?: unknown; error?: PutEventsResultEntry } {
  const missing = (field: string): { error: PutEventsResultEntry } => ({
    error: { ErrorCode: "InvalidArgument", ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` },
  });
  if (!e.Source) return missing("Source");
  // Sources under aws. are AWS services' own: a client's event cannot claim one (AWS's
  // answer, as users report it). Terrarium's services (S3's notifications) still send theirs.
  if (fromClient && e.Source.startsWith("aws.")) {
    return { error: { ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." } };
  }
  if (!e.DetailType) return missing("DetailType");
  if (e.Detail === undefined || e.Detail === "") return missing("Detail");
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return { error: { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." } };
  }
  // "PutEvents will only process nested JSON up to 1000 levels deep" (PutEvents API
  // reference); AWS's answer for a deeper Detail is not published: refused as malformed.
  if (tooDeep(e.Detail)) return { error: { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." } };
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) {
    return { error: { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." } };
  }
  return { detail };
}

const MAX_DETAIL_DEPTH = 1000;

/** Whether valid JSON text nests deeper than MAX_DETAIL_DEPTH (only long texts can). */
function tooDeep(json: string): boolean {
  if (json.length <= 2 * MAX_DETAIL_DEPTH) return false;
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string, escapes included.
      for (i++; i < json.length && json.charCodeAt(i) !== 0x22; i++) if (json.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DETAIL_DEPTH) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The account an event names: the caller's, or, for an event another account's rule
 *  forwarded here (delivery.ts, through ctx.invoke), the account it came from. The
 *  member is not in the model, so the JSON codec drops it from any client's request. */
function sourceAccount(e: PutEventsRequestEntry, ctx: EventsContext): string {
  const forwarded = (e as { ForwardedFromAccount?: unknown }).ForwardedFromAccount;
  return ctx.http === undefined && typeof forwarded === "string" ? forwarded : ctx.account;
}

export const PutEvents: EventsHandler<PutEventsRequest, PutEventsResponse> = (input, ctx) => {
  const entries = input.Entries ?? [];
  let total = 0;
  for (const e of entries) total += entrySize(e);
  if (total > MAX_REQUEST_BYTES) throw validation("Total size of the entries in the request is over the limit.");
  const results: PutEventsResultEntry[] = [];
  let failed = 0;
  let pending: Promise<void>[] | undefined;
  const now = ctx.clock.now();
  for (const e of entries) {
    const { detail, error } = entryError(e, ctx.http !== undefined);
    const busName = ctx.store.busName(e.EventBusName);
    if (!error && !ctx.store.bus(busName)) {
      results.push({ ErrorCode: "ResourceNotFoundException", ErrorMessage: `Event bus ${busName} does not exist.` });
      failed++;
      continue;
    }
    if (error) {
      results.push(error);
      failed++;
      continue;
    }
    const event: EventEnvelope = {
      version: "0", id: crypto.randomUUID(), "detail-type": e.DetailType!, source: e.Source!, account: sourceAccount(e, ctx),
      time: isoSeconds(e.Time ? new Date(e.Time).getTime() : now), region: ctx.region, resources: e.Resources ?? [], detail,
    };
    const delivery = routeEvent(ctx.store, busName, event);
    if (delivery) (pending ??= []).push(delivery);
    results.push({ EventId: event.id });
  }
  const output = { FailedEntryCount: failed, Entries: results };
  return pending ? Promise.all(pending).then(() => output) : output;
};
