import { invalidParameter } from "../errors.js";
import { LogsLimits } from "../limits.js";
import { page } from "../pagination.js";
import type { LogsStore, Stream } from "../store.js";
import type { GroupRef, LogsHandler } from "../types.js";

// Log streams: create, describe (prefix, order, pages), delete.

export const CreateLogStream: LogsHandler<{ logGroupName: string; logStreamName: string }, Record<string, never>> = (input, ctx) => {
  const group = ctx.store.requireGroup(input);
  ctx.store.createStream(group, input.logStreamName);
  return {};
};

interface DescribeLogStreamsRequest extends GroupRef {
  logStreamNamePrefix?: string;
  orderBy?: "LogStreamName" | "LastEventTime";
  descending?: boolean;
  nextToken?: string;
  limit?: number;
}

function streamView(store: LogsStore, stream: Stream) {
  const r = stream.record;
  return {
    logStreamName: r.name,
    creationTime: r.creationTime,
    ...(r.firstEventTimestamp !== undefined ? { firstEventTimestamp: r.firstEventTimestamp } : {}),
    ...(r.lastEventTimestamp !== undefined ? { lastEventTimestamp: r.lastEventTimestamp } : {}),
    ...(r.lastIngestionTime !== undefined ? { lastIngestionTime: r.lastIngestionTime } : {}),
    arn: `${store.groupArn(r.group)}:log-stream:${r.name}`,
    storedBytes: r.storedBytes,
  };
}

export const DescribeLogStreams: LogsHandler<DescribeLogStreamsRequest, unknown> = (input, ctx) => {
  const orderBy = input.orderBy ?? "LogStreamName";
  if (orderBy === "LastEventTime" && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  const store = ctx.store;
  const group = store.requireGroup(input);
  const prefix = input.logStreamNamePrefix ?? "";
  const streams = store.streamsOf(group).filter((s) => s.record.name.startsWith(prefix));
  streams.sort((a, b) =>
    orderBy === "LastEventTime"
      ? (a.record.lastEventTimestamp ?? 0) - (b.record.lastEventTimestamp ?? 0) || compare(a.record.name, b.record.name)
      : compare(a.record.name, b.record.name),
  );
  if (input.descending) streams.reverse();
  const { items, nextToken } = page(streams, input.nextToken, input.limit, LogsLimits.describePage);
  return { logStreams: items.map((s) => streamView(store, s)), ...(nextToken ? { nextToken } : {}) };
};

export const DeleteLogStream: LogsHandler<{ logGroupName: string; logStreamName: string }, Record<string, never>> = (input, ctx) => {
  const group = ctx.store.requireGroup(input);
  ctx.store.deleteStreamNamed(group, input.logStreamName);
  return {};
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
