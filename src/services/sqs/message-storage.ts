import type { MessageRecord, QueuedMessage, SentMessage } from "./records.js";

// Where a store keeps its messages' content: SQLite rows when a data directory makes
// them outlive the process (message-rows.ts), memory otherwise (held-messages.ts).

/** A persisted message as memory keeps it, with its SentTimestamp (for retention). */
export interface LoadedMessage {
  queue: string;
  message: QueuedMessage;
  sentAt: number;
}

export interface MessageStorage {
  /** Every message kept from an earlier run, each queue's in enqueue order. */
  loadAll(): Iterable<LoadedMessage>;
  save(queue: string, m: MessageRecord): void;
  /** The messages' content, in the order given (undefined: not kept, its write rolled back). */
  read(queue: string, messages: readonly QueuedMessage[]): (SentMessage | undefined)[];
  /** A receive or visibility change of a message. */
  saveState(queue: string, m: QueuedMessage): void;
  drop(queue: string, m: QueuedMessage): void;
  dropQueue(queue: string): void;
  /** Runs `fn` (inside the caller's transaction), writing its changes when it returns. */
  batched<T>(fn: () => T): T;
}
