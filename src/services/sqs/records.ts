// What SQS keeps: queues as documents, messages as rows of its messages table
// (see store.ts) with a small entry per message in memory. Binary attribute values
// are base64 here.

export interface QueueRecord {
  name: string;
  account: string;
  region: string;
  arn: string;
  fifo: boolean;
  /** Settable attributes, as strings (queue-attributes.ts). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  lastModifiedAt: number;
  lastPurgeAt?: number;
}

export interface StoredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
  StringListValues?: string[];
  BinaryListValues?: string[];
}

/** A message as sent: what ReceiveMessage returns of it, never changed after the send.
 *  Kept in SQLite only (see store.ts), read back when a receive returns the message. */
export interface SentMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes?: Record<string, StoredAttribute>;
  md5OfAttributes?: string;
  systemAttributes?: Record<string, StoredAttribute>;
  md5OfSystemAttributes?: string;
  senderId: string;
  sentAt: number;
  deduplicationId?: string;
  sequenceNumber?: string;
}

/**
 * What a queue keeps in memory per message (queue.ts): its place and its state, a
 * hundred-odd bytes whatever its size, so a queue of millions fits in memory.
 */
export interface QueuedMessage {
  /** Enqueue order in its queue, the message's key in memory and in SQLite; also the FIFO SequenceNumber's source. */
  seq: number;
  /** Hidden until then: delayed (never received) or in flight (received). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  lastReceivedAt: number | undefined;
  /** The current receive's nonce: older receipt handles no longer change visibility. */
  receipt: string | undefined;
  groupId: string | undefined;
  /** Set in a dead-letter queue: where the message came from (the move tasks send it back). */
  deadLetterSourceArn: string | undefined;
  /** Bumped by every transition: index entries of an older version are stale. */
  ver: number;
  hidden: boolean;
}

/** A whole message, as a send makes it and a move to another queue copies it. */
export type MessageRecord = SentMessage & Pick<QueuedMessage, "seq" | "visibleAt" | "groupId" | "deadLetterSourceArn">;

/** The in-memory entry of a message, with every field present (one object shape). */
export function queuedMessage(m: Pick<MessageRecord, "seq" | "visibleAt" | "groupId" | "deadLetterSourceArn">): QueuedMessage {
  return {
    seq: m.seq, visibleAt: m.visibleAt, receiveCount: 0, firstReceivedAt: undefined, lastReceivedAt: undefined,
    receipt: undefined, groupId: m.groupId, deadLetterSourceArn: m.deadLetterSourceArn, ver: 0, hidden: false,
  };
}
