import type { PublishBatchInput, PublishBatchResponse, PublishInput, PublishResponse, BatchResultErrorEntry, PublishBatchResultEntry } from "@aws-sdk/client-sns";
import { fanOut } from "../delivery.js";
import { invalidParameter, snsErrors } from "../errors.js";
import { SnsLimits } from "../limits.js";
import { acceptOnce, messageSize, newMessageId, prepareMessage } from "../message-input.js";
import type { SnsHandler } from "../types.js";
import { isServiceError } from "../../../protocols/service-error.js";

// Publish and PublishBatch. The rules of one message are in message-input.ts, fan-out in delivery.ts.

export const Publish: SnsHandler<PublishInput, PublishResponse> = async (input, ctx) => {
  if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined) {
    // A direct SMS: recorded in the outbox.
    if (!input.Message) throw invalidParameter("Empty message");
    const MessageId = newMessageId();
    ctx.store.send({ protocol: "sms", endpoint: input.PhoneNumber, messageId: MessageId, message: input.Message, timestamp: new Date(ctx.clock.now()).toISOString() });
    return { MessageId };
  }
  const arn = input.TopicArn ?? input.TargetArn;
  if (!arn) throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
  const topic = ctx.store.requireTopic(arn, input.TopicArn !== undefined ? "TopicArn" : "TargetArn");
  const msg = prepareMessage(ctx.store, topic, input as never);
  const accepted = acceptOnce(ctx.store, msg);
  if (!accepted.duplicate) await fanOut(ctx.store, msg, ctx.http?.host ?? new URL(ctx.endpoint).host);
  return { MessageId: accepted.MessageId, ...(accepted.SequenceNumber ? { SequenceNumber: accepted.SequenceNumber } : {}) };
};

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export const PublishBatch: SnsHandler<PublishBatchInput, PublishBatchResponse> = async (input, ctx) => {
  const topic = ctx.store.requireTopic(input.TopicArn);
  const entries = input.PublishBatchRequestEntries ?? [];
  const errors = snsErrors();
  if (entries.length === 0) throw errors.EmptyBatchRequestException("The batch request doesn't contain any entries");
  if (entries.length > SnsLimits.maxBatchEntries) throw errors.TooManyEntriesInBatchRequestException("The batch request contains more entries than permissible.");
  const ids = new Set<string>();
  for (const e of entries) {
    if (!ENTRY_ID.test(e.Id ?? "")) {
      throw errors.InvalidBatchEntryIdException("A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
    }
    ids.add(e.Id!);
  }
  if (ids.size !== entries.length) throw errors.BatchEntryIdsNotDistinctException("Two or more batch entries in the request have the same Id.");
  const total = entries.reduce((sum, e) => sum + messageSize(e as never), 0);
  if (total > SnsLimits.maxMessageBytes) throw errors.BatchRequestTooLongException("The length of all the messages put together is more than the limit.");
  const Successful: PublishBatchResultEntry[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  const deliveries: Promise<void>[] = [];
  for (const entry of entries) {
    try {
      const msg = prepareMessage(ctx.store, topic, entry as never);
      const accepted = acceptOnce(ctx.store, msg);
      if (!accepted.duplicate) deliveries.push(fanOut(ctx.store, msg, ctx.http?.host ?? new URL(ctx.endpoint).host));
      Successful.push({ Id: entry.Id, MessageId: accepted.MessageId, ...(accepted.SequenceNumber ? { SequenceNumber: accepted.SequenceNumber } : {}) });
    } catch (error) {
      if (!isServiceError(error)) throw error;
      Failed.push({ Id: entry.Id, Code: error.code, Message: error.message, SenderFault: error.senderFault });
    }
  }
  await Promise.all(deliveries);
  return { Successful, Failed };
};
