import type { LoadedMessage, MessageStorage } from "./message-storage.js";
import type { MessageRecord, QueuedMessage, SentMessage } from "./records.js";

// Messages' content when nothing outlives the process (no --data-dir): the record a
// send made, kept as it is. Rows in an in-memory SQLite database cost a send an insert
// and a JSON document, and a receive a select and a parse, to keep bytes that memory
// holds no longer than this map would (a third of a SendMessage's server CPU).
// Records are never changed after the send; a move to another queue copies them.

export class HeldMessages implements MessageStorage {
  private readonly queues = new Map<string, Map<number, SentMessage>>();

  loadAll(): Iterable<LoadedMessage> {
    return [];
  }

  save(queue: string, m: MessageRecord): void {
    let messages = this.queues.get(queue);
    if (!messages) this.queues.set(queue, (messages = new Map()));
    messages.set(m.seq, m);
  }

  read(queue: string, messages: readonly QueuedMessage[]): (SentMessage | undefined)[] {
    const held = this.queues.get(queue);
    return messages.map((m) => held?.get(m.seq));
  }

  saveState(): void {}

  drop(queue: string, m: QueuedMessage): void {
    this.queues.get(queue)?.delete(m.seq);
  }

  dropQueue(queue: string): void {
    this.queues.delete(queue);
  }

  batched<T>(fn: () => T): T {
    return fn();
  }
}
