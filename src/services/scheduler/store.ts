import type { Clock, TimerHandle } from "../../platform/clock.js";
import type { Collection } from "../../storage/documents.js";
import type { Invoke, StoreScope } from "../service.js";
import { groupNotFound, scheduleNotFound } from "./errors.js";
import type { GroupRecord, ScheduleRecord } from "./records.js";

// One account and region's schedule groups and schedules (documents, cached in
// memory), and each enabled schedule's pending firing on the shared clock.

export class SchedulerStore {
  readonly account: string;
  readonly region: string;
  readonly clock: Clock;
  readonly invoke: Invoke;
  private readonly groups: Collection<GroupRecord>;
  private readonly schedules: Collection<ScheduleRecord>;
  private readonly timers = new Map<string, TimerHandle>();
  /** Set by the service's wiring (firing.ts): arms a schedule's next firing. */
  arm: (store: SchedulerStore, schedule: ScheduleRecord) => TimerHandle | undefined = () => undefined;

  constructor(scope: StoreScope) {
    this.account = scope.account;
    this.region = scope.region;
    this.clock = scope.clock;
    this.invoke = scope.invoke;
    this.groups = scope.documents.collection<GroupRecord>(scope.service, scope.account, scope.region, "groups");
    this.schedules = scope.documents.collection<ScheduleRecord>(scope.service, scope.account, scope.region, "schedules");
    if (!this.groups.has("default")) {
      const now = this.clock.now();
      this.groups.put("default", { name: "default", arn: this.groupArn("default"), state: "ACTIVE", creationDate: now, lastModificationDate: now, tags: {} });
    }
  }

  /** Re-arms persisted schedules (after a restart); called once the wiring is set. */
  armAll(): void {
    for (const s of this.schedules.values()) this.rearm(s);
  }

  groupArn(name: string): string {
    return `arn:aws:scheduler:${this.region}:${this.account}:schedule-group/${name}`;
  }

  scheduleArn(group: string, name: string): string {
    return `arn:aws:scheduler:${this.region}:${this.account}:schedule/${group}/${name}`;
  }

  group(name: string): GroupRecord | undefined {
    return this.groups.get(name);
  }

  requireGroup(name: string | undefined): GroupRecord {
    const group = this.groups.get(name ?? "default");
    if (!group) throw groupNotFound(name ?? "default");
    return group;
  }

  allGroups(): GroupRecord[] {
    return this.groups.values();
  }

  saveGroup(group: GroupRecord): void {
    this.groups.put(group.name, group);
  }

  deleteGroup(name: string): void {
    for (const s of this.schedulesOf(name)) this.deleteSchedule(s);
    this.groups.delete(name);
  }

  schedule(group: string, name: string): ScheduleRecord | undefined {
    return this.schedules.get(`${group}\n${name}`);
  }

  requireSchedule(group: string | undefined, name: string): ScheduleRecord {
    const g = this.requireGroup(group);
    const schedule = this.schedule(g.name, name);
    if (!schedule) throw scheduleNotFound(name);
    return schedule;
  }

  schedulesOf(group: string | undefined): ScheduleRecord[] {
    return this.schedules.values().filter((s) => group === undefined || s.groupName === group);
  }

  saveSchedule(schedule: ScheduleRecord): void {
    this.schedules.put(`${schedule.groupName}\n${schedule.name}`, schedule);
    this.rearm(schedule);
  }

  deleteSchedule(schedule: ScheduleRecord): void {
    const key = `${schedule.groupName}\n${schedule.name}`;
    this.schedules.delete(key);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  /** Whether this exact record is still the stored schedule (not deleted or replaced). */
  isCurrent(schedule: ScheduleRecord): boolean {
    return this.schedule(schedule.groupName, schedule.name) === schedule;
  }

  setTimer(schedule: ScheduleRecord, timer: TimerHandle | undefined): void {
    const key = `${schedule.groupName}\n${schedule.name}`;
    this.timers.get(key)?.cancel();
    if (timer) this.timers.set(key, timer);
    else this.timers.delete(key);
  }

  private rearm(schedule: ScheduleRecord): void {
    this.setTimer(schedule, schedule.state === "ENABLED" ? this.arm(this, schedule) : undefined);
  }
}
