import { MinHeap } from "./heap.js";
import type { QueuedMessage } from "./records.js";

// A FIFO queue's message groups (queue.ts): each group's messages in enqueue order,
// and a min-heap of the groups whose first message is visible, by that message's seq.
// A group whose first message is hidden (delayed or in flight) is blocked: SQS hands
// out a group's messages in order, never one while an earlier one is in flight.
//
// Removed messages stay in a group's list until its start moves past them: a message
// is live while the queue's `messages` Map still holds it (the one source of truth).
// Ready-heap entries carry the head's seq, so entries left behind are skipped.

export interface MessageGroup {
  id: string;
  /** In enqueue order, from `start` on (the entries before it are gone). */
  messages: QueuedMessage[];
  start: number;
}

export class MessageGroups {
  private readonly groups = new Map<string, MessageGroup>();
  private readonly ready = new MinHeap<MessageGroup>();

  /** `messages`: the queue's live messages, by seq. */
  constructor(private readonly messages: ReadonlyMap<number, QueuedMessage>) {}

  /** Appends a message to its group (call in enqueue order). */
  add(message: QueuedMessage): void {
    const id = message.groupId ?? "";
    let group = this.groups.get(id);
    if (!group) this.groups.set(id, (group = { id, messages: [], start: 0 }));
    // One string per group, not one per message.
    if (message.groupId !== undefined) message.groupId = group.id;
    group.messages.push(message);
  }

  /** Is `message` its group's first live message? */
  isHead(message: QueuedMessage): boolean {
    const group = this.groups.get(message.groupId ?? "");
    return group !== undefined && this.head(group) === message;
  }

  /**
   * After a change in a group: indexes it as ready if its first message is visible
   * (true: a long poll may now receive), forgets it if it has no message left.
   */
  changed(id: string): boolean {
    const group = this.groups.get(id);
    if (!group) return false;
    const head = this.head(group);
    if (!head) {
      this.groups.delete(id);
      return false;
    }
    if (head.hidden) return false;
    this.ready.push(head.seq, 0, group);
    return true;
  }

  /**
   * The ready group with the oldest first message that `served` does not hold yet
   * (added to it), skipping stale entries; undefined when none is left.
   */
  nextReady(served: Set<MessageGroup>): MessageGroup | undefined {
    for (;;) {
      const entry = this.ready.pop();
      if (!entry) return undefined;
      const group = entry.value;
      if (served.has(group)) continue;
      const head = this.head(group);
      if (!head || head.seq !== entry.key || head.hidden) continue;
      served.add(group);
      return group;
    }
  }

  clear(): void {
    this.groups.clear();
    this.ready.clear();
  }

  /** The group's first live message (drops the gone ones before it). */
  private head(group: MessageGroup): QueuedMessage | undefined {
    const list = group.messages;
    while (group.start < list.length && this.messages.get(list[group.start].seq) !== list[group.start]) group.start++;
    if (group.start > 64 && group.start * 2 > list.length) {
      list.splice(0, group.start);
      group.start = 0;
    }
    return list[group.start];
  }
}
