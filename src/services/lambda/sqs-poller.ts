import { matchPattern } from "../../engines/event-patterns/index.js";
import { MappingPoller } from "./mapping-poller.js";
import { batchItemFailures, invokeForMapping } from "./event-source-invoke.js";
import type { EventSourceMappingRecord } from "./event-source-records.js";
import { sqsQueueOfArn } from "../../platform/arn.js";
import { setOwn } from "../../protocols/shape-walk.js";

// The poller behind an SQS event source mapping, as Lambda runs it (developer guide,
// "Using Lambda with Amazon SQS"): receive up to BatchSize messages (waiting up to
// MaximumBatchingWindowInSeconds to fill the batch), drop (delete) those no filter
// matches, invoke the function synchronously with the rest, and delete what it
// processed. A failed invocation deletes nothing: the messages come back when their
// visibility timeout ends (on Terrarium's clock) and, past the queue's
// maxReceiveCount, SQS's own redrive moves them to the dead-letter queue. With
// ReportBatchItemFailures, only the messages the function names stay.
// Polling runs in real time (every IDLE_MS while the queue is empty); everything
// goes through ctx.invoke, so SQS's own handlers keep their rules.

const IDLE_MS = 100;
/** Batches in flight per mapping, unless ScalingConfig.MaximumConcurrency says otherwise. */
const DEFAULT_CONCURRENCY = 5;

interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody?: string;
  MD5OfMessageAttributes?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
}

/** The queue URL and the scope of an SQS queue ARN. */
export function queueOf(arn: string): { url: string; scope: { account: string; region: string } } | undefined {
  const queue = sqsQueueOfArn(arn);
  return queue && { url: queue.url, scope: { account: queue.account, region: queue.region } };
}

export class SqsPoller extends MappingPoller {
  private polling = false;
  private inFlight = 0;

  protected async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    let delay = IDLE_MS;
    try {
      for (;;) {
        const mapping = this.mapping();
        if (!mapping) return;
        if (this.inFlight >= (mapping.ScalingConfig?.MaximumConcurrency ?? DEFAULT_CONCURRENCY)) {
          delay = -1; // a batch that finishes polls again
          break;
        }
        const messages = await this.receive(mapping);
        if (messages.length === 0 || this.stopped) break;
        this.inFlight++;
        void this.process(mapping, messages)
          .catch((error) => this.logger?.warn("sqs event source batch failed", { uuid: this.uuid, message: (error as Error).message }))
          .finally(() => {
            this.inFlight--;
            if (!this.polling) this.schedule(0);
          });
      }
    } catch (error) {
      this.logger?.debug("sqs event source poll failed", { uuid: this.uuid, message: (error as Error).message });
      delay = 1000;
    } finally {
      this.polling = false;
    }
    if (delay >= 0) this.schedule(delay);
  }

  /** Up to BatchSize messages, waiting up to the batching window to fill the batch. */
  private async receive(mapping: EventSourceMappingRecord): Promise<SqsMessage[]> {
    const queue = queueOf(mapping.EventSourceArn);
    if (!queue) return [];
    const deadline = Date.now() + mapping.MaximumBatchingWindowInSeconds * 1000;
    const messages: SqsMessage[] = [];
    while (messages.length < mapping.BatchSize && !this.stopped) {
      const out = await this.store.invoke("sqs", "ReceiveMessage", {
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.min(10, mapping.BatchSize - messages.length),
        WaitTimeSeconds: 0,
        AttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }, queue.scope);
      const got = (out.Messages as SqsMessage[] | undefined) ?? [];
      messages.push(...got);
      const left = deadline - Date.now();
      if (left <= 0 || (messages.length === 0 && got.length === 0 && mapping.MaximumBatchingWindowInSeconds === 0)) break;
      if (got.length === 0) await new Promise((resolve) => setTimeout(resolve, Math.min(IDLE_MS, left)));
    }
    return messages;
  }


  private async process(mapping: EventSourceMappingRecord, messages: SqsMessage[]): Promise<void> {
    const queue = queueOf(mapping.EventSourceArn)!;
    const records = messages.map((m) => sqsRecord(m, mapping.EventSourceArn, queue.scope.region));
    // Messages no filter matches are deleted without an invocation, as on AWS.
    const patterns = this.patterns(mapping);
    const matched = patterns.length === 0 ? records : records.filter((r) => patterns.some((p) => matchPattern(p, filterView(r))));
    const done = new Set(records.filter((r) => !matched.includes(r)).map((r) => r.messageId));
    if (matched.length > 0) {
      for (const id of await this.invokeFunction(mapping, matched)) done.add(id);
    }
    await this.delete(queue, messages.filter((m) => done.has(m.MessageId)));
  }

  /** Runs the function with the batch; answers the ids of the messages it processed. */
  private async invokeFunction(mapping: EventSourceMappingRecord, records: ReturnType<typeof sqsRecord>[]): Promise<string[]> {
    const result = await invokeForMapping(this.store, mapping, { Records: records }, this.logger);
    if (!result.ok) return [];
    const ids = records.map((r) => r.messageId);
    if (!mapping.FunctionResponseTypes?.includes("ReportBatchItemFailures")) return ids;
    const failures = batchItemFailures(result.payload, new Set(ids));
    // An answer Lambda cannot read fails the whole batch (developer guide, "Reporting batch item failures").
    if (failures === undefined) return [];
    return ids.filter((id) => !failures.has(id));
  }

  private async delete(queue: NonNullable<ReturnType<typeof queueOf>>, messages: SqsMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const entries = messages.slice(i, i + 10).map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle }));
      await this.store.invoke("sqs", "DeleteMessageBatch", { QueueUrl: queue.url, Entries: entries }, queue.scope);
    }
  }
}

/** One record of the SQS event (developer guide, "Example standard queue message event"). */
function sqsRecord(m: SqsMessage, arn: string, region: string) {
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
    setOwn(messageAttributes, name, {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    });
  }
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes: m.Attributes ?? {},
    messageAttributes,
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    md5OfBody: m.MD5OfBody,
    eventSource: "aws:sqs",
    eventSourceARN: arn,
    awsRegion: region,
  };
}

/** Filters see the body as JSON when it is JSON (developer guide, "Filtering Amazon SQS messages"). */
function filterView(record: ReturnType<typeof sqsRecord>): Record<string, unknown> {
  try {
    return { ...record, body: JSON.parse(record.body) };
  } catch {
    return record;
  }
}
