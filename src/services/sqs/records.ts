// What SQS keeps, as persisted: queues as documents, messages as rows of the
// sqs_messages table (see store.ts). Binary attribute values are base64 here.

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

export interface MessageRecord {
  id: string;
  /** Enqueue order in its queue; also the FIFO SequenceNumber's source. */
  seq: number;
  body: string;
  md5OfBody: string;
  attributes?: Record<string, StoredAttribute>;
  md5OfAttributes?: string;
  systemAttributes?: Record<string, StoredAttribute>;
  md5OfSystemAttributes?: string;
  senderId: string;
  sentAt: number;
  /** Hidden until then: delayed (never received) or in flight (received). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  lastReceivedAt?: number;
  /** The current receipt's nonce: older receipt handles no longer change visibility. */
  receipt?: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
}
