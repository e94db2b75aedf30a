import type { Logger } from "../../platform/logger.js";
import type { LogEvent } from "../../runtime/types.js";
import type { Invoke } from "../service.js";

// Delivers every line a function writes (and the platform's START/END/REPORT lines)
// to CloudWatch Logs, as Lambda does: group /aws/lambda/<name>, one stream per
// worker. Lines are gathered for FLUSH_MS and sent as one PutLogEvents per stream
// through ctx.invoke, so a warm invoke costs no Logs call of its own. The group and
// stream are created on first use (again if someone deleted them).

const FLUSH_MS = 25;
/** PutLogEvents takes at most 10,000 events and 1 MB; stay well under both. */
const MAX_BATCH_EVENTS = 5_000;
const MAX_BATCH_BYTES = 512 * 1024;

interface Batch {
  account: string;
  region: string;
  group: string;
  stream: string;
  events: { timestamp: number; message: string }[];
}

export class LogDelivery {
  private pending = new Map<string, Batch>();
  private timer: NodeJS.Timeout | undefined;
  private readonly created = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly invoke: Invoke,
    private readonly logger: Logger | undefined,
  ) {}

  add(event: LogEvent): void {
    if (this.stopped || event.message === "") return;
    const account = event.account ?? "000000000000";
    const region = event.region ?? "us-east-1";
    const key = `${account}\n${region}\n${event.logGroupName}\n${event.logStreamName}`;
    let batch = this.pending.get(key);
    if (!batch) {
      batch = { account, region, group: event.logGroupName, stream: event.logStreamName, events: [] };
      this.pending.set(key, batch);
    }
    batch.events.push({ timestamp: event.timestamp, message: event.message });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Sends what is pending; resolves once it is in CloudWatch Logs. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.flushing.then(async () => {
      for (const batch of batches) {
        try {
          await this.send(batch);
        } catch (error) {
          this.logger?.warn("lambda log delivery failed", { group: batch.group, message: (error as Error).message });
        }
      }
    });
    return this.flushing;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  /** After a reset: the groups and streams are gone with the Logs state. */
  forget(): void {
    this.created.clear();
    this.pending.clear();
  }

  private async send(batch: Batch): Promise<void> {
    for (const chunk of chunks(batch.events)) {
      await this.ensureStream(batch);
      try {
        await this.put(batch, chunk);
      } catch (error) {
        if ((error as { code?: string }).code !== "ResourceNotFoundException") throw error;
        this.created.delete(streamKey(batch));
        await this.ensureStream(batch);
        await this.put(batch, chunk);
      }
    }
  }

  private put(batch: Batch, events: Batch["events"]): Promise<unknown> {
    const scope = { account: batch.account, region: batch.region };
    return this.invoke("logs", "PutLogEvents", { logGroupName: batch.group, logStreamName: batch.stream, logEvents: events }, scope);
  }

  private async ensureStream(batch: Batch): Promise<void> {
    const key = streamKey(batch);
    if (this.created.has(key)) return;
    const scope = { account: batch.account, region: batch.region };
    await ignoreExists(this.invoke("logs", "CreateLogGroup", { logGroupName: batch.group }, scope));
    await ignoreExists(this.invoke("logs", "CreateLogStream", { logGroupName: batch.group, logStreamName: batch.stream }, scope));
    this.created.add(key);
  }
}

function streamKey(batch: Batch): string {
  return `${batch.account}\n${batch.region}\n${batch.group}\n${batch.stream}`;
}

async function ignoreExists(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if ((error as { code?: string }).code !== "ResourceAlreadyExistsException") throw error;
  }
}

function* chunks(events: Batch["events"]): Generator<Batch["events"]> {
  let start = 0;
  while (start < events.length) {
    let bytes = 0;
    let end = start;
    while (end < events.length && end - start < MAX_BATCH_EVENTS) {
      bytes += Buffer.byteLength(events[end].message) + 26;
      if (bytes > MAX_BATCH_BYTES && end > start) break;
      end++;
    }
    yield events.slice(start, end);
    start = end;
  }
}
