// A pull parser over JSON text that reports where it stands the way the parser
// behind EventBridge's pattern compiler (Jackson, under aws/event-ruler) does, so
// InvalidEventPatternException messages end as AWS's do:
//   "\n at [Source: (String)"{"int": 42}"; line: 1, column: 11]".
// Jackson's position rules, read off AWS's recorded answers:
// - returning a field name, it has already read the start of the value after it;
// - a string value is read only up to its opening quote until its text is asked for;
// - other tokens are read to their end.
// A malformed document fails only when the cursor reaches the bad spot, with
// Jackson's wording for the common mistakes.

export type TokenType =
  | "START_OBJECT" | "END_OBJECT" | "START_ARRAY" | "END_ARRAY" | "FIELD_NAME"
  | "VALUE_STRING" | "VALUE_NUMBER" | "VALUE_TRUE" | "VALUE_FALSE" | "VALUE_NULL";

interface Token {
  type: TokenType | "ERROR";
  start: number;
  end: number;
  /** The string's content, a field's name, a number's text; for ERROR, the message. */
  text: string;
  /** A string whose text was asked for: the parser has read it to its closing quote. */
  read?: boolean;
}

/** Jackson reports at most this much of the source. */
const MAX_SNIPPET = 500;

export class JsonCursor {
  private readonly tokens: Token[];
  private index = -1;

  constructor(readonly source: string) {
    this.tokens = tokenize(source);
  }

  /** The next token (undefined at the end of the text); throws at a syntax error. */
  next(): TokenType | undefined {
    this.index++;
    const token = this.tokens[this.index];
    if (!token) return undefined;
    // A field name comes with the start of its value, and that value's syntax error.
    const ahead = token.type === "FIELD_NAME" ? this.tokens[this.index + 1] : undefined;
    const failed = token.type === "ERROR" ? token : ahead?.type === "ERROR" ? ahead : undefined;
    if (failed) throw new JsonSyntaxError(failed.text + this.at(failed.end));
    return token.type as TokenType;
  }

  /** The current token's text (a field's name for FIELD_NAME); reads a string to its end. */
  text(): string {
    const token = this.tokens[this.index];
    if (!token) return "";
    if (token.type === "VALUE_STRING") token.read = true;
    return token.text;
  }

  /** "\n at [Source: ...; line: L, column: C]" for where the parser stands now. */
  location(): string {
    return this.at(this.position());
  }

  private position(): number {
    const token = this.tokens[this.index];
    if (!token) return this.source.length;
    const value = token.type === "FIELD_NAME" ? this.tokens[this.index + 1] ?? token : token;
    return value.type === "VALUE_STRING" && !value.read ? value.start + 1 : value.end;
  }

  private at(ptr: number): string {
    let line = 1;
    let rowStart = 0;
    for (let i = 0; i < ptr; i++) {
      if (this.source.charCodeAt(i) === 10) {
        line++;
        rowStart = i + 1;
      }
    }
    return `\n at ${sourceDescription(this.source)}; line: ${line}, column: ${ptr - rowStart + 1}]`;
  }
}

function sourceDescription(source: string): string {
  const snippet = source.length > MAX_SNIPPET ? `${source.slice(0, MAX_SNIPPET)}"[truncated ${source.length - MAX_SNIPPET} chars]` : `${source}"`;
  return `[Source: (String)"${snippet}`;
}

/** Malformed JSON, with Jackson's message and location already appended. */
export class JsonSyntaxError extends Error {}

// The tokenizer: structure and scalars, with the context Jackson's messages need.

const WS = new Set([" ", "\t", "\n", "\r"]);

function charDescription(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 32) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const stack: Array<{ kind: "Object" | "Array"; start: number }> = [];
  let i = 0;
  const fail = (message: string, end: number): Token[] => {
    tokens.push({ type: "ERROR", start: end, end, text: message });
    return tokens;
  };
  const skipWs = () => {
    while (i < src.length && WS.has(src[i])) i++;
  };
  const endOfInput = (): Token[] => {
    const open = stack[stack.length - 1];
    if (!open) return tokens;
    const marker = `${sourceDescription(src)}; line: 1, column: ${open.start + 1}]`;
    return fail(`Unexpected end-of-input: expected close marker for ${open.kind} (start marker at ${marker})`, src.length);
  };
  /** A value at `i` (after whitespace): pushes its token; false if it failed. */
  const value = (): boolean => {
    const ch = src[i];
    const start = i;
    if (ch === "{" || ch === "[") {
      tokens.push({ type: ch === "{" ? "START_OBJECT" : "START_ARRAY", start, end: ++i, text: ch });
      stack.push({ kind: ch === "{" ? "Object" : "Array", start });
      return true;
    }
    if (ch === '"') {
      const s = string();
      if (s === undefined) return false;
      tokens.push({ type: "VALUE_STRING", start, end: i, text: s });
      return true;
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
    if (number && (ch === "-" || (ch >= "0" && ch <= "9"))) {
      i += number[0].length;
      tokens.push({ type: "VALUE_NUMBER", start, end: i, text: number[0] });
      return true;
    }
    // Literals and anything else word-like: Jackson reads the whole word before judging it.
    const word = /^[A-Za-z0-9_$]+/.exec(src.slice(i))?.[0];
    if (word) {
      i += word.length;
      const literal = word === "true" ? "VALUE_TRUE" : word === "false" ? "VALUE_FALSE" : word === "null" ? "VALUE_NULL" : undefined;
      if (literal) {
        tokens.push({ type: literal, start, end: i, text: word });
        return true;
      }
      fail(`Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`, i);
      return false;
    }
    if (i >= src.length) {
      endOfInput();
      return false;
    }
    fail(`Unexpected character (${charDescription(ch)}): expected a value`, i + 1);
    return false;
  };
  const string = (): string | undefined => {
    // JSON.parse does the unescaping once the extent is known.
    let j = i + 1;
    while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
    if (j >= src.length) {
      fail("Unexpected end-of-input: was expecting closing quote for a string value", src.length);
      return undefined;
    }
    const text = src.slice(i, j + 1);
    i = j + 1;
    try {
      return JSON.parse(text) as string;
    } catch {
      fail(`Illegal unquoted character or escape in string value`, i);
      return undefined;
    }
  };

  skipWs();
  if (i >= src.length) return tokens;
  if (!value()) return tokens;
  // Each pass reads what may follow the last token, in its container's context.
  for (;;) {
    const open = stack[stack.length - 1];
    if (!open) return tokens; // the root is complete: Ruler reads no further
    const last = tokens[tokens.length - 1];
    skipWs();
    if (i >= src.length) return endOfInput();
    const ch = src[i];
    const afterOpen = last.type === "START_OBJECT" || last.type === "START_ARRAY";
    if (ch === (open.kind === "Object" ? "}" : "]")) {
      tokens.push({ type: open.kind === "Object" ? "END_OBJECT" : "END_ARRAY", start: i, end: ++i, text: ch });
      stack.pop();
      continue;
    }
    if (!afterOpen) {
      if (ch !== ",") return fail(`Unexpected character (${charDescription(ch)}): was expecting comma to separate ${open.kind} entries`, i + 1);
      i++;
      skipWs();
      if (i >= src.length) return endOfInput();
    }
    if (open.kind === "Object") {
      if (src[i] !== '"') return fail(`Unexpected character (${charDescription(src[i])}): was expecting double-quote to start field name`, i);
      const start = i;
      const name = string();
      if (name === undefined) return tokens;
      tokens.push({ type: "FIELD_NAME", start, end: i, text: name });
      skipWs();
      if (i >= src.length) return endOfInput();
      if (src[i] !== ":") return fail(`Unexpected character (${charDescription(src[i])}): was expecting a colon to separate field name and value`, i + 1);
      i++;
      skipWs();
    }
    if (!value()) return tokens;
  }
}
