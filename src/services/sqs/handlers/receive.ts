import type { Message, ReceiveMessageRequest, ReceiveMessageResult } from "@aws-sdk/client-sqs";
import { invalidParameter } from "../errors.js";
import { SqsLimits } from "../limits.js";
import { md5OfAttributes } from "../md5.js";
import { wireAttribute } from "../message-input.js";
import type { Queue } from "../queue.js";
import { encodeReceipt } from "../receipt-handles.js";
import type { QueuedMessage, SentMessage } from "../records.js";
import type { AttributeValue, SqsHandler } from "../types.js";
import { setOwn } from "../../../protocols/shape-walk.js";

// ReceiveMessage: short polls answer at once; long polls (WaitTimeSeconds, or the
// queue's ReceiveMessageWaitTimeSeconds) wait on the queue until a message can be
// received, and answer as soon as one can, not at the end of the wait.

const ATTEMPT_ID = /^[\x21-\x7e]{1,128}$/;

export const ReceiveMessage: SqsHandler<ReceiveMessageRequest, ReceiveMessageResult> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  const max = input.MaxNumberOfMessages ?? 1;
  if (!(max >= 1 && max <= SqsLimits.maxReceiveMessages)) {
    throw invalidParameter("MaxNumberOfMessages", max, "Must be between 1 and 10, if provided.");
  }
  const wait = input.WaitTimeSeconds ?? queue.numberAttribute("ReceiveMessageWaitTimeSeconds");
  if (!(wait >= 0 && wait <= SqsLimits.maxWaitTimeSeconds)) {
    throw invalidParameter("WaitTimeSeconds", wait, "Must be >= 0 and <= 20, if provided.");
  }
  const visibilityTimeout = input.VisibilityTimeout ?? queue.numberAttribute("VisibilityTimeout");
  if (!(visibilityTimeout >= 0 && visibilityTimeout <= SqsLimits.maxVisibilityTimeout)) {
    throw invalidParameter("VisibilityTimeout", visibilityTimeout, "Must be >= 0 and <= 43200, if provided.");
  }
  const deadline = ctx.clock.now() + wait * 1000;
  // FIFO only (a standard queue ignores it); up to 128 alphanumeric and punctuation characters.
  const attemptId = queue.fifo ? input.ReceiveRequestAttemptId : undefined;
  if (attemptId !== undefined && !ATTEMPT_ID.test(attemptId)) {
    throw invalidParameter("ReceiveRequestAttemptId", attemptId, "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  }
  const take = () => ctx.store.atomically(() => queue.receive({ max, visibilityTimeout, attemptId }));
  const received = take();
  // Answered at once (most receives) without a promise: only a long poll waits.
  if (received.length > 0 || wait === 0) return answer(input, queue, received);
  return (async () => {
    let got = received;
    while (got.length === 0 && !queue.deleted && ctx.clock.now() < deadline) {
      await queue.waitForChange(deadline);
      got = take();
    }
    return answer(input, queue, got);
  })();
};

function answer(input: ReceiveMessageRequest, queue: Queue, received: QueuedMessage[]): ReceiveMessageResult {
  if (received.length === 0) return {};
  const systemNames = new Set<string>(input.AttributeNames as string[] | undefined);
  for (const name of input.MessageSystemAttributeNames ?? []) systemNames.add(name);
  const userNames = (input.MessageAttributeNames ?? []) as string[];
  const messages = queue.readAll(received);
  if (messages.length === 0) return {};
  return { Messages: messages.map(({ message, sent }) => toMessage(queue, message, sent, systemNames, userNames)) };
}

function toMessage(queue: Queue, m: QueuedMessage, sent: SentMessage, systemNames: Set<string>, userNames: string[]): Message {
  const out: Message = {
    MessageId: sent.id,
    ReceiptHandle: encodeReceipt({ queueArn: queue.arn, seq: m.seq, epoch: queue.epoch, nonce: m.receipt! }),
    MD5OfBody: sent.md5OfBody,
    Body: sent.body,
  };
  // Most receives ask for neither kind of attribute: no objects made for them.
  if (systemNames.size > 0) {
    const attributes = systemAttributes(m, sent, systemNames);
    if (Object.keys(attributes).length) out.Attributes = attributes;
  }
  if (userNames.length > 0 && sent.attributes) {
    const selected: Record<string, AttributeValue> = {};
    for (const [name, value] of Object.entries(sent.attributes)) if (wanted(name, userNames)) setOwn(selected, name, wireAttribute(value));
    if (Object.keys(selected).length) {
      out.MessageAttributes = selected as Message["MessageAttributes"];
      // Over the attributes returned: the SDKs check it against them.
      out.MD5OfMessageAttributes = md5OfAttributes(selected);
    }
  }
  return out;
}

/** "All", ".*", an exact name, or a prefix written "name.*". */
function wanted(name: string, patterns: string[]): boolean {
  return patterns.some((p) => p === "All" || p === ".*" || p === name || (p.endsWith(".*") && name.startsWith(p.slice(0, -1))));
}

function systemAttributes(m: QueuedMessage, sent: SentMessage, names: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (names.size === 0) return out;
  const all = names.has("All");
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && (all || names.has(name))) out[name] = value;
  };
  add("SenderId", sent.senderId);
  add("SentTimestamp", String(sent.sentAt));
  add("ApproximateReceiveCount", String(m.receiveCount));
  add("ApproximateFirstReceiveTimestamp", m.firstReceivedAt === undefined ? undefined : String(m.firstReceivedAt));
  add("SequenceNumber", sent.sequenceNumber);
  add("MessageDeduplicationId", sent.deduplicationId);
  add("MessageGroupId", m.groupId);
  add("AWSTraceHeader", sent.systemAttributes?.AWSTraceHeader?.StringValue);
  add("DeadLetterQueueSourceArn", m.deadLetterSourceArn);
  return out;
}
