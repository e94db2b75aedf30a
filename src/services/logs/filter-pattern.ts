import { invalidParameter } from "./errors.js";

// CloudWatch Logs filter patterns (user guide, "Filter pattern syntax for metric
// filters, subscription filters, and filter log events"), the parts that apply to
// unstructured text, plus single JSON comparisons:
//   ERROR Exception      every term appears (case-sensitive)
//   "request failed"     a quoted phrase appears as written
//   ERROR -Retry         ERROR appears and Retry does not
//   ?ERROR ?WARN         any of the ?-terms appears
//   { $.level = "error" } { $.latency > 100 }   one comparison on a JSON message
// An empty pattern matches every event.

export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? "").trim();
  if (text === "") return () => true;
  if (text.startsWith("{")) return compileJson(text);
  const include: string[] = [];
  const exclude: string[] = [];
  const any: string[] = [];
  const token = /(-|\?)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3];
    if (m[1] === "-") exclude.push(term);
    else if (m[1] === "?") any.push(term);
    else include.push(term);
  }
  return (message) =>
    include.every((t) => message.includes(t)) &&
    !exclude.some((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t)));
}

function compileJson(text: string): Matcher {
  const m = /^\{\s*\$((?:\.[A-Za-z0-9_-]+|\[\d+\])+)\s*(=|!=|<=|>=|<|>)\s*(?:"((?:[^"\\]|\\.)*)"|([^\s}]+))\s*\}$/.exec(text);
  if (!m) throw invalidParameter("Invalid filter pattern");
  const path = [...m[1].matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((p) => p[1] ?? Number(p[2]));
  const op = m[2];
  const quoted = m[3];
  const bare = m[4];
  return (message) => {
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return false;
    }
    for (const key of path) {
      if (value === null || typeof value !== "object") return false;
      value = (value as Record<string | number, unknown>)[key];
    }
    if (value === undefined) return false;
    if (op === "=" || op === "!=") {
      let equal: boolean;
      if (quoted === undefined && bare !== undefined && !Number.isNaN(Number(bare))) equal = Number(value) === Number(bare);
      else if (quoted === undefined && (bare === "true" || bare === "false" || bare === "null")) equal = String(value) === bare;
      else equal = wildcard(quoted ?? bare ?? "").test(String(value));
      return op === "=" ? equal : !equal;
    }
    const a = Number(value);
    const b = Number(bare ?? quoted);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
  };
}

function wildcard(text: string): RegExp {
  return new RegExp(`^${text.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");
}
