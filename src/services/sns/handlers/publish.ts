import type { PublishBatchInput, PublishBatchResponse, PublishInput, PublishResponse, BatchResultErrorEntry, PublishBatchResultEntry } from "@aws-sdk/client-sns";
import { fanOut } from "../delivery.js";
import { invalidParameter, snsErrors } from "../errors.js";
import { SnsLimits } from "../limits.js";
import { acceptOnce, messageSize, newMessageId, prepareMessage } from "../message-input.js";
import type { SnsHandler } from "../types.js";

// Publish and PublishBatch. The rules of one message are in message-input.ts, fan-out in delivery.ts.

export const Publish: SnsHandler<PublishInput, PublishResponse> = async (input, ctx) => {
  if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined) {
    // A direct SMS: recorded in the outbox.
    if (!input.Message) throw invalidParameter("Empty message");
    if (!E164.test(input.PhoneNumber)) throw invalidParameter(`PhoneNumber Reason: ${input.PhoneNumber} is not valid to publish to`);
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
/** E.164: up to 15 digits, the first not 0, after a plus sign (which SNS also takes left out). */
const E164 = /^\+?[1-9]\d{1,14}$/;

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
  // An entry SNS refuses (no MessageGroupId for a FIFO topic, no deduplication id, a
  // MessageStructure without "default", an invalid message attribute...) fails the whole
  // request with Publish's error, before any entry is published: what AWS answers
  // (LocalStack's AWS-validated test_publish_batch_exceptions and
  // test_empty_or_wrong_message_attributes). Failed lists deliveries refused later.
  const messages = entries.map((entry) => prepareMessage(ctx.store, topic, entry as never));
  const Successful: PublishBatchResultEntry[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  const deliveries: Promise<void>[] = [];
  const host = ctx.http?.host ?? new URL(ctx.endpoint).host;
  messages.forEach((msg, i) => {
    const accepted = acceptOnce(ctx.store, msg);
    if (!accepted.duplicate) deliveries.push(fanOut(ctx.store, msg, host));
    Successful.push({ Id: entries[i].Id, MessageId: accepted.MessageId, ...(accepted.SequenceNumber ? { SequenceNumber: accepted.SequenceNumber } : {}) });
  });
  await Promise.all(deliveries);
  return { Successful, Failed };
};
