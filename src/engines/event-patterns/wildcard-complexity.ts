import type { Pattern } from "./types.js";

// EventBridge's limit on wildcard patterns ("Wildcards and event pattern complexity",
// in "Comparison operators for use in event patterns"): a rule whose wildcards are too
// complex is refused with InvalidEventPatternException "Rule is too complex - try using
// fewer wildcard characters or fewer repeating character sequences after a wildcard
// character" (AWS's wording, as users report it from PutRule).
//
// The measure is aws/event-ruler's MachineComplexityEvaluator: the values of one field
// are compiled into a byte machine (shared states up to the first `*`, then one path
// per pattern), and the complexity is the largest number of wildcard patterns that the
// states a worst-case value can be in at once still lead to. AWS does not publish its
// threshold; LIMIT is the one that separates the patterns AWS is reported to accept
// from those it refused: four `*.ext` suffixes and three `*:stack/<name>/*` accepted
// (8 and 9 here), four `*/datasync/*.ext` and four `*:stack/<name>/*` refused (12).

/** Complexities above this are refused. */
export const WILDCARD_COMPLEXITY_LIMIT = 10;

/** Past this many machine states explored, the evaluation stops (and the pattern is taken). */
const MAX_STEPS = 20_000;

const STAR = -1;
const OTHER = -2;

interface State {
  id: number;
  /** Literal transitions (a byte may lead to several states: after a `*` paths are not merged). */
  lit: Map<number, State[]>;
  /** States entered on any byte: a `*` state from the state before it, and the `*` state itself. */
  any: State[];
  /** The shared prefix's next state per byte, and its first `*` (before any wildcard only). */
  trie: Map<number, State>;
  star?: State;
  /** The wildcard patterns a match is still reachable for from this state. */
  patterns: Set<string>;
}

/** True when some field's wildcard values are more complex than EventBridge accepts. */
export function wildcardsTooComplex(pattern: Pattern): boolean {
  const byPath = new Map<string, Set<string>>();
  collect(pattern, "", byPath);
  for (const texts of byPath.values()) {
    if (complexity([...texts]) > WILDCARD_COMPLEXITY_LIMIT) return true;
  }
  return false;
}

/** Wildcard values grouped by field path ($or alternatives on one path share a machine). */
function collect(pattern: Pattern, prefix: string, out: Map<string, Set<string>>): void {
  for (const field of pattern.fields) {
    const path = `${prefix}\u0000${field.key}`;
    if ("nested" in field) collect(field.nested, path, out);
    else {
      for (const m of field.matchers) {
        if (m.type !== "wildcard") continue;
        let texts = out.get(path);
        if (!texts) out.set(path, (texts = new Set()));
        texts.add(m.text);
      }
    }
  }
  for (const group of pattern.anyOf) for (const alternative of group) collect(alternative, prefix, out);
}

/** The Ruler's tokens for a wildcard value: its UTF-8 bytes between quotes, STAR for each unescaped `*`. */
function tokens(text: string): number[] {
  const out = [0x22];
  let literal = "";
  const flush = () => {
    for (const byte of Buffer.from(literal)) out.push(byte);
    literal = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && (text[i + 1] === "*" || text[i + 1] === "\\")) literal += text[++i];
    else if (c === "*") {
      flush();
      out.push(STAR);
    } else literal += c;
  }
  flush();
  out.push(0x22);
  return out;
}

/** The measure for one field's wildcard values; stops counting once past `cap`. */
export function complexity(texts: string[], cap = WILDCARD_COMPLEXITY_LIMIT): number {
  let nextId = 0;
  const newState = (): State => ({ id: nextId++, lit: new Map(), any: [], trie: new Map(), patterns: new Set() });
  const link = (from: State, byte: number, to: State) => {
    const list = from.lit.get(byte);
    if (list) list.push(to);
    else from.lit.set(byte, [to]);
  };
  const root = newState();
  const alphabet = new Set<number>([OTHER]);
  for (const text of texts) {
    let current = root;
    let determinate = true;
    let star: State | undefined;
    for (const token of tokens(text)) {
      if (token === STAR) {
        if (determinate) {
          if (!current.star) {
            current.star = newState();
            current.star.any.push(current.star);
            current.any.push(current.star);
          }
          star = current.star;
        } else {
          star = newState();
          star.any.push(star);
          current.any.push(star);
        }
        star.patterns.add(text);
        determinate = false;
        continue;
      }
      alphabet.add(token);
      let next: State | undefined;
      if (determinate) {
        next = current.trie.get(token);
        if (!next) {
          next = newState();
          current.trie.set(token, next);
          link(current, token, next);
        }
      } else {
        next = newState();
        // After a `*`, the next byte is reached from the `*` and, for an empty run, from before it.
        link(current, token, next);
        if (star) link(star, token, next);
      }
      next.patterns.add(text);
      current = next;
      star = undefined;
    }
  }

  let maximum = 0;
  const seen = new Set<string>();
  const pending: State[][] = [[root]];
  let steps = 0;
  while (pending.length > 0 && steps < MAX_STEPS) {
    const active = pending.pop()!;
    for (const byte of alphabet) {
      steps++;
      const next = new Map<number, State>();
      for (const state of active) {
        for (const s of state.any) next.set(s.id, s);
        if (byte !== OTHER) for (const s of state.lit.get(byte) ?? []) next.set(s.id, s);
      }
      if (next.size === 0) continue;
      // Each state's patterns, and those of a `*` it may enter without being in it yet.
      let size = 0;
      const stars = new Set<State>();
      for (const state of next.values()) {
        size += state.patterns.size;
        for (const s of state.any) if (!next.has(s.id)) stars.add(s);
      }
      for (const s of stars) size += s.patterns.size;
      if (size > cap) return size;
      maximum = Math.max(maximum, size);
      const key = [...next.keys()].sort((a, b) => a - b).join(",");
      if (!seen.has(key)) {
        seen.add(key);
        pending.push([...next.values()]);
      }
    }
  }
  return maximum;
}
