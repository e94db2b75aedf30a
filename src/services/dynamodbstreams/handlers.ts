import { ServiceError } from "../../protocols/service-error.js";
import type { Handler, ServiceContext } from "../service.js";
import { parseSequenceNumber, type StreamInfo } from "../dynamodb/stream-log.js";
import { decodeIterator, encodeIterator, ITERATOR_LIFETIME_MS } from "./iterators.js";
import { toRecord, type StreamsStore } from "./store.js";

// The four DynamoDB Streams operations (@aws-sdk/client-dynamodb-streams is not
// a dependency, so inputs are typed here from the model's shapes).

type Ctx = ServiceContext<StreamsStore>;
type StreamsHandler<I> = Handler<I, Record<string, unknown>, StreamsStore>;

const MAX_RECORDS = 1000;

function validation(message: string): ServiceError {
  return new ServiceError("ValidationException", message, { status: 400 });
}

function requireStream(ctx: Ctx, arn: string): StreamInfo {
  const s = ctx.store.stream(arn);
  if (!s) throw ctx.errors.ResourceNotFoundException!(`Requested resource not found: Stream: ${arn} not found`);
  return s;
}

export const ListStreams: StreamsHandler<{ TableName?: string; Limit?: number; ExclusiveStartStreamArn?: string }> = (input, ctx) => {
  let streams = ctx.store.streams();
  if (input.TableName !== undefined) streams = streams.filter((s) => s.tableName === input.TableName);
  if (input.ExclusiveStartStreamArn !== undefined) {
    const i = streams.findIndex((s) => s.arn === input.ExclusiveStartStreamArn);
    streams = i < 0 ? [] : streams.slice(i + 1);
  }
  const limit = Math.min(input.Limit ?? 100, 100);
  const page = streams.slice(0, limit);
  const out: Record<string, unknown> = {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
  };
  if (streams.length > limit) out.LastEvaluatedStreamArn = page[page.length - 1]!.arn;
  return out;
};

export const DescribeStream: StreamsHandler<{ StreamArn: string; Limit?: number; ExclusiveStartShardId?: string }> = (input, ctx) => {
  const s = requireStream(ctx, input.StreamArn);
  const shard = ctx.store.shard(s);
  const shards = input.ExclusiveStartShardId === undefined || input.ExclusiveStartShardId < shard.ShardId ? [shard] : [];
  return {
    StreamDescription: {
      StreamArn: s.arn,
      StreamLabel: s.label,
      StreamStatus: s.disabledAt === null ? "ENABLED" : "DISABLED",
      StreamViewType: s.viewType,
      CreationRequestDateTime: new Date(s.createdAt),
      TableName: s.tableName,
      KeySchema: s.keySchema,
      Shards: shards,
    },
  };
};

export const GetShardIterator: StreamsHandler<{ StreamArn: string; ShardId: string; ShardIteratorType: string; SequenceNumber?: string }> = (input, ctx) => {
  const s = requireStream(ctx, input.StreamArn);
  const shardId = ctx.store.shardId(s);
  if (input.ShardId !== shardId) {
    throw ctx.errors.ResourceNotFoundException!(`Requested resource not found: Shard does not exist`);
  }
  const now = ctx.clock.now();
  let after: number;
  switch (input.ShardIteratorType) {
    case "TRIM_HORIZON":
      after = 0;
      break;
    case "LATEST":
      after = ctx.store.log.topSeq();
      break;
    default: {
      if (input.SequenceNumber === undefined) {
        throw validation(`SequenceNumber must be specified for ShardIteratorType ${input.ShardIteratorType}`);
      }
      const seq = parseSequenceNumber(input.SequenceNumber);
      if (seq === undefined) throw validation(`Invalid SequenceNumber: ${input.SequenceNumber}`);
      const first = ctx.store.log.firstSeq(s.arn, now);
      if (first === undefined || seq < first) {
        // The record is past the 24-hour retention (or was never in this shard's range).
        const last = ctx.store.log.lastSeq(s.arn);
        if (first !== undefined || last === undefined || seq <= last) {
          throw ctx.errors.TrimmedDataAccessException!(
            `Requested sequence number ${input.SequenceNumber} is beyond the trim horizon of the shard`,
          );
        }
      }
      after = input.ShardIteratorType === "AT_SEQUENCE_NUMBER" ? seq - 1 : seq;
    }
  }
  return { ShardIterator: encodeIterator({ arn: s.arn, shardId, after, issuedAt: now }) };
};

export const GetRecords: StreamsHandler<{ ShardIterator: string; Limit?: number }> = (input, ctx) => {
  const it = decodeIterator(input.ShardIterator);
  if (!it) throw validation("Invalid ShardIterator");
  const s = requireStream(ctx, it.arn);
  const now = ctx.clock.now();
  if (now - it.issuedAt > ITERATOR_LIFETIME_MS) {
    throw ctx.errors.ExpiredIteratorException!(
      `Iterator expired. The iterator was created at time ${new Date(it.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
    );
  }
  if (input.Limit !== undefined && input.Limit > MAX_RECORDS) {
    throw validation(`1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RECORDS}`);
  }
  const rows = ctx.store.read(s, it.after, input.Limit ?? MAX_RECORDS);
  const after = rows.length ? rows[rows.length - 1]!.seq : it.after;
  const out: Record<string, unknown> = { Records: rows.map(toRecord) };
  // A closed shard read to its end has no next iterator (the consumer moves on).
  const drained = s.disabledAt !== null && (ctx.store.log.lastSeq(s.arn) ?? 0) <= after;
  if (!drained) out.NextShardIterator = encodeIterator({ ...it, after, issuedAt: now });
  return out;
};
