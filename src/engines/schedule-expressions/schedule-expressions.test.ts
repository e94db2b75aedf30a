import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromLocal, nextCron, parseCron, parseRate, parseScheduleExpression, toLocal, validTimeZone } from "./index.js";

// AWS's schedule expressions ("Schedule expressions for rules" in the EventBridge user
// guide, "Schedule types" in the Scheduler user guide), and the Scheduler's daylight
// saving rules: "When the time shifts forward in Spring, your schedule invocation gets
// skipped if the cron expression falls on a non-existent date and time. When the time
// shifts back in the Fall, your schedule runs only once".

const utc = (text: string) => Date.parse(`${text}Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

function next(expression: string, after: string, zone = "UTC"): string {
  const cron = parseCron(expression);
  assert.ok(cron, expression);
  const ms = nextCron(cron, utc(after), zone);
  assert.ok(ms !== undefined);
  return iso(ms);
}

describe("schedule expressions", () => {
  it("reads rate() with the singular unit for 1 and the plural for more", () => {
    assert.equal(parseRate("1 minute"), 60_000);
    assert.equal(parseRate("5 minutes"), 300_000);
    assert.equal(parseRate("1 hour"), 3_600_000);
    assert.equal(parseRate("2 days"), 172_800_000);
    for (const bad of ["1 minutes", "5 minute", "0 minutes", "-1 minutes", "1 fortnight", "x minutes"]) assert.equal(parseRate(bad), undefined, bad);
  });

  it("refuses cron() without exactly one ? in day-of-month and day-of-week, or with bad fields", () => {
    for (const bad of ["0 12 * * * *", "0 12 ? * ? *", "0 12 * *", "60 12 * * ? *", "0 24 * * ? *", "0 12 32 * ? *", "0 12 ? * 8 *", "0 12 * 13 ? *", "0 12 * * ? 1969"]) {
      assert.equal(parseCron(bad), undefined, bad);
    }
    assert.ok(parseScheduleExpression("at(2030-01-01T00:00:00)", true));
    assert.equal(parseScheduleExpression("at(2030-01-01T00:00:00)", false), undefined, "rules take no at()");
    assert.equal(parseScheduleExpression("at(2030-02-30T00:00:00)", true), undefined);
  });

  it("finds the next time of the user guide's examples", () => {
    assert.equal(next("0 10 * * ? *", "2024-01-01T10:00"), "2024-01-02T10:00", "10:00 UTC every day, strictly after");
    assert.equal(next("15 12 * * ? *", "2024-01-01T00:00"), "2024-01-01T12:15");
    assert.equal(next("0 18 ? * MON-FRI *", "2024-01-05T18:00"), "2024-01-08T18:00", "Friday evening to Monday");
    assert.equal(next("0 8 1 * ? *", "2024-01-15T00:00"), "2024-02-01T08:00");
    assert.equal(next("0/15 * * * ? *", "2024-01-01T00:07"), "2024-01-01T00:15");
    assert.equal(next("0/10 * ? * MON-FRI *", "2024-01-06T12:00"), "2024-01-08T00:00");
    assert.equal(next("5,35 14 * * ? *", "2024-01-01T14:05"), "2024-01-01T14:35");
    assert.equal(next("15 10 ? * 6L 2002-2005", "2002-01-01T00:00"), "2002-01-25T10:15", "last Friday of the month");
    assert.equal(next("0 12 L * ? *", "2024-02-01T00:00"), "2024-02-29T12:00", "last day of a leap February");
    assert.equal(next("0 12 15W * ? *", "2024-06-01T00:00"), "2024-06-14T12:00", "15 June 2024 is a Saturday");
    assert.equal(next("0 12 ? * 3#2 *", "2024-01-01T00:00"), "2024-01-09T12:00", "second Tuesday");
  });

  it("evaluates cron() in a time zone, skipping a wall time that does not exist and running a repeated one once", () => {
    assert.ok(validTimeZone("America/New_York") && !validTimeZone("Mars/Olympus"));
    assert.equal(next("0 9 * * ? *", "2024-01-01T00:00", "America/New_York"), "2024-01-01T14:00");
    // 10 March 2024: New York's clocks go from 02:00 to 03:00, so 02:30 does not exist that day.
    assert.equal(next("30 2 * * ? *", "2024-03-09T08:00", "America/New_York"), "2024-03-11T06:30");
    // 3 November 2024: 01:30 happens twice; the schedule runs once.
    const first = nextCron(parseCron("30 1 * * ? *")!, utc("2024-11-03T00:00"), "America/New_York")!;
    const second = nextCron(parseCron("30 1 * * ? *")!, first, "America/New_York")!;
    assert.equal(iso(second), "2024-11-04T06:30");
    assert.deepEqual(toLocal(first, "America/New_York").hour, 1);
    assert.equal(fromLocal({ year: 2024, month: 7, day: 1, hour: 12, minute: 0, second: 0 }, "Europe/Paris"), utc("2024-07-01T10:00"));
  });
});
