import { createHash } from "node:crypto";
import type { Clock } from "../../platform/clock.js";
import type { StoreScope } from "../service.js";
// The one cross-service import Terrarium allows (see that file's header): the
// streams' records live in the dynamodb service's SQLite tables.
import {
  decodeImage, formatSequenceNumber, StreamLog, type StoredStreamRecord, type StreamInfo, type StreamRecordRow,
} from "../dynamodb/stream-log.js";

// One account and region's view of DynamoDB Streams: the streams its tables
// opened (read from the shared stream log) and the records as GetRecords
// returns them. A stream has one shard, named from the stream's creation time.

export interface ShardView {
  ShardId: string;
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}

export class StreamsStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  readonly log: StreamLog;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.log = new StreamLog(scope.db);
  }

  /** A stream of this account and region, within retention. */
  stream(arn: string): StreamInfo | undefined {
    const s = this.log.stream(arn);
    if (!s || s.account !== this.account || s.region !== this.region) return undefined;
    return s;
  }

  streams(): StreamInfo[] {
    this.log.trim(this.clock.now());
    return this.log.streams(this.account, this.region);
  }

  shardId(s: StreamInfo): string {
    const suffix = createHash("sha256").update(s.arn).digest("hex").slice(0, 8);
    return `shardId-${String(s.createdAt).padStart(20, "0")}-${suffix}`;
  }

  shard(s: StreamInfo): ShardView {
    const now = this.clock.now();
    const first = this.log.firstSeq(s.arn, now);
    const range: ShardView["SequenceNumberRange"] = {
      StartingSequenceNumber: formatSequenceNumber(first ?? this.log.topSeq() + 1),
    };
    if (s.disabledAt !== null) {
      const last = this.log.lastSeq(s.arn);
      if (last !== undefined) range.EndingSequenceNumber = formatSequenceNumber(last);
    }
    return { ShardId: this.shardId(s), SequenceNumberRange: range };
  }

  read(s: StreamInfo, afterSeq: number, limit: number): StreamRecordRow[] {
    return this.log.read(s.arn, afterSeq, limit, this.clock.now());
  }
}

/** A stored record as GetRecords answers it (the Record shape of the model). */
export function toRecord(row: StreamRecordRow): Record<string, unknown> {
  const r = JSON.parse(row.record) as StoredStreamRecord;
  const dynamodb: Record<string, unknown> = {
    // Whole seconds, as the records AWS delivers carry them.
    ApproximateCreationDateTime: new Date(Math.floor(r.time / 1000) * 1000),
    Keys: decodeImage(r.keys),
  };
  if (r.new !== undefined) dynamodb.NewImage = decodeImage(r.new);
  if (r.old !== undefined) dynamodb.OldImage = decodeImage(r.old);
  dynamodb.SequenceNumber = formatSequenceNumber(row.seq);
  dynamodb.SizeBytes = r.size;
  dynamodb.StreamViewType = r.view;
  const record: Record<string, unknown> = {
    eventID: r.id,
    eventName: r.name,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: r.region,
    dynamodb,
  };
  // Deletions by the TTL process: "Time to Live and DynamoDB Streams" in the developer guide.
  if (r.service) record.userIdentity = { Type: "Service", PrincipalId: "dynamodb.amazonaws.com" };
  return record;
}
