import { fireScheduledRule } from "./delivery.js";
import { nextCron, parseScheduleExpression } from "../../engines/schedule-expressions/index.js";
import { validation } from "./errors.js";
import type { RuleRecord } from "./records.js";
import type { EventsStore } from "./store.js";

// Scheduled rules on the shared clock: rate(n unit) fires every period from the
// rule's (re)arming, cron(...) at each time it names in UTC. Each firing arms the
// next from its own due time, so advancing the clock by a day fires a day's worth.

export function validateScheduleExpression(text: string): void {
  if (!parseScheduleExpression(text, false)) throw validation("Parameter ScheduleExpression is not valid.");
}

export function armSchedule(store: EventsStore, rule: RuleRecord, afterMs = store.clock.now()): void {
  const parsed = rule.scheduleExpression ? parseScheduleExpression(rule.scheduleExpression, false) : undefined;
  if (!parsed || parsed.kind === "at") return;
  const due = parsed.kind === "rate" ? afterMs + parsed.periodMs : nextCron(parsed.cron, afterMs);
  if (due === undefined) return;
  const key = `${rule.busName}\n${rule.name}`;
  const expression = rule.scheduleExpression;
  store.timers.set(key, store.clock.at(due, () => {
    store.timers.delete(key);
    const current = store.rule(rule.busName, rule.name);
    if (!current || current.state === "DISABLED" || current.scheduleExpression !== expression) return;
    void fireScheduledRule(store, current, due).catch(() => undefined);
    armSchedule(store, current, due);
  }));
}
