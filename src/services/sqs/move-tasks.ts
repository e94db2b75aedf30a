import { randomUUID } from "node:crypto";
import type { Clock, TimerHandle } from "../../platform/clock.js";
import type { Collection } from "../../storage/documents.js";
import type { Queue } from "./queue.js";

// Message move tasks (StartMessageMoveTask): a dead-letter queue's messages moved back
// to the queues they came from (each message's DeadLetterQueueSourceArn), or to one
// destination, at MaxNumberOfMessagesPerSecond on Terrarium's clock: one batch per
// second of clock time, so advancing the clock runs a task. Tasks are documents, and
// a running one resumes after a restart.

export type MoveTaskStatus = "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";

export interface MoveTaskRecord {
  taskId: string;
  handle: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
}

/** Without MaxNumberOfMessagesPerSecond, AWS picks a "system-optimized velocity"; its ceiling is 500/s. */
export const DEFAULT_MOVES_PER_SECOND = 500;

export interface MoveTaskHost {
  clock: Clock;
  byArn(arn: string): Queue | undefined;
  atomically<T>(fn: () => T): T;
}

export class MoveTasks {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly docs: Collection<MoveTaskRecord>,
    private readonly host: MoveTaskHost,
  ) {
    for (const task of docs.values()) if (task.status === "RUNNING") this.schedule(task);
  }

  /** Tasks of a source queue, newest first. */
  ofSource(sourceArn: string): MoveTaskRecord[] {
    return [...this.docs.values()].filter((t) => t.sourceArn === sourceArn).sort((a, b) => b.startedAt - a.startedAt || (a.taskId < b.taskId ? 1 : -1));
  }

  running(sourceArn: string): MoveTaskRecord | undefined {
    return this.ofSource(sourceArn).find((t) => t.status === "RUNNING");
  }

  byHandle(handle: string): MoveTaskRecord | undefined {
    for (const t of this.docs.values()) if (t.handle === handle) return t;
    return undefined;
  }

  start(source: Queue, destinationArn: string | undefined, maxPerSecond: number | undefined): MoveTaskRecord {
    const taskId = randomUUID();
    // AWS's handles are opaque base64 naming the task and its source queue.
    const handle = Buffer.from(JSON.stringify({ taskId, sourceArn: source.arn })).toString("base64");
    const task: MoveTaskRecord = {
      taskId, handle, sourceArn: source.arn, ...(destinationArn ? { destinationArn } : {}), ...(maxPerSecond ? { maxPerSecond } : {}),
      status: "RUNNING", moved: 0, toMove: source.counts().visible + source.counts().delayed, startedAt: this.host.clock.now(),
    };
    this.docs.put(taskId, task);
    this.schedule(task);
    return task;
  }

  cancel(task: MoveTaskRecord): void {
    task.status = "CANCELLED";
    this.timers.get(task.taskId)?.cancel();
    this.timers.delete(task.taskId);
    this.docs.put(task.taskId, task);
  }

  /** Deleting a queue ends the tasks moving out of it. */
  dropSource(sourceArn: string): void {
    for (const task of this.ofSource(sourceArn)) {
      this.timers.get(task.taskId)?.cancel();
      this.timers.delete(task.taskId);
      this.docs.delete(task.taskId);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** The next batch one second after the last one was due (not after it ran: advancing the clock
   *  by N seconds runs N batches). */
  private schedule(task: MoveTaskRecord, lastDue = this.host.clock.now()): void {
    const due = lastDue + 1000;
    this.timers.set(task.taskId, this.host.clock.at(due, () => this.tick(task.taskId, due)));
  }

  /** One second's batch. */
  private tick(taskId: string, due: number): void {
    this.timers.delete(taskId);
    const task = this.docs.get(taskId);
    if (!task || task.status !== "RUNNING") return;
    const source = this.host.byArn(task.sourceArn);
    if (!source) return this.finish(task, "FAILED", "AWS.SimpleQueueService.NonExistentQueue");
    const budget = task.maxPerSecond ?? DEFAULT_MOVES_PER_SECOND;
    const failure = this.host.atomically(() => {
      for (let i = 0; i < budget && task.moved < task.toMove; i++) {
        const m = source.nextMovable();
        if (!m) break;
        const targetArn = task.destinationArn ?? m.deadLetterSourceArn;
        const target = targetArn ? this.host.byArn(targetArn) : undefined;
        if (!target) return "AWS.SimpleQueueService.NonExistentQueue";
        source.moveTo(m, target, false);
        task.moved++;
      }
      return undefined;
    });
    if (failure) return this.finish(task, "FAILED", failure);
    if (task.moved >= task.toMove || !source.nextMovable()) return this.finish(task, "COMPLETED");
    this.docs.put(task.taskId, task);
    this.schedule(task, due);
  }

  private finish(task: MoveTaskRecord, status: MoveTaskStatus, failureReason?: string): void {
    task.status = status;
    if (failureReason) task.failureReason = failureReason;
    this.docs.put(task.taskId, task);
  }
}
