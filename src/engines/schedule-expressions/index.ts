// AWS's schedule expressions, shared in shape by EventBridge rules and EventBridge
// Scheduler: rate(value unit) and cron(minutes hours day-of-month month day-of-week
// year), as "Schedule expressions for rules" documents them: six fields, `?` in one of
// day-of-month / day-of-week, `L` (last day of month; `5L` last Thursday), `W` (nearest
// weekday; `LW`), `#` (`3#2`, second Tuesday), names JAN-DEC and SUN-SAT (SUN = 1).
// Cron times are wall-clock times in a time zone (UTC for rules); Intl gives offsets.
// Pure functions with no state, used by both services.

export interface CronExpression {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number> | "*";
  dayOfMonth: DayOfMonth;
  dayOfWeek: DayOfWeek;
}

type DayOfMonth = { kind: "any" } | { kind: "set"; days: Set<number> } | { kind: "last"; offset: number } | { kind: "weekday"; day: number } | { kind: "last-weekday" };
type DayOfWeek = { kind: "any" } | { kind: "set"; days: Set<number> } | { kind: "last"; day: number } | { kind: "nth"; day: number; nth: number };

export type ScheduleExpression =
  | { kind: "rate"; periodMs: number }
  | { kind: "cron"; cron: CronExpression }
  | { kind: "at"; local: LocalTime };

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** rate(1 minute), rate(5 minutes), rate(1 hour), rate(2 days)... Undefined when not valid.
 *  AWS wants the singular unit for 1 and the plural for more. */
export function parseRate(body: string): number | undefined {
  const m = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
  if (!m) return undefined;
  const value = Number(m[1]);
  if (value < 1) return undefined;
  const unit = m[2];
  if ((value === 1) !== !unit.endsWith("s")) return undefined;
  const base = unit.startsWith("minute") ? 60_000 : unit.startsWith("hour") ? 3_600_000 : 86_400_000;
  return value * base;
}

/** The six fields of cron(...); undefined when not valid. */
export function parseCron(body: string): CronExpression | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const [min, hour, dom, mon, dow, year] = fields;
  try {
    const minutes = parseSet(min, 0, 59);
    const hours = parseSet(hour, 0, 23);
    const months = parseSet(mon, 1, 12, MONTHS, 1);
    const years = year === "*" ? ("*" as const) : parseSet(year, 1970, 2199);
    // Exactly one of day-of-month and day-of-week is `?`.
    if ((dom === "?") === (dow === "?")) return undefined;
    const dayOfMonth = parseDayOfMonth(dom);
    const dayOfWeek = parseDayOfWeek(dow);
    if (!minutes || !hours || !months || !years || !dayOfMonth || !dayOfWeek) return undefined;
    return { minutes, hours, months, years, dayOfMonth, dayOfWeek };
  } catch {
    return undefined;
  }
}

function parseDayOfMonth(text: string): DayOfMonth | undefined {
  if (text === "?" || text === "*") return { kind: "any" };
  if (text === "L") return { kind: "last", offset: 0 };
  if (text === "LW") return { kind: "last-weekday" };
  const lastOffset = /^L-(\d{1,2})$/.exec(text);
  if (lastOffset) return { kind: "last", offset: Number(lastOffset[1]) };
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday) {
    const day = Number(weekday[1]);
    return day >= 1 && day <= 31 ? { kind: "weekday", day } : undefined;
  }
  const days = parseSet(text, 1, 31);
  return days ? { kind: "set", days } : undefined;
}

function parseDayOfWeek(text: string): DayOfWeek | undefined {
  if (text === "?" || text === "*") return { kind: "any" };
  if (text === "L") return { kind: "last", day: 7 };
  const last = /^([1-7]|[A-Z]{3})L$/i.exec(text);
  if (last) {
    const day = dayNumber(last[1]);
    return day ? { kind: "last", day } : undefined;
  }
  const nth = /^([1-7]|[A-Z]{3})#([1-5])$/i.exec(text);
  if (nth) {
    const day = dayNumber(nth[1]);
    return day ? { kind: "nth", day, nth: Number(nth[2]) } : undefined;
  }
  const days = parseSet(text, 1, 7, DAYS, 1);
  return days ? { kind: "set", days } : undefined;
}

function dayNumber(text: string): number | undefined {
  if (/^\d$/.test(text)) return Number(text);
  const i = DAYS.indexOf(text.toUpperCase());
  return i < 0 ? undefined : i + 1;
}

/** A field of values: `*`, `5`, `1-5`, `0/15`, `*\/5`, `MON-FRI`, lists of these. */
function parseSet(text: string, min: number, max: number, names?: string[], nameBase = 0): Set<number> | undefined {
  const out = new Set<number>();
  const value = (v: string): number => {
    const upper = v.toUpperCase();
    if (names && names.includes(upper)) return names.indexOf(upper) + nameBase;
    if (!/^\d+$/.test(v)) throw new Error("bad value");
    const n = Number(v);
    if (n < min || n > max) throw new Error("out of range");
    return n;
  };
  for (const part of text.split(",")) {
    if (part === "") return undefined;
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText))) return undefined;
    let lo: number;
    let hi: number;
    if (range === "*") [lo, hi] = [min, max];
    else if (range.includes("-")) {
      const [a, b] = range.split("-");
      [lo, hi] = [value(a), value(b)];
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo <= hi) for (let v = lo; v <= hi; v += step) out.add(v);
    else {
      // A wrapping range (FRI-MON, 22-2) runs to the end and on from the start.
      for (let v = lo; v <= max; v += step) out.add(v);
      for (let v = min; v <= hi; v += step) out.add(v);
    }
  }
  return out.size > 0 ? out : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday ... 7 = Saturday, as cron counts. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function dayMatches(cron: CronExpression, year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  const dom = cron.dayOfMonth;
  switch (dom.kind) {
    case "set":
      if (!dom.days.has(day)) return false;
      break;
    case "last":
      if (day !== last - dom.offset) return false;
      break;
    case "weekday":
      if (day !== nearestWeekday(year, month, Math.min(dom.day, last))) return false;
      break;
    case "last-weekday":
      if (day !== nearestWeekday(year, month, last)) return false;
      break;
  }
  const dow = cron.dayOfWeek;
  const wd = weekday(year, month, day);
  switch (dow.kind) {
    case "set":
      return dow.days.has(wd);
    case "last":
      return wd === dow.day && day + 7 > last;
    case "nth":
      return wd === dow.day && Math.ceil(day / 7) === dow.nth;
    default:
      return true;
  }
}

/** `15W`: the weekday nearest the 15th, never crossing into another month. */
function nearestWeekday(year: number, month: number, day: number): number {
  const wd = weekday(year, month, day);
  const last = daysInMonth(year, month);
  if (wd === 7) return day === 1 ? 3 : day - 1; // Saturday: Friday, or Monday the 3rd
  if (wd === 1) return day === last ? day - 2 : day + 1; // Sunday: Monday, or Friday
  return day;
}

/** The first time strictly after `afterMs` the cron names, in the zone; undefined when none. */
export function nextCron(cron: CronExpression, afterMs: number, timeZone = "UTC"): number | undefined {
  const start = toLocal(afterMs, timeZone);
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  const date = new Date(Date.UTC(start.year, start.month - 1, start.day));
  // Five years of days covers every valid expression's next time but a sparse year list.
  for (let i = 0; i < 366 * 230; i++) {
    const year = date.getUTCFullYear();
    if (year > 2199) return undefined;
    if (cron.years !== "*" && !cron.years.has(year)) {
      date.setUTCFullYear(year + 1, 0, 1);
      continue;
    }
    const month = date.getUTCMonth() + 1;
    if (!cron.months.has(month)) {
      date.setUTCMonth(month, 1);
      continue;
    }
    const day = date.getUTCDate();
    if (dayMatches(cron, year, month, day)) {
      for (const hour of hours) {
        for (const minute of minutes) {
          const ms = fromLocal({ year, month, day, hour, minute, second: 0 }, timeZone);
          // A wall time the zone skips (spring forward) is not invoked at all, as the
          // Scheduler documents for daylight saving time; a repeated one (fall back), once.
          if (ms > afterMs && (timeZone === "UTC" || existsInZone(ms, hour, minute, timeZone))) return ms;
        }
      }
    }
    date.setUTCDate(day + 1);
  }
  return undefined;
}

function existsInZone(ms: number, hour: number, minute: number, timeZone: string): boolean {
  const local = toLocal(ms, timeZone);
  return local.hour === hour && local.minute === minute;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether Intl knows the zone (IANA names, "UTC"). */
export function validTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time at `ms` in the zone. */
export function toLocal(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** The instant a wall-clock time names in the zone (in a gap, the later side). */
export function fromLocal(local: LocalTime, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  if (timeZone === "UTC") return asUtc;
  const offset = (ms: number) => {
    const l = toLocal(ms, timeZone);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(ms / 1000) * 1000;
  };
  const first = asUtc - offset(asUtc);
  return asUtc - offset(first);
}

/** at(yyyy-mm-ddThh:mm:ss), as the Scheduler takes it. */
export function parseAt(body: string): LocalTime | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second };
}

/** rate(...), cron(...) and, when `allowAt`, at(...). Undefined when not valid. */
export function parseScheduleExpression(text: string, allowAt: boolean): ScheduleExpression | undefined {
  const m = /^(rate|cron|at)\((.*)\)$/.exec(text.trim());
  if (!m) return undefined;
  if (m[1] === "rate") {
    const periodMs = parseRate(m[2]);
    return periodMs ? { kind: "rate", periodMs } : undefined;
  }
  if (m[1] === "cron") {
    const cron = parseCron(m[2]);
    return cron ? { kind: "cron", cron } : undefined;
  }
  if (!allowAt) return undefined;
  const local = parseAt(m[2]);
  return local ? { kind: "at", local } : undefined;
}
