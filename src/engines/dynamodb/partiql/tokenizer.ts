import { ExpressionError } from "../errors.js";

// PartiQL's tokens as DynamoDB accepts them: keywords and bare identifiers
// (case-insensitive keywords), "quoted identifiers", 'string literals' ('' is a
// quote), numbers, ? parameters, punctuation including << >> for sets.

export type Token =
  | { kind: "word"; text: string; upper: string; pos: number }
  | { kind: "ident"; text: string; pos: number }
  | { kind: "string"; text: string; pos: number }
  | { kind: "number"; text: string; pos: number }
  | { kind: "param"; index: number; pos: number }
  | { kind: "punct"; text: string; pos: number }
  | { kind: "end"; pos: number };

const PUNCT = [";", "<<", ">>", "<=", ">=", "<>", "!=", "=", "<", ">", ",", ".", "[", "]", "(", ")", "{", "}", ":", "*", "+", "-"];

export function malformed(detail: string): ExpressionError {
  return new ExpressionError(`Statement wasn't well formed, can't be processed: ${detail}`);
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let params = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && text[i + 1] === "-") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    const pos = i;
    if (c === "'" || c === '"') {
      let s = "";
      i++;
      for (;;) {
        if (i >= text.length) throw malformed(c === "'" ? "unterminated string literal" : "unterminated quoted identifier");
        if (text[i] === c) {
          if (text[i + 1] === c) {
            s += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += text[i++];
      }
      out.push(c === "'" ? { kind: "string", text: s, pos } : { kind: "ident", text: s, pos });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      out.push({ kind: "number", text: m[0], pos });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      out.push({ kind: "word", text: m[0], upper: m[0].toUpperCase(), pos });
      i += m[0].length;
      continue;
    }
    if (c === "?") {
      out.push({ kind: "param", index: params++, pos });
      i++;
      continue;
    }
    const p = PUNCT.find((x) => text.startsWith(x, i));
    if (!p) throw malformed(`unexpected character '${c}' at position ${i + 1}`);
    out.push({ kind: "punct", text: p, pos });
    i += p.length;
  }
  out.push({ kind: "end", pos: text.length });
  return out;
}

export function countParameters(tokens: Token[]): number {
  return tokens.filter((t) => t.kind === "param").length;
}
