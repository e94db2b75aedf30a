import { randomBytes } from "node:crypto";
import { invalidParameter } from "../errors.js";
import { compileFilterPattern } from "../filter-pattern.js";
import { LogsLimits } from "../limits.js";
import type { StoredEvent } from "../store.js";
import type { GroupRef, InputLogEvent, LogsHandler, OutputLogEvent } from "../types.js";

// Events: PutLogEvents (no sequence token needed since 2023; one is still answered),
// GetLogEvents (one stream, forward and backward tokens), FilterLogEvents (a group,
// across streams, with a filter pattern).

interface PutLogEventsRequest extends GroupRef {
  logStreamName: string;
  logEvents: InputLogEvent[];
  sequenceToken?: string;
}

export const PutLogEvents: LogsHandler<PutLogEventsRequest, unknown> = (input, ctx) => {
  const events = input.logEvents;
  if (events.length > LogsLimits.batchEvents) {
    throw invalidParameter(`1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${LogsLimits.batchEvents}`);
  }
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    bytes += Buffer.byteLength(events[i].message) + LogsLimits.eventOverheadBytes;
    if (i > 0 && events[i].timestamp < events[i - 1].timestamp) {
      throw invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
    }
  }
  if (bytes > LogsLimits.batchBytes) throw invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of " + LogsLimits.batchBytes);
  if (events.length > 1 && events[events.length - 1].timestamp - events[0].timestamp > LogsLimits.batchSpanMs) {
    throw invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
  }
  const store = ctx.store;
  const group = store.requireGroup(input);
  const stream = store.requireStream(group, input.logStreamName);

  // Events too old, too new, or already past the retention are rejected, not stored.
  const now = ctx.clock.now();
  const oldest = Math.max(now - LogsLimits.maxPastMs, 0);
  const expiredBefore = group.retentionInDays ? now - group.retentionInDays * 86_400_000 : -Infinity;
  const info: Record<string, number> = {};
  const accepted: InputLogEvent[] = [];
  events.forEach((event, index) => {
    if (event.timestamp > now + LogsLimits.maxFutureMs) {
      info.tooNewLogEventStartIndex ??= index;
    } else if (event.timestamp < expiredBefore) {
      info.expiredLogEventEndIndex = index;
    } else if (event.timestamp < oldest) {
      info.tooOldLogEventEndIndex = index;
    } else {
      accepted.push(event);
    }
  });
  store.append(stream, accepted);
  return {
    nextSequenceToken: sequenceToken(),
    ...(Object.keys(info).length ? { rejectedLogEventsInfo: info } : {}),
  };
};

/** A sequence token in AWS's shape (56 digits); nobody needs to send it back any more. */
function sequenceToken(): string {
  return BigInt(`0x${randomBytes(23).toString("hex")}`).toString().padStart(56, "0").slice(0, 56);
}

interface GetLogEventsRequest extends GroupRef {
  logStreamName: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

function inRange(event: StoredEvent, startTime?: number, endTime?: number): boolean {
  // startTime is inclusive, endTime exclusive (API reference).
  return (startTime === undefined || event.timestamp >= startTime) && (endTime === undefined || event.timestamp < endTime);
}

const positionToken = (direction: "f" | "b", position: number) => `${direction}/${String(position).padStart(56, "0")}`;

export const GetLogEvents: LogsHandler<GetLogEventsRequest, unknown> = (input, ctx) => {
  const store = ctx.store;
  const stream = store.requireStream(store.requireGroup(input), input.logStreamName);
  const events = stream.events.filter((e) => inRange(e, input.startTime, input.endTime));
  const limit = input.limit ?? LogsLimits.eventsPerPage;
  let direction: "f" | "b" = input.startFromHead ? "f" : "b";
  let position = direction === "f" ? 0 : events.length;
  if (input.nextToken !== undefined) {
    const token = /^([fb])\/(\d+)$/.exec(input.nextToken);
    if (!token) throw invalidParameter("The specified nextToken is invalid.");
    direction = token[1] as "f" | "b";
    position = Math.min(Number(token[2]), events.length);
  }
  let from: number;
  let to: number;
  if (direction === "f") {
    from = position;
    to = fitBytes(events, from, Math.min(events.length, from + limit), false);
  } else {
    to = position;
    from = fitBytes(events, Math.max(0, to - limit), to, true);
  }
  // At either end, the token that was passed comes back: that is how readers stop.
  return {
    events: events.slice(from, to).map(outputEvent),
    nextForwardToken: positionToken("f", to),
    nextBackwardToken: positionToken("b", from),
  };
};

/** Shrinks [from, to) to 1 MB of messages, keeping the end nearest the reader's start. */
function fitBytes(events: StoredEvent[], from: number, to: number, backward: boolean): number {
  let bytes = 0;
  if (backward) {
    for (let i = to - 1; i >= from; i--) {
      bytes += Buffer.byteLength(events[i].message) + LogsLimits.eventOverheadBytes;
      if (bytes > LogsLimits.bytesPerPage) return i + 1;
    }
    return from;
  }
  for (let i = from; i < to; i++) {
    bytes += Buffer.byteLength(events[i].message) + LogsLimits.eventOverheadBytes;
    if (bytes > LogsLimits.bytesPerPage) return i;
  }
  return to;
}

function outputEvent(event: StoredEvent): OutputLogEvent {
  return { timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime };
}

interface FilterLogEventsRequest extends GroupRef {
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
}

export const FilterLogEvents: LogsHandler<FilterLogEventsRequest, unknown> = (input, ctx) => {
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter("Cannot specify both logStreamNames and logStreamNamePrefix.");
  }
  const store = ctx.store;
  const group = store.requireGroup(input);
  const names = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
  const streams = store
    .streamsOf(group)
    .filter((s) => (!names || names.has(s.record.name)) && (input.logStreamNamePrefix === undefined || s.record.name.startsWith(input.logStreamNamePrefix)));
  const match = compileFilterPattern(input.filterPattern);
  const found: { stream: string; event: StoredEvent }[] = [];
  for (const stream of streams) {
    for (const event of stream.events) {
      if (inRange(event, input.startTime, input.endTime) && match(event.message)) found.push({ stream: stream.record.name, event });
    }
  }
  found.sort((a, b) => a.event.timestamp - b.event.timestamp || a.event.seq - b.event.seq);
  let start = 0;
  if (input.nextToken !== undefined) {
    const decoded = /^e(\d+)$/.exec(Buffer.from(input.nextToken, "base64url").toString("utf8"));
    if (!decoded) throw invalidParameter("The specified nextToken is invalid.");
    // The token names the last event returned; the next page starts after it.
    const after = Number(decoded[1]);
    start = found.findIndex((f) => f.event.seq === after) + 1;
  }
  const limit = input.limit ?? LogsLimits.eventsPerPage;
  const pageOf = found.slice(start, start + limit);
  const more = start + pageOf.length < found.length;
  return {
    events: pageOf.map(({ stream, event }) => ({
      logStreamName: stream,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: eventId(event),
    })),
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.record.name, searchedCompletely: true })),
    ...(more ? { nextToken: Buffer.from(`e${pageOf[pageOf.length - 1].event.seq}`).toString("base64url") } : {}),
  };
};

/** 56 digits, as AWS's event ids look. */
function eventId(event: StoredEvent): string {
  return `${String(event.timestamp).padStart(20, "0")}${String(event.seq).padStart(36, "0")}`;
}
