import type {
  Archive, CancelReplayRequest, CancelReplayResponse, CreateArchiveRequest, CreateArchiveResponse, DeleteArchiveRequest,
  DescribeArchiveRequest, DescribeArchiveResponse, DescribeReplayRequest, DescribeReplayResponse, ListArchivesRequest,
  ListArchivesResponse, ListReplaysRequest, ListReplaysResponse, Replay, StartReplayRequest, StartReplayResponse,
  UpdateArchiveRequest, UpdateArchiveResponse,
} from "@aws-sdk/client-eventbridge";
import { routeEvent } from "../delivery.js";
import { eventsErrors, validation } from "../errors.js";
import { page } from "../pagination.js";
import { compilePattern } from "../pattern.js";
import type { ArchiveRecord, ReplayRecord } from "../records.js";
import type { EventsStore } from "../store.js";
import type { EventsHandler } from "../types.js";

// Archives keep the events of their bus (those their pattern matches) for
// RetentionDays; a replay re-sends an archive's events of a time range to the bus's
// rules, each marked with "replay-name", moving STARTING -> RUNNING -> COMPLETED.

function archiveNotFound(name: string) {
  return eventsErrors().ResourceNotFoundException(`Archive ${name} does not exist.`);
}

function archiveView(store: EventsStore, a: ArchiveRecord): Archive & DescribeArchiveResponse {
  const events = store.eventsOf(a.name);
  return {
    ArchiveArn: a.arn, ArchiveName: a.name, EventSourceArn: a.sourceArn,
    ...(a.description !== undefined ? { Description: a.description } : {}),
    ...(a.eventPattern !== undefined ? { EventPattern: a.eventPattern } : {}),
    State: a.state, RetentionDays: a.retentionDays,
    SizeBytes: events.reduce((sum, e) => sum + e.size, 0), EventCount: events.length, CreationTime: new Date(a.creationTime),
  };
}

export const CreateArchive: EventsHandler<CreateArchiveRequest, CreateArchiveResponse> = (input, ctx) => {
  const name = input.ArchiveName!;
  const bus = ctx.store.allBuses().find((b) => b.arn === input.EventSourceArn);
  if (!bus) throw eventsErrors().ResourceNotFoundException(`Event bus ${ctx.store.busName(input.EventSourceArn)} does not exist.`);
  if (ctx.store.archive(name)) throw eventsErrors().ResourceAlreadyExistsException(`Archive ${name} already exists.`);
  if (input.EventPattern !== undefined) compilePattern(input.EventPattern);
  const archive: ArchiveRecord = {
    name, arn: `arn:aws:events:${ctx.region}:${ctx.account}:archive/${name}`, sourceArn: bus.arn,
    retentionDays: input.RetentionDays ?? 0, state: "ENABLED", creationTime: ctx.clock.now(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
  };
  ctx.store.saveArchive(archive);
  return { ArchiveArn: archive.arn, State: archive.state, CreationTime: new Date(archive.creationTime) };
};

export const UpdateArchive: EventsHandler<UpdateArchiveRequest, UpdateArchiveResponse> = (input, ctx) => {
  const archive = ctx.store.archive(input.ArchiveName!);
  if (!archive) throw archiveNotFound(input.ArchiveName!);
  if (input.EventPattern !== undefined) {
    compilePattern(input.EventPattern);
    archive.eventPattern = input.EventPattern;
  }
  if (input.Description !== undefined) archive.description = input.Description;
  if (input.RetentionDays !== undefined) archive.retentionDays = input.RetentionDays;
  ctx.store.saveArchive(archive);
  return { ArchiveArn: archive.arn, State: archive.state, CreationTime: new Date(archive.creationTime) };
};

export const DescribeArchive: EventsHandler<DescribeArchiveRequest, DescribeArchiveResponse> = (input, ctx) => {
  const archive = ctx.store.archive(input.ArchiveName!);
  if (!archive) throw archiveNotFound(input.ArchiveName!);
  return archiveView(ctx.store, archive);
};

export const ListArchives: EventsHandler<ListArchivesRequest, ListArchivesResponse> = (input, ctx) => {
  const archives = ctx.store.allArchives().filter((a) =>
    (!input.NamePrefix || a.name.startsWith(input.NamePrefix)) && (!input.EventSourceArn || a.sourceArn === input.EventSourceArn) && (!input.State || a.state === input.State));
  const { items, next } = page(archives, (a) => a.name, input.Limit, input.NextToken);
  return {
    Archives: items.map((a) => {
      const { ArchiveArn: _arn, Description: _d, EventPattern: _p, ...summary } = archiveView(ctx.store, a);
      return summary;
    }),
    ...(next ? { NextToken: next } : {}),
  };
};

export const DeleteArchive: EventsHandler<DeleteArchiveRequest, object> = (input, ctx) => {
  if (!ctx.store.archive(input.ArchiveName!)) throw archiveNotFound(input.ArchiveName!);
  ctx.store.deleteArchive(input.ArchiveName!);
  return {};
};

function replayView(r: ReplayRecord): Replay & DescribeReplayResponse {
  return {
    ReplayName: r.name, ReplayArn: r.arn,
    ...(r.description !== undefined ? { Description: r.description } : {}),
    State: r.state, ...(r.stateReason ? { StateReason: r.stateReason } : {}),
    EventSourceArn: r.archiveArn, Destination: r.destination,
    EventStartTime: new Date(r.eventStartTime), EventEndTime: new Date(r.eventEndTime),
    ...(r.eventLastReplayedTime !== undefined ? { EventLastReplayedTime: new Date(r.eventLastReplayedTime) } : {}),
    ReplayStartTime: new Date(r.replayStartTime),
    ...(r.replayEndTime !== undefined ? { ReplayEndTime: new Date(r.replayEndTime) } : {}),
  };
}

export const StartReplay: EventsHandler<StartReplayRequest, StartReplayResponse> = (input, ctx) => {
  const name = input.ReplayName!;
  const archiveName = (input.EventSourceArn ?? "").split(":archive/")[1] ?? "";
  const archive = ctx.store.archive(archiveName);
  if (!archive || archive.arn !== input.EventSourceArn) throw archiveNotFound(archiveName);
  if (ctx.store.replay(name)) throw eventsErrors().ResourceAlreadyExistsException(`Replay ${name} already exists.`);
  const start = new Date(input.EventStartTime!).getTime();
  const end = new Date(input.EventEndTime!).getTime();
  if (!(start < end)) throw validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.");
  if (end > ctx.clock.now()) throw validation("Parameter EventEndTime is not valid. Reason: EventEndTime cannot be in the future.");
  const destination = input.Destination!;
  if (destination.Arn !== archive.sourceArn) throw validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
  const replay: ReplayRecord = {
    name, arn: `arn:aws:events:${ctx.region}:${ctx.account}:replay/${name}`, archiveArn: archive.arn,
    destination: { Arn: destination.Arn!, ...(destination.FilterArns ? { FilterArns: destination.FilterArns } : {}) },
    eventStartTime: start, eventEndTime: end, state: "STARTING", replayStartTime: ctx.clock.now(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
  ctx.store.saveReplay(replay);
  const store = ctx.store;
  store.clock.after(0, () => void runReplay(store, replay.name, archive));
  return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: new Date(replay.replayStartTime) };
};

async function runReplay(store: EventsStore, name: string, archive: ArchiveRecord): Promise<void> {
  const replay = store.replay(name);
  if (!replay || replay.state !== "STARTING") return;
  replay.state = "RUNNING";
  store.saveReplay(replay);
  const busName = store.busName(archive.sourceArn);
  for (const kept of store.eventsOf(archive.name)) {
    if (store.replay(name)?.state !== "RUNNING") break;
    if (kept.time < replay.eventStartTime || kept.time >= replay.eventEndTime) continue;
    await routeEvent(store, busName, { ...kept.event, "replay-name": name }, { replay: { name, filterArns: replay.destination.FilterArns } });
    replay.eventLastReplayedTime = kept.time;
  }
  replay.state = (replay.state as ReplayRecord["state"]) === "CANCELLING" ? "CANCELLED" : "COMPLETED";
  replay.replayEndTime = store.clock.now();
  store.saveReplay(replay);
}

export const DescribeReplay: EventsHandler<DescribeReplayRequest, DescribeReplayResponse> = (input, ctx) => {
  const replay = ctx.store.replay(input.ReplayName!);
  if (!replay) throw eventsErrors().ResourceNotFoundException(`Replay ${input.ReplayName} does not exist.`);
  return replayView(replay);
};

export const ListReplays: EventsHandler<ListReplaysRequest, ListReplaysResponse> = (input, ctx) => {
  const replays = ctx.store.allReplays().filter((r) =>
    (!input.NamePrefix || r.name.startsWith(input.NamePrefix)) && (!input.EventSourceArn || r.archiveArn === input.EventSourceArn) && (!input.State || r.state === input.State));
  const { items, next } = page(replays, (r) => r.name, input.Limit, input.NextToken);
  return {
    Replays: items.map((r) => {
      const { ReplayArn: _arn, Description: _d, Destination: _dest, ...summary } = replayView(r);
      return summary;
    }),
    ...(next ? { NextToken: next } : {}),
  };
};

export const CancelReplay: EventsHandler<CancelReplayRequest, CancelReplayResponse> = (input, ctx) => {
  const replay = ctx.store.replay(input.ReplayName!);
  if (!replay) throw eventsErrors().ResourceNotFoundException(`Replay ${input.ReplayName} does not exist.`);
  if (replay.state !== "STARTING" && replay.state !== "RUNNING") {
    throw eventsErrors().IllegalStatusException(`Replay ${replay.name} is not in a valid state for this operation.`);
  }
  replay.state = replay.state === "STARTING" ? "CANCELLED" : "CANCELLING";
  if (replay.state === "CANCELLED") replay.replayEndTime = ctx.clock.now();
  ctx.store.saveReplay(replay);
  return { ReplayArn: replay.arn, State: "CANCELLING" };
};
