import { randomUUID } from "node:crypto";
import { matchPattern } from "../../engines/event-patterns/index.js";
import { MappingPoller } from "./mapping-poller.js";
import { batchItemFailures, invokeForMapping, sendToDestination } from "./event-source-invoke.js";
import type { EventSourceMappingRecord } from "./event-source-records.js";

// The poller behind a DynamoDB Streams event source mapping (developer guide, "Using
// Lambda with DynamoDB"): read each shard in order from StartingPosition, invoke the
// function with up to BatchSize records (those FilterCriteria keep), and move on only
// when the batch succeeded. A failed batch is retried (halved first with
// BisectBatchOnFunctionError) until MaximumRetryAttempts or MaximumRecordAgeInSeconds
// (-1: until the records expire), then its description goes to the OnFailure
// destination and the shard moves on. With ReportBatchItemFailures the retry starts
// at the first failed record. Everything goes through ctx.invoke("dynamodbstreams").

const IDLE_MS = 100;
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 2000;

interface StreamRecord {
  eventID: string;
  dynamodb: { SequenceNumber: string; ApproximateCreationDateTime?: Date | number };
  [key: string]: unknown;
}

export class StreamPoller extends MappingPoller {
  private shardId: string | undefined;
  private iterator: string | undefined;
  /** The last sequence number processed (or skipped), to resume after an expired iterator. */
  private checkpoint: string | undefined;

  private scope(arn: string): { account: string; region: string } {
    const [, , , region, account] = arn.split(":");
    return { account, region };
  }

  protected async poll(): Promise<void> {
    let delay = IDLE_MS;
    try {
      const mapping = this.mapping();
      if (!mapping) return;
      const arn = mapping.EventSourceArn;
      if (!this.iterator) await this.openIterator(mapping);
      if (!this.iterator) return this.schedule(1000);
      let out: Record<string, unknown>;
      try {
        out = await this.store.invoke("dynamodbstreams", "GetRecords", { ShardIterator: this.iterator, Limit: mapping.BatchSize }, this.scope(arn));
      } catch (error) {
        // Iterators expire (15 minutes on Terrarium's clock): open a new one at the checkpoint.
        if ((error as { code?: string }).code === "ExpiredIteratorException") {
          this.iterator = undefined;
          return this.schedule(0);
        }
        throw error;
      }
      const records = (out.Records as StreamRecord[] | undefined) ?? [];
      const next = out.NextShardIterator as string | undefined;
      if (records.length > 0) {
        await this.process(mapping, records);
        delay = 0;
      }
      if (this.stopped) return;
      this.iterator = next;
      // A closed shard read to its end: look for the shard that follows it.
      if (!next) this.shardId = undefined;
    } catch (error) {
      this.logger?.debug("stream event source poll failed", { uuid: this.uuid, message: (error as Error).message });
      this.iterator = undefined;
      delay = 1000;
    }
    this.schedule(delay);
  }

  private async openIterator(mapping: EventSourceMappingRecord): Promise<void> {
    const arn = mapping.EventSourceArn;
    const scope = this.scope(arn);
    if (!this.shardId) {
      const described = await this.store.invoke("dynamodbstreams", "DescribeStream", { StreamArn: arn }, scope);
      const shards = ((described.StreamDescription as { Shards?: { ShardId: string; SequenceNumberRange?: { EndingSequenceNumber?: string } }[] })?.Shards) ?? [];
      // The open shard (the last one); a closed one only while its records remain unread.
      const shard = shards.find((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined) ?? shards[shards.length - 1];
      if (!shard) return;
      if (shard.ShardId !== this.shardId && this.checkpoint !== undefined && shards.length > 1) this.checkpoint = undefined;
      this.shardId = shard.ShardId;
    }
    const position = this.checkpoint !== undefined
      ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: this.checkpoint }
      : { ShardIteratorType: mapping.StartingPosition === "LATEST" ? "LATEST" : "TRIM_HORIZON" };
    const out = await this.store.invoke("dynamodbstreams", "GetShardIterator", { StreamArn: arn, ShardId: this.shardId, ...position }, scope);
    this.iterator = out.ShardIterator as string | undefined;
  }


  /** Processes one batch to the end (success, or failure handed to the destination). */
  private async process(mapping: EventSourceMappingRecord, records: StreamRecord[]): Promise<void> {
    const arn = mapping.EventSourceArn;
    const region = this.scope(arn).region;
    const events = records.map((r) => ({ ...r, eventSourceARN: arn, awsRegion: (r.awsRegion as string | undefined) ?? region }));
    const patterns = this.patterns(mapping);
    const kept = patterns.length === 0 ? events : events.filter((e) => patterns.some((p) => matchPattern(p, JSON.parse(JSON.stringify(e, dates)))));
    if (kept.length > 0) await this.deliver(mapping, kept, 0);
    this.checkpoint = records[records.length - 1].dynamodb.SequenceNumber;
  }

  /** Delivers `batch`, retrying it; answers when it succeeded or was given up. */
  private async deliver(mapping: EventSourceMappingRecord, batch: StreamRecord[], retriesSoFar: number): Promise<void> {
    let pending = batch;
    let retries = retriesSoFar;
    let attempts = 0;
    while (pending.length > 0 && !this.stopped) {
      attempts++;
      const result = await invokeForMapping(this.store, mapping, { Records: pending }, this.logger);
      if (result.ok) {
        if (!mapping.FunctionResponseTypes?.includes("ReportBatchItemFailures")) return;
        const seqs = pending.map((r) => r.dynamodb.SequenceNumber);
        const failed = batchItemFailures(result.payload, new Set(seqs));
        if (failed !== undefined && failed.size === 0) return;
        // Retry from the first failed record (the lowest sequence number reported).
        if (failed !== undefined) pending = pending.slice(seqs.findIndex((s) => failed.has(s)));
      }
      const maxAge = mapping.MaximumRecordAgeInSeconds ?? -1;
      const oldest = createdMs(pending[0]);
      if (maxAge !== -1 && oldest !== undefined && this.store.clock.now() - oldest > maxAge * 1000) {
        return this.giveUp(mapping, pending, "RecordAgeExceeded", attempts, result.executedVersion, result.functionError);
      }
      // A throttled batch never reached the function: it is tried again until its records
      // expire or pass MaximumRecordAgeInSeconds, not counted against MaximumRetryAttempts.
      if (!result.throttled) {
        const maxRetries = mapping.MaximumRetryAttempts ?? -1;
        if (maxRetries !== -1 && retries >= maxRetries) {
          return this.giveUp(mapping, pending, "RetryAttemptsExhausted", attempts, result.executedVersion, result.functionError);
        }
        retries++;
        if (mapping.BisectBatchOnFunctionError && pending.length > 1) {
          const half = Math.ceil(pending.length / 2);
          await this.deliver(mapping, pending.slice(0, half), retries);
          await this.deliver(mapping, pending.slice(half), retries);
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempts, 5))));
      const current = this.mapping();
      if (!current) return;
      mapping = current;
    }
  }

  /** The batch is skipped; its description goes to the OnFailure destination (developer guide, "Retaining discarded batches"). */
  private async giveUp(
    mapping: EventSourceMappingRecord,
    batch: StreamRecord[],
    condition: "RetryAttemptsExhausted" | "RecordAgeExceeded",
    invokeCount: number,
    executedVersion: string | undefined,
    functionError: string | undefined,
  ): Promise<void> {
    const destination = mapping.DestinationConfig?.OnFailure?.Destination;
    if (!destination) return;
    const first = batch[0];
    const last = batch[batch.length - 1];
    const record = {
      requestContext: { requestId: randomUUID(), functionArn: mapping.FunctionArn, condition, approximateInvokeCount: invokeCount },
      responseContext: { statusCode: 200, executedVersion: executedVersion ?? "$LATEST", ...(functionError ? { functionError } : {}) },
      version: "1.0",
      timestamp: new Date(this.store.clock.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: this.shardId,
        startSequenceNumber: first.dynamodb.SequenceNumber,
        endSequenceNumber: last.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: isoOf(first),
        approximateArrivalOfLastRecord: isoOf(last),
        batchSize: batch.length,
        streamArn: mapping.EventSourceArn,
      },
    };
    try {
      await sendToDestination(this.store, destination, JSON.stringify(record));
    } catch (error) {
      this.logger?.warn("stream event source: OnFailure delivery failed", { destination, message: (error as Error).message });
    }
  }
}

function createdMs(record: StreamRecord): number | undefined {
  const at = record.dynamodb.ApproximateCreationDateTime;
  if (at instanceof Date) return at.getTime();
  return typeof at === "number" ? at * 1000 : undefined;
}

function isoOf(record: StreamRecord): string | undefined {
  const ms = createdMs(record);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Filters see the record as the function does (dates as epoch seconds). */
function dates(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString("base64");
  return value;
}
