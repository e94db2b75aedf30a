import { createHash } from "node:crypto";
import type { MessageAttributeValue, MessageSystemAttributeValue } from "@aws-sdk/client-sqs";
import { invalidParameter, invalidParameterValue, missingParameter, sqsErrors } from "./errors.js";
import { uuid } from "../../platform/ids.js";
import { setOwn } from "../../protocols/shape-walk.js";
import { SqsLimits } from "./limits.js";
import { md5Hex, md5OfAttributes } from "./md5.js";
import type { Queue } from "./queue.js";
import type { MessageRecord, StoredAttribute } from "./records.js";
import type { AttributeValue } from "./types.js";

// SendMessage's checks and the message record it makes, shared by SendMessageBatch
// (whose entries fail one by one). Messages follow the SendMessage API reference:
// the XML character set, MaximumMessageSize counting body and attributes, at most
// 10 attributes, FIFO's MessageGroupId and deduplication rules.

export interface SendEntry {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageSystemAttributes?: Record<string, MessageSystemAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface Sender {
  senderId: string;
  now: number;
  nextSeq(): number;
}

/** Validates, deduplicates and enqueues one message. */
export function sendMessage(queue: Queue, entry: SendEntry, sender: Sender): SendResult {
  const body = entry.MessageBody;
  if (body === undefined || body === "") throw missingParameter("MessageBody");
  const bad = INVALID_CHAR.exec(body);
  if (bad) {
    throw sqsErrors().InvalidMessageContents(
      `Invalid binary character '#x${bad[0].codePointAt(0)!.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  const attributes = storeAttributes(entry.MessageAttributes, "user");
  const system = storeSystemAttributes(entry.MessageSystemAttributes);
  const max = queue.numberAttribute("MaximumMessageSize");
  if (Buffer.byteLength(body, "utf8") + attributesSize(entry.MessageAttributes) > max) {
    throw invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
  }
  let delay = queue.numberAttribute("DelaySeconds");
  if (entry.DelaySeconds !== undefined && entry.DelaySeconds !== null) {
    // FIFO queues have no per-message delay; an explicit 0 (which many client libraries
    // send by default) asks for none and is accepted.
    if (queue.fifo && entry.DelaySeconds !== 0) throw invalidParameter("DelaySeconds", entry.DelaySeconds, "The request include parameter that is not valid for this queue type.");
    if (entry.DelaySeconds < 0 || entry.DelaySeconds > SqsLimits.maxDelaySeconds) {
      throw invalidParameter("DelaySeconds", entry.DelaySeconds, "DelaySeconds must be >= 0 and <= 900.");
    }
    if (!queue.fifo) delay = entry.DelaySeconds;
  }
  let deduplicationId: string | undefined;
  // Standard queues take MessageGroupId too (fair queues), under the same rules. (An
  // empty one on a FIFO queue is the MissingParameter below.)
  if (entry.MessageGroupId !== undefined && !(queue.fifo && entry.MessageGroupId === "") && !ID_PATTERN.test(entry.MessageGroupId)) {
    throw invalidParameter("MessageGroupId", entry.MessageGroupId, "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  }
  if (queue.fifo) {
    if (!entry.MessageGroupId) throw missingParameter("MessageGroupId");
    deduplicationId = entry.MessageDeduplicationId;
    if (deduplicationId === undefined) {
      if (queue.attribute("ContentBasedDeduplication") !== "true") {
        throw invalidParameterValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
      }
      deduplicationId = createHash("sha256").update(body, "utf8").digest("hex");
    } else if (!ID_PATTERN.test(deduplicationId)) {
      throw invalidParameter("MessageDeduplicationId", deduplicationId, "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    }
  } else if (entry.MessageDeduplicationId !== undefined) {
    throw invalidParameter("MessageDeduplicationId", entry.MessageDeduplicationId, "The request include parameter that is not valid for this queue type.");
  }
  const md5s = {
    MD5OfMessageBody: md5Hex(body),
    MD5OfMessageAttributes: md5OfAttributes(entry.MessageAttributes as Record<string, AttributeValue> | undefined),
    MD5OfMessageSystemAttributes: md5OfAttributes(entry.MessageSystemAttributes as Record<string, AttributeValue> | undefined),
  };
  const dedupKey = deduplicationId === undefined ? undefined
    : queue.attribute("DeduplicationScope") === "messageGroup" ? `${entry.MessageGroupId}\n${deduplicationId}` : deduplicationId;
  if (dedupKey !== undefined) {
    // A duplicate within 5 minutes is accepted and not delivered again (FIFO exactly-once).
    const earlier = queue.duplicateOf(dedupKey);
    if (earlier) return sendResult(earlier.messageId, md5s, earlier.sequenceNumber);
  }
  const seq = sender.nextSeq();
  const record: MessageRecord = {
    id: uuid(),
    seq,
    body,
    md5OfBody: md5s.MD5OfMessageBody,
    attributes,
    md5OfAttributes: md5s.MD5OfMessageAttributes,
    systemAttributes: system,
    md5OfSystemAttributes: md5s.MD5OfMessageSystemAttributes,
    senderId: sender.senderId,
    sentAt: sender.now,
    visibleAt: sender.now + delay * 1000,
    groupId: entry.MessageGroupId,
    deduplicationId,
    sequenceNumber: queue.fifo ? (10n ** 19n + BigInt(seq)).toString() : undefined,
    deadLetterSourceArn: undefined,
  };
  queue.enqueue(record);
  if (dedupKey !== undefined) queue.remember(dedupKey, record.id, record.sequenceNumber);
  return sendResult(record.id, md5s, record.sequenceNumber);
}

/** Written out member by member: a spread into a literal costs ~1 us on Node 20. */
function sendResult(id: string, md5s: Omit<SendResult, "MessageId" | "SequenceNumber">, sequenceNumber: string | undefined): SendResult {
  return {
    MessageId: id,
    MD5OfMessageBody: md5s.MD5OfMessageBody,
    MD5OfMessageAttributes: md5s.MD5OfMessageAttributes,
    MD5OfMessageSystemAttributes: md5s.MD5OfMessageSystemAttributes,
    SequenceNumber: sequenceNumber,
  };
}

function attributesSize(attributes: Record<string, MessageAttributeValue> | undefined): number {
  let size = 0;
  if (!attributes) return size;
  for (const [name, v] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? "");
    if (v.StringValue !== undefined) size += Buffer.byteLength(v.StringValue);
    if (v.BinaryValue !== undefined) size += v.BinaryValue.length;
  }
  return size;
}

function storeAttributes(attributes: Record<string, MessageAttributeValue> | undefined, kind: "user" | "system"): Record<string, StoredAttribute> | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  if (names.length > SqsLimits.maxMessageAttributes) {
    throw invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${SqsLimits.maxMessageAttributes}].`);
  }
  const out: Record<string, StoredAttribute> = {};
  for (const name of names) {
    const v = attributes![name];
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith(".") || name.endsWith(".") || name.includes("..") || /^(aws\.|amazon\.)/i.test(name)) {
      throw invalidParameterValue(`Message (${kind}) attribute name '${name}' is invalid.`);
    }
    const type = v.DataType;
    if (!type) throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const base = type.split(".")[0];
    if (!["String", "Number", "Binary"].includes(base) || type.length > 256) {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    if (v.StringListValues?.length || v.BinaryListValues?.length) {
      throw invalidParameterValue(`Message attribute list values in SendMessage operation are not supported.`);
    }
    if (base === "Binary") {
      if (v.BinaryValue === undefined || v.BinaryValue.length === 0) {
        throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
      }
      setOwn(out, name, { DataType: type, BinaryValue: Buffer.from(v.BinaryValue).toString("base64") });
    } else {
      if (v.StringValue === undefined || v.StringValue === "") {
        throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
      }
      if (base === "Number" && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.StringValue)) {
        throw invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
      }
      setOwn(out, name, { DataType: type, StringValue: v.StringValue });
    }
  }
  return out;
}

function storeSystemAttributes(attributes: Record<string, MessageSystemAttributeValue> | undefined): Record<string, StoredAttribute> | undefined {
  if (!attributes) return undefined;
  for (const name of Object.keys(attributes)) {
    if (name !== "AWSTraceHeader") throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    if (attributes![name].DataType !== "String") {
      throw invalidParameterValue(`Message system attribute '${name}' must be of type String.`);
    }
  }
  return storeAttributes(attributes as Record<string, MessageAttributeValue> | undefined, "system");
}

/** A stored attribute as the SDK types it (binary values as bytes). */
export function wireAttribute(a: StoredAttribute): AttributeValue {
  return a.BinaryValue !== undefined ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, "base64") } : { DataType: a.DataType, StringValue: a.StringValue };
}
