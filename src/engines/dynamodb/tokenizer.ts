// The lexer shared by every DynamoDB expression grammar. Tokens keep their
// source offsets so a syntax error can quote the source around the offending
// token, as AWS does: `Syntax error; token: ":", near: "hits : incr"` (the
// previous token through the next one, spacing kept; seen in AWS's answers
// quoted in aws/aws-cdk#7591 and getndazn/dazn-lambda-powertools#242).

export type TokenKind =
  | "name" // a bare attribute name or keyword: [A-Za-z_][A-Za-z0-9_]*
  | "nameRef" // #placeholder
  | "valueRef" // :placeholder
  | "number" // digits, only meaningful inside [ ]
  | "punct" // = <> < <= > >= ( ) [ ] , . + -
  | "unknown" // anything else, including a lone # or :
  | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const PUNCT2 = new Set(["<>", "<=", ">="]);
const PUNCT1 = new Set(["=", "<", ">", "(", ")", "[", "]", ",", ".", "+", "-"]);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (c === 35 /* # */ || c === 58 /* : */) {
      i++;
      while (i < src.length && isWordChar(src.charCodeAt(i))) i++;
      kind = i - start === 1 ? "unknown" : c === 35 ? "nameRef" : "valueRef";
    } else if (c >= 48 && c <= 57) {
      while (i < src.length && src.charCodeAt(i) >= 48 && src.charCodeAt(i) <= 57) i++;
      kind = "number";
    } else if (isWordChar(c)) {
      while (i < src.length && isWordChar(src.charCodeAt(i))) i++;
      kind = "name";
    } else if (PUNCT2.has(src.slice(i, i + 2))) {
      i += 2;
      kind = "punct";
    } else {
      // One UTF-16 code point, so a stray emoji is reported whole.
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < src.length ? 2 : 1;
      kind = PUNCT1.has(src.slice(start, i)) ? "punct" : "unknown";
    }
    tokens.push({ kind, text: src.slice(start, i), start, end: i });
  }
  tokens.push({ kind: "eof", text: "<EOF>", start: src.length, end: src.length });
  return tokens;
}
