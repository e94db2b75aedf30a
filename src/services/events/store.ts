import type { Clock, TimerHandle } from "../../platform/clock.js";
import type { Collection } from "../../storage/documents.js";
import type { Invoke, StoreScope } from "../service.js";
import type { Pattern } from "../../engines/event-patterns/index.js";
import { apiDestinationNotFound, busNotFound, connectionNotFound, ruleNotFound } from "./errors.js";
import { compileStored } from "./pattern.js";
import type { ApiDestinationRecord, ArchiveRecord, ArchivedEvent, BusRecord, ConnectionRecord, ReplayRecord, RuleRecord } from "./records.js";

// One account and region's event buses, rules (with their targets), archives and
// replays (documents, cached in memory), with what PutEvents needs at hand: each
// bus's enabled pattern rules with compiled patterns, and the scheduled rules' timers.

export interface CompiledRule {
  rule: RuleRecord;
  pattern: Pattern;
}

export class EventsStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  readonly invoke: Invoke;
  private readonly buses: Collection<BusRecord>;
  private readonly rules: Collection<RuleRecord>;
  private readonly archives: Collection<ArchiveRecord>;
  private readonly replays: Collection<ReplayRecord>;
  private readonly archived: Collection<ArchivedEvent>;
  private readonly connections: Collection<ConnectionRecord>;
  private readonly apiDestinations: Collection<ApiDestinationRecord>;
  /** connection name -> its OAuth access token (in memory: tokens are short-lived). */
  readonly oauthTokens = new Map<string, { value: string; expiresAt: number }>();
  /** api destination name -> invocations in the current second (InvocationRateLimitPerSecond). */
  readonly invocationWindows = new Map<string, { second: number; count: number }>();
  /** bus name -> its enabled rules with an event pattern, compiled. */
  private readonly routing = new Map<string, CompiledRule[]>();
  /** archive name -> compiled pattern (null: every event of its bus). */
  private readonly archivePatterns = new Map<string, Pattern | null>();
  /** rule key -> its pending scheduled firing. */
  readonly timers = new Map<string, TimerHandle>();
  /** Set by the service's wiring: arms a scheduled rule's next firing. */
  armSchedule: (store: EventsStore, rule: RuleRecord, afterMs?: number) => void = () => {};

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.invoke = scope.invoke;
    const collection = <T>(kind: string) => scope.documents.collection<T>(scope.service, scope.account, scope.region, kind);
    this.buses = collection<BusRecord>("buses");
    this.rules = collection<RuleRecord>("rules");
    this.archives = collection<ArchiveRecord>("archives");
    this.replays = collection<ReplayRecord>("replays");
    this.archived = collection<ArchivedEvent>("archived-events");
    this.connections = collection<ConnectionRecord>("connections");
    this.apiDestinations = collection<ApiDestinationRecord>("api-destinations");
    if (!this.buses.has("default")) {
      const now = this.clock.now();
      this.buses.put("default", { name: "default", arn: this.busArn("default"), creationTime: now, lastModifiedTime: now, tags: {} });
    }
    for (const rule of this.rules.values()) this.reindex(rule.busName);
    for (const archive of this.archives.values()) this.archivePatterns.set(archive.name, archive.eventPattern ? (compileStored(archive.eventPattern) ?? null) : null);
  }

  /** Re-arms persisted scheduled rules (after a restart); called once the wiring is set. */
  armAll(): void {
    for (const rule of this.rules.values()) if (rule.scheduleExpression && rule.state !== "DISABLED") this.armSchedule(this, rule);
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`;
  }

  ruleArn(bus: string, name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:rule/${bus === "default" ? "" : `${bus}/`}${name}`;
  }

  /** A bus by name or ARN (EventBusName accepts either); "default" when absent. */
  busName(nameOrArn: string | undefined): string {
    if (!nameOrArn) return "default";
    if (nameOrArn.startsWith("arn:")) {
      const i = nameOrArn.indexOf(":event-bus/");
      return i < 0 ? nameOrArn : nameOrArn.slice(i + ":event-bus/".length);
    }
    return nameOrArn;
  }

  bus(name: string): BusRecord | undefined {
    return this.buses.get(name);
  }

  requireBus(nameOrArn: string | undefined): BusRecord {
    const name = this.busName(nameOrArn);
    const bus = this.buses.get(name);
    if (!bus) throw busNotFound(name);
    return bus;
  }

  allBuses(): BusRecord[] {
    return [...this.buses.values()];
  }

  saveBus(bus: BusRecord): void {
    this.buses.put(bus.name, bus);
  }

  deleteBus(name: string): void {
    for (const rule of this.rulesOf(name)) this.deleteRule(rule);
    this.buses.delete(name);
    this.routing.delete(name);
  }

  rule(bus: string, name: string): RuleRecord | undefined {
    return this.rules.get(`${bus}\n${name}`);
  }

  requireRule(busNameOrArn: string | undefined, name: string): RuleRecord {
    const bus = this.busName(busNameOrArn);
    const rule = this.rule(bus, name);
    if (!rule) throw ruleNotFound(name, bus);
    return rule;
  }

  rulesOf(bus: string): RuleRecord[] {
    return [...this.rules.values()].filter((r) => r.busName === bus).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  saveRule(rule: RuleRecord): void {
    const key = `${rule.busName}\n${rule.name}`;
    this.rules.put(key, rule);
    this.reindex(rule.busName);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    if (rule.scheduleExpression && rule.state !== "DISABLED") this.armSchedule(this, rule);
  }

  deleteRule(rule: RuleRecord): void {
    const key = `${rule.busName}\n${rule.name}`;
    this.rules.delete(key);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    this.reindex(rule.busName);
  }

  /** The enabled rules of a bus that have an event pattern. */
  routesOf(bus: string): CompiledRule[] {
    return this.routing.get(bus) ?? [];
  }

  private reindex(bus: string): void {
    const routes: CompiledRule[] = [];
    for (const rule of this.rulesOf(bus)) {
      if (rule.state === "DISABLED" || !rule.eventPattern) continue;
      const pattern = compileStored(rule.eventPattern);
      if (pattern) routes.push({ rule, pattern });
    }
    this.routing.set(bus, routes);
  }

  archive(name: string): ArchiveRecord | undefined {
    return this.archives.get(name);
  }

  allArchives(): ArchiveRecord[] {
    return [...this.archives.values()];
  }

  saveArchive(archive: ArchiveRecord): void {
    this.archives.put(archive.name, archive);
    this.archivePatterns.set(archive.name, archive.eventPattern ? (compileStored(archive.eventPattern) ?? null) : null);
  }

  deleteArchive(name: string): void {
    for (const e of this.eventsOf(name)) this.archived.delete(this.archivedKey(e));
    this.archives.delete(name);
    this.archivePatterns.delete(name);
  }

  /** The archives of a bus, with their compiled patterns (null: all events). */
  archivesOf(busArn: string): Array<{ archive: ArchiveRecord; pattern: Pattern | null }> {
    const out: Array<{ archive: ArchiveRecord; pattern: Pattern | null }> = [];
    for (const archive of this.archives.values()) {
      if (archive.sourceArn !== busArn || archive.state !== "ENABLED") continue;
      const pattern = this.archivePatterns.get(archive.name);
      if (pattern !== undefined) out.push({ archive, pattern });
    }
    return out;
  }

  keep(event: ArchivedEvent): void {
    this.archived.put(this.archivedKey(event), event);
  }

  private archivedKey(event: ArchivedEvent): string {
    return `${event.archive}\n${String(event.time).padStart(15, "0")}\n${event.event.id}`;
  }

  /** An archive's events still within its retention, oldest first. */
  eventsOf(name: string): ArchivedEvent[] {
    const archive = this.archives.get(name);
    const cutoff = archive && archive.retentionDays > 0 ? this.clock.now() - archive.retentionDays * 86_400_000 : -Infinity;
    const out: ArchivedEvent[] = [];
    for (const e of this.archived.values()) {
      if (e.archive !== name) continue;
      if ((e.archivedAt ?? e.time) < cutoff) {
        this.archived.delete(this.archivedKey(e));
        continue;
      }
      out.push(e);
    }
    return out.sort((a, b) => a.time - b.time);
  }

  replay(name: string): ReplayRecord | undefined {
    return this.replays.get(name);
  }

  allReplays(): ReplayRecord[] {
    return [...this.replays.values()];
  }

  saveReplay(replay: ReplayRecord): void {
    this.replays.put(replay.name, replay);
  }

  /** Which rules name a target ARN, on a bus. */
  rulesTargeting(bus: string, targetArn: string): RuleRecord[] {
    return this.rulesOf(bus).filter((r) => r.targets.some((t) => t.Arn === targetArn));
  }

  /** A bus or rule by ARN, for the tagging operations. */
  taggable(arn: string): BusRecord | RuleRecord | undefined {
    for (const bus of this.buses.values()) if (bus.arn === arn) return bus;
    for (const rule of this.rules.values()) if (rule.arn === arn) return rule;
    return undefined;
  }

  saveTaggable(resource: BusRecord | RuleRecord): void {
    if ("busName" in resource) this.rules.put(`${resource.busName}\n${resource.name}`, resource);
    else this.buses.put(resource.name, resource);
  }

  connection(name: string): ConnectionRecord | undefined {
    return this.connections.get(name);
  }

  requireConnection(name: string): ConnectionRecord {
    const connection = this.connections.get(name);
    if (!connection) throw connectionNotFound(name);
    return connection;
  }

  /** A connection by its ARN (arn:...:connection/<name>/<uuid>), in this account and region. */
  connectionByArn(arn: string): ConnectionRecord | undefined {
    const name = /:connection\/([^/]+)\//.exec(arn)?.[1];
    const connection = name === undefined ? undefined : this.connections.get(name);
    return connection?.arn === arn ? connection : undefined;
  }

  allConnections(): ConnectionRecord[] {
    return [...this.connections.values()];
  }

  saveConnection(connection: ConnectionRecord): void {
    this.connections.put(connection.name, connection);
  }

  deleteConnection(name: string): void {
    this.connections.delete(name);
    this.oauthTokens.delete(name);
  }

  apiDestination(name: string): ApiDestinationRecord | undefined {
    return this.apiDestinations.get(name);
  }

  requireApiDestination(name: string): ApiDestinationRecord {
    const destination = this.apiDestinations.get(name);
    if (!destination) throw apiDestinationNotFound(name);
    return destination;
  }

  apiDestinationByArn(arn: string): ApiDestinationRecord | undefined {
    const name = /:api-destination\/([^/]+)\//.exec(arn)?.[1];
    const destination = name === undefined ? undefined : this.apiDestinations.get(name);
    return destination?.arn === arn ? destination : undefined;
  }

  allApiDestinations(): ApiDestinationRecord[] {
    return [...this.apiDestinations.values()];
  }

  saveApiDestination(destination: ApiDestinationRecord): void {
    this.apiDestinations.put(destination.name, destination);
  }

  deleteApiDestination(name: string): void {
    this.apiDestinations.delete(name);
    this.invocationWindows.delete(name);
  }
}
