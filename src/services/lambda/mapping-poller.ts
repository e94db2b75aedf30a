import type { Logger } from "../../platform/logger.js";
import { parsePattern, type Pattern } from "../../engines/event-patterns/index.js";
import type { EventSourceMappingRecord } from "./event-source-records.js";
import type { LambdaStore } from "./store.js";

// What every event source mapping's poller shares: its schedule (real time, as
// Lambda's pollers run; unref'd so they never hold the process), stopping when the
// mapping is gone or disabled, and the parsed FilterCriteria, cached per mapping.

export abstract class MappingPoller {
  protected stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private filters: { source: string; patterns: Pattern[] } | undefined;

  constructor(
    protected readonly store: LambdaStore,
    readonly uuid: string,
    protected readonly logger: Logger | undefined,
  ) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  protected abstract poll(): Promise<void>;

  protected schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  /** The mapping while it is enabled; undefined (and the poller stops) otherwise. */
  protected mapping(): EventSourceMappingRecord | undefined {
    const mapping = this.store.mappings.get(this.uuid);
    if (!mapping || !mapping.Enabled || this.store.runtime.stopped) {
      this.stop();
      return undefined;
    }
    return mapping;
  }

  protected patterns(mapping: EventSourceMappingRecord): Pattern[] {
    const source = JSON.stringify(mapping.FilterCriteria ?? {});
    if (this.filters?.source !== source) {
      const patterns = (mapping.FilterCriteria?.Filters ?? []).flatMap((f) => (f.Pattern ? [parsePattern(f.Pattern, { dialect: "eventbridge" })] : []));
      this.filters = { source, patterns };
    }
    return this.filters.patterns;
  }
}
