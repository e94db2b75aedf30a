// An event as EventBridge's Ruler reads it. The Ruler flattens an event into dotted
// paths before matching ("Compiled rules and JSON keys with dots", aws/event-ruler's
// README), so an event field written {"state.status": "running"} sits on the same path
// as {"state": {"status": "running"}} and a pattern on either spelling matches both.
// The patterns' side is in ruler-grammar.ts (a dotted key is split into its path); this
// is the events' side: keys with dots become nested objects, for matching only (targets
// receive the event as it was sent). matchPattern reads events this way for patterns of
// EventBridge's dialect (Pattern.paths), which Lambda's filters share. SNS filter
// policies do not: a message attribute's name may contain dots and is matched whole.

type Json = unknown;

/** Deeper than this the event is not read for dotted keys ("PutEvents will only process
 *  nested JSON up to 1000 levels deep"), and the walk cannot exhaust the stack. */
const MAX_DEPTH = 1000;

/** An event's view, worked out once per event rather than once per rule it meets
 *  (a bus with many rules matches one event against each; events are not changed
 *  while they are routed, archived or replayed). */
const views = new WeakMap<object, unknown>();

/** The event itself when no key has a dot (the usual case, nothing copied); else a copy with dotted keys nested. */
export function rulerView<T>(event: T): T {
  if (typeof event !== "object" || event === null) return event;
  let view = views.get(event);
  if (view === undefined) {
    view = hasDottedKey(event, 0) ? expand(event, 0) : event;
    views.set(event, view);
  }
  return view as T;
}

/** The check alone, allocating nothing: the path every event without dotted keys takes. */
function hasDottedKey(value: Json, depth: number): boolean {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasDottedKey(value[i], depth + 1)) return true;
    return false;
  }
  const object = value as Record<string, Json>;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (key.includes(".") || hasDottedKey(object[key], depth + 1)) return true;
  }
  return false;
}

function expand(value: Json, depth: number): Json {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: Json[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = expand(value[i], depth + 1);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  if (typeof value !== "object" || value === null) return value;
  const object = value as Record<string, Json>;
  let changed = false;
  const expanded: Array<[string, Json]> = [];
  for (const key of Object.keys(object)) {
    const item = expand(object[key], depth + 1);
    if (item !== object[key] || key.includes(".")) changed = true;
    expanded.push([key, item]);
  }
  if (!changed) return value;
  // A null-prototype object: an event's key "__proto__" stays a key.
  const out = Object.create(null) as Record<string, Json>;
  for (const [key, item] of expanded) put(out, key.split("."), item);
  return out;
}

/** Puts `value` at `path` in `target`; what two spellings put on one path is merged. */
function put(target: Record<string, Json>, path: string[], value: Json): void {
  const [key, ...rest] = path;
  let item = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const wrapper = Object.create(null) as Record<string, Json>;
    wrapper[rest[i]] = item;
    item = wrapper;
  }
  target[key] = Object.hasOwn(target, key) ? merge(target[key], item) : item;
}

/**
 * Two values on one path: objects merge key by key (into each object of an array, so
 * a sibling field stays with every element as in the Ruler's flattened form); any
 * other pair becomes a list, whose every value the Ruler offers to the pattern.
 */
function merge(a: Json, b: Json): Json {
  if (isObject(a) && isObject(b)) {
    const out = Object.assign(Object.create(null) as Record<string, Json>, a);
    for (const key of Object.keys(b)) put(out, [key], b[key]);
    return out;
  }
  if (Array.isArray(a) && isObject(b) && a.some(isObject)) return a.map((item) => (isObject(item) ? merge(item, b) : item));
  if (isObject(a) && Array.isArray(b) && b.some(isObject)) return b.map((item) => (isObject(item) ? merge(a, item) : item));
  return [...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])];
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
