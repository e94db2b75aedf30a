import { cidrContains } from "./cidr.js";
import { rulerView } from "./dotted-keys.js";
import type { Matcher, Pattern } from "./types.js";

// Runs a compiled pattern against a JSON value (an event, a message body, or SNS
// message attributes as the service presents them). Rules, from AWS's docs:
// - every key of the pattern must match; a nested key matches into objects;
// - a key's list of matchers matches when any one matches any of the event's values
//   (an array in the event offers each element; arrays of objects are matched into);
// - a missing key matches nothing but {"exists": false};
// - numbers compare numerically (300 equals 300.0); strings never equal numbers;
// - in EventBridge's dialect (and Lambda's), a key with dots is a path, in the pattern
//   and in the event alike (dotted-keys.ts).

export function matchPattern(pattern: Pattern, event: unknown): boolean {
  const view = pattern.paths ? rulerView(event) : event;
  return matchObject(pattern, isObject(view) ? view : {});
}

function matchObject(pattern: Pattern, object: Record<string, unknown>): boolean {
  for (const field of pattern.fields) {
    // Own fields only: an event without "constructor" must not find Object's.
    const value = Object.hasOwn(object, field.key) ? object[field.key] : undefined;
    if ("nested" in field) {
      const candidates = objectsOf(value);
      if (candidates.length === 0) {
        if (!matchObject(field.nested, {})) return false;
      } else if (!candidates.some((c) => matchObject(field.nested, c))) {
        return false;
      }
    } else {
      const values = leavesOf(value);
      if (!field.matchers.some((m) => (m.type === "exists" ? m.value === values.length > 0 : values.some((v) => matchValue(m, v))))) {
        return false;
      }
    }
  }
  for (const group of pattern.anyOf) {
    if (!group.some((alternative) => matchObject(alternative, object))) return false;
  }
  return true;
}

function objectsOf(value: unknown): Record<string, unknown>[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  return [];
}

/** The scalar values at a key: the value itself, or each scalar of an array (nested arrays flattened). */
function leavesOf(value: unknown): unknown[] {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return [value];
}

export function matchValue(matcher: Matcher, value: unknown): boolean {
  switch (matcher.type) {
    case "exact":
      return value === matcher.value;
    case "prefix":
      return typeof value === "string" && (matcher.ignoreCase ? value.toLowerCase() : value).startsWith(matcher.value);
    case "suffix":
      return typeof value === "string" && (matcher.ignoreCase ? value.toLowerCase() : value).endsWith(matcher.value);
    case "equals-ignore-case":
      return typeof value === "string" && value.toLowerCase() === matcher.value.toLowerCase();
    case "wildcard":
      return typeof value === "string" && matcher.regex.test(value);
    case "numeric":
      return typeof value === "number" && matcher.ranges.every(([op, n]) => compare(op, value, n));
    case "cidr":
      return typeof value === "string" && cidrContains(matcher.cidr, value);
    case "exists":
      return matcher.value;
    case "anything-but":
      return !matcher.matchers.some((m) => matchValue(m, value));
  }
}

function compare(op: string, value: number, bound: number): boolean {
  switch (op) {
    case "=":
      return value === bound;
    case "<":
      return value < bound;
    case "<=":
      return value <= bound;
    case ">":
      return value > bound;
    default:
      return value >= bound;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
