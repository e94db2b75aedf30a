import type { Dedup } from "./deduplication.js";
import type { Queue } from "./queue.js";
import type { MessageRecord, QueuedMessage, SentMessage } from "./records.js";

// What a Queue asks of its store (store.ts): persistence, called for every change
// before the change is acknowledged, and the way to other queues (dead-letter moves).

export interface QueueHooks {
  /** A new message (its whole record). */
  save(queue: Queue, message: MessageRecord): void;
  /** The messages' content, as saved, in the order given (undefined: not saved after all). */
  read(queue: Queue, messages: readonly QueuedMessage[]): (SentMessage | undefined)[];
  /** A receive or visibility change: only the fields that change with it. */
  saveState(queue: Queue, message: QueuedMessage): void;
  drop(queue: Queue, message: QueuedMessage): void;
  dropAll(queue: Queue): void;
  nextSeq(): number;
  saveDedup(queue: Queue, key: string, entry: Dedup): void;
  /** The earlier send a deduplication key names, as saved. */
  readDedup(queue: Queue, key: string): Dedup | undefined;
  /** The dead-letter queue a message moves to after maxReceiveCount receives. */
  deadLetterQueue(arn: string): Queue | undefined;
}
