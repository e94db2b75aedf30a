import { createHash, randomUUID } from "node:crypto";
import type { PublishedMessage } from "./delivery.js";
import { invalidParameter, invalidParameterValue } from "./errors.js";
import { SnsLimits } from "./limits.js";
import type { TopicRecord } from "./records.js";
import type { SnsStore } from "./store.js";
import type { MessageAttribute } from "./types.js";

// The rules of one published message (Publish, and each PublishBatch entry), as the
// Publish API reference states them; AWS's messages as its answers word them.

export interface MessageInput {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/** MessageGroupId and MessageDeduplicationId (Publish API reference): 1 to 128 alphanumeric and punctuation characters. */
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Bytes a message counts against the 256 KB limit: body plus attribute names, types and values. */
export function messageSize(input: MessageInput): number {
  let total = Buffer.byteLength(input.Message ?? "");
  if (!input.MessageAttributes) return total;
  for (const [name, a] of Object.entries(input.MessageAttributes)) {
    total += Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? "") + Buffer.byteLength(a.StringValue ?? "") + (a.BinaryValue?.length ?? 0);
  }
  return total;
}

const NAME_CHAR = /^[A-Za-z0-9_.-]$/;

/**
 * A message attribute's name ("Amazon SNS message attributes"): up to 256 characters,
 * A-Z, a-z, 0-9, underscore, hyphen and period, not starting or ending with a period
 * nor with two in a row; AWS's messages name the first fault.
 */
const VALID_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

function checkAttributeName(name: string): void {
  // One test for the usual, valid name; the faults are told apart only when there is one.
  if (name.length <= 256 && VALID_NAME.test(name)) return;
  if (name.length > 256) throw invalidParameterValue("Length of message attribute name must be less than 256 bytes.");
  if (name.startsWith(".")) throw invalidParameterValue("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith(".")) throw invalidParameterValue("Invalid message attribute name ending with character '.' was found.");
  let previous = "";
  for (const char of name) {
    if (!NAME_CHAR.test(char)) {
      const hex = char.codePointAt(0)!.toString(16).toUpperCase();
      throw invalidParameterValue(`Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
    if (char === "." && previous === ".") throw invalidParameterValue("Message attribute name can not have successive '.' character.");
    previous = char;
  }
}

function validateAttributes(attributes: Record<string, MessageAttribute> | undefined): void {
  const entries = Object.entries(attributes ?? {});
  if (entries.length > SnsLimits.maxMessageAttributes) {
    throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${SnsLimits.maxMessageAttributes}].`);
  }
  for (const [name, a] of entries) {
    checkAttributeName(name);
    const type = a.DataType ?? "";
    const base = type.split(".")[0];
    if (base !== "String" && base !== "Number" && base !== "Binary") {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    // A value in the other type's field: "with type 'String' must use field 'String'".
    const field = base === "Binary" ? "Binary" : "String";
    const other = base === "Binary" ? a.StringValue : a.BinaryValue;
    if ((base === "Binary" ? a.BinaryValue : a.StringValue) === undefined && other !== undefined) {
      throw invalidParameterValue(`The message attribute '${name}' with type '${type}' must use field '${field}'.`);
    }
    if (base === "Binary") {
      if (!a.BinaryValue || a.BinaryValue.length === 0) {
        throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
      }
      continue;
    }
    const value = a.StringValue;
    if (value === undefined || value === "") {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (base === "Number" && !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === "String.Array") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) {
        throw invalidParameterValue(`Value ${value} for message attribute ${name} of type String.Array is not a valid JSON array.`);
      }
    }
  }
}

/** Checks a message for a topic and builds what fan-out delivers. */
export function prepareMessage(store: SnsStore, topic: TopicRecord, input: MessageInput): PublishedMessage {
  const message = input.Message;
  if (message === undefined || message === "") throw invalidParameter("Empty message");
  if (messageSize(input) > SnsLimits.maxMessageBytes) throw invalidParameter("Message too long");
  // "UTF-8 text with no line breaks or control characters, and less than 100 characters long".
  if (input.Subject !== undefined && (input.Subject === "" || input.Subject.length > SnsLimits.maxSubjectLength || /[\x00-\x1f\x7f]/.test(input.Subject))) {
    throw invalidParameter("Subject");
  }
  validateAttributes(input.MessageAttributes);
  let perProtocol: Record<string, string> | undefined;
  let defaultMessage = message;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== "json") throw invalidParameter("MessageStructure");
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw invalidParameter("Message Structure - JSON message body failed to parse");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalidParameter("Message Structure - JSON message body failed to parse");
    const entries = parsed as Record<string, unknown>;
    if (typeof entries.default !== "string") throw invalidParameter("Message Structure - No default entry in JSON message body");
    perProtocol = {};
    for (const [k, v] of Object.entries(entries)) if (typeof v === "string") perProtocol[k] = v;
    defaultMessage = entries.default;
  }
  let deduplicationId = input.MessageDeduplicationId;
  // Standard topics take MessageGroupId too (for fair queues), under the same rules.
  if (input.MessageGroupId && !ID_PATTERN.test(input.MessageGroupId)) {
    throw invalidParameter("MessageGroupId Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  }
  if (topic.fifo) {
    if (!input.MessageGroupId) throw invalidParameter("The MessageGroupId parameter is required for FIFO topics");
    if (!deduplicationId) {
      if (topic.attributes.ContentBasedDeduplication !== "true") {
        throw invalidParameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
      }
      deduplicationId = createHash("sha256").update(message).digest("hex");
    }
    if (input.MessageDeduplicationId !== undefined && !ID_PATTERN.test(input.MessageDeduplicationId)) {
      throw invalidParameter("MessageDeduplicationId Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    }
  } else if (deduplicationId !== undefined) {
    throw invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
  }
  return {
    messageId: randomUUID(),
    topic,
    message: defaultMessage,
    ...(perProtocol ? { perProtocol } : {}),
    ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
    ...(input.MessageAttributes && Object.keys(input.MessageAttributes).length ? { attributes: input.MessageAttributes } : {}),
    ...(input.MessageGroupId ? { groupId: input.MessageGroupId } : {}),
    ...(topic.fifo ? { deduplicationId, sequenceNumber: store.nextSequenceNumber() } : {}),
    timestamp: new Date(store.clock.now()).toISOString(),
  };
}

/**
 * FIFO: a duplicate within five minutes answers the first publish's ids and is not
 * delivered again; within the topic, or within its message group when the topic's
 * FifoThroughputScope is MessageGroup (Publish API reference, MessageDeduplicationId).
 */
export function acceptOnce(store: SnsStore, msg: PublishedMessage): { duplicate: boolean; MessageId: string; SequenceNumber?: string } {
  if (!msg.topic.fifo || !msg.deduplicationId) return { duplicate: false, MessageId: msg.messageId };
  const key = msg.topic.attributes.FifoThroughputScope === "MessageGroup" ? `${msg.groupId}\n${msg.deduplicationId}` : msg.deduplicationId;
  const earlier = store.duplicateOf(msg.topic.arn, key);
  if (earlier) return { duplicate: true, MessageId: earlier.messageId, SequenceNumber: earlier.sequenceNumber };
  store.remember(msg.topic.arn, key, msg.messageId, msg.sequenceNumber!, SnsLimits.deduplicationWindowMs);
  return { duplicate: false, MessageId: msg.messageId, SequenceNumber: msg.sequenceNumber };
}

export const newMessageId = randomUUID;
