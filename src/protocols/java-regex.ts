// The models' `pattern` traits are Java regular expressions (AWS validates with
// java.util.regex, whole-string `matches()`). This translates the Java-only
// constructs that occur in AWS models into a JavaScript regex with the `u` flag
// (needed for \p{L} and friends), and answers undefined for anything it cannot
// translate faithfully: a constraint we cannot check is skipped, never fatal.

const cache = new Map<string, RegExp | undefined>();

/** The compiled whole-string matcher for a Java pattern, or undefined if it cannot be compiled. */
export function compileJavaPattern(pattern: string): RegExp | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  let compiled: RegExp | undefined;
  try {
    const { source, flags } = translate(pattern);
    compiled = new RegExp(`^(?:${source})$`, `u${flags}`);
  } catch {
    compiled = undefined;
  }
  cache.set(pattern, compiled);
  return compiled;
}

/** Whole-string match, as Java's Matcher.matches(); true when the pattern cannot be compiled. */
export function matchesJavaPattern(pattern: string, value: string): boolean {
  const re = compileJavaPattern(pattern);
  return re === undefined ? true : re.test(value);
}

// Java's POSIX classes are ASCII-only (without UNICODE_CHARACTER_CLASS), unlike the
// Unicode properties of the same names in JavaScript. Written as class contents.
const POSIX: Record<string, string> = {
  Lower: "a-z",
  Upper: "A-Z",
  ASCII: "\\x00-\\x7F",
  Alpha: "a-zA-Z",
  Digit: "0-9",
  Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~",
  Graph: "!-~",
  Print: " -~",
  Blank: " \\t",
  Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F",
  Space: "\\t-\\r ",
};
// Java's \s and \h (JavaScript's \s is Unicode-wide).
const SPACE = "\\t-\\r ";
const HSPACE = " \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000";
const SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));
const CLASS_ESCAPES = new Set("dDwWsSpPh".split(""));

class Untranslatable extends Error {}

function translate(pattern: string): { source: string; flags: string } {
  let flags = "";
  let i = 0;
  // A leading (?i) is the only inline flag AWS models use; JS has no inline flags in Node 20.
  if (pattern.startsWith("(?i)")) {
    flags = "i";
    i = 4;
  }
  let out = "";
  let afterQuantifier = false; // a '+' right after a quantifier makes it possessive in Java
  let afterAssertion = false; // Java tolerates a quantified ^ or $; JS does not
  while (i < pattern.length) {
    const c = pattern[i];
    if (afterQuantifier && c === "+") {
      i++; // possessive -> greedy: same matches for the anchored patterns AWS uses
      afterQuantifier = false;
      continue;
    }
    if (afterAssertion && (c === "{" || c === "*" || c === "+" || c === "?")) {
      i = skipQuantifier(pattern, i);
      afterAssertion = false;
      continue;
    }
    afterQuantifier = false;
    afterAssertion = false;
    if (c === "\\") {
      const [text, next] = escapeOutsideClass(pattern, i);
      out += text;
      afterAssertion = text === "^" || text === "$";
      i = next;
    } else if (c === "[") {
      const [text, next] = readClass(pattern, i);
      out += text;
      i = next;
    } else if (c === "(") {
      if (pattern.startsWith("(?>", i)) {
        out += "(?:"; // atomic group -> plain group
        i += 3;
      } else if (/^\(\?[a-zA-Z-]/.test(pattern.slice(i, i + 3)) && !pattern.startsWith("(?<", i)) {
        throw new Untranslatable("inline flags");
      } else {
        out += c;
        i++;
      }
    } else if (c === "*" || c === "+" || c === "?") {
      out += c;
      i++;
      if (pattern[i] === "?") out += pattern[i++]; // lazy stays lazy
      afterQuantifier = true;
    } else if (c === "{") {
      const end = pattern.indexOf("}", i);
      if (end < 0) throw new Untranslatable("brace");
      out += pattern.slice(i, end + 1);
      i = end + 1;
      if (pattern[i] === "?") out += pattern[i++];
      afterQuantifier = true;
    } else if (c === "^" || c === "$") {
      out += c;
      i++;
      afterAssertion = true;
    } else {
      out += c;
      i++;
    }
  }
  return { source: out, flags };
}

function skipQuantifier(pattern: string, i: number): number {
  if (pattern[i] === "{") {
    const end = pattern.indexOf("}", i);
    i = end < 0 ? pattern.length : end + 1;
  } else {
    i++;
  }
  if (pattern[i] === "?" || pattern[i] === "+") i++;
  return i;
}

/** Translates `\X` outside a character class; returns the JS text and the next index. */
function escapeOutsideClass(pattern: string, i: number): [string, number] {
  const c = pattern[i + 1];
  if (c === undefined) throw new Untranslatable("trailing backslash");
  switch (c) {
    case "A":
      return ["^", i + 2];
    case "z":
      return ["$", i + 2];
    case "Z":
      return ["(?=\\n?$)", i + 2];
    case "s":
      return [`[${SPACE}]`, i + 2];
    case "S":
      return [`[^${SPACE}]`, i + 2];
    case "h":
      return [`[${HSPACE}]`, i + 2];
    case "Q": {
      const end = pattern.indexOf("\\E", i + 2);
      const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
      return [literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), end < 0 ? pattern.length : end + 2];
    }
    case "p":
    case "P": {
      const [name, next] = propertyName(pattern, i);
      const posix = POSIX[name];
      if (posix) return [c === "p" ? `[${posix}]` : `[^${posix}]`, next];
      return [`\\${c}{${jsProperty(name)}}`, next];
    }
  }
  if (/[a-zA-Z0-9]/.test(c)) {
    if (/[dDwWbBnrtfv]/.test(c) || /[1-9]/.test(c)) return [`\\${c}`, i + 2];
    if (c === "x" || c === "u" || c === "c") return [`\\${c}`, i + 2];
    throw new Untranslatable(`escape \\${c}`);
  }
  // Java lets any punctuation be escaped; JS's u flag allows only syntax characters.
  return [SYNTAX.has(c) ? `\\${c}` : c, i + 2];
}

function propertyName(pattern: string, i: number): [string, number] {
  if (pattern[i + 2] === "{") {
    const end = pattern.indexOf("}", i + 3);
    if (end < 0) throw new Untranslatable("property");
    return [pattern.slice(i + 3, end), end + 1];
  }
  return [pattern[i + 2] ?? "", i + 3]; // \pL
}

// Java's spellings of Unicode properties, in the form JS accepts.
function jsProperty(name: string): string {
  if (name === "IsAlphabetic" || name === "Alphabetic") return "Alphabetic";
  if (name === "javaLowerCase") return "Lowercase";
  if (name === "javaUpperCase") return "Uppercase";
  if (name === "javaWhitespace") return "White_Space";
  if (/^Is[A-Z][a-z]+$/.test(name) && name.length > 4) return `Script=${name.slice(2)}`;
  if (/^Is/.test(name)) return name.slice(2);
  if (/^In/.test(name)) throw new Untranslatable("Unicode blocks");
  return name;
}

/** Translates a Java character class starting at `[`; returns the JS text and the next index. */
function readClass(pattern: string, start: number): [string, number] {
  let i = start + 1;
  let out = "[";
  if (pattern[i] === "^") {
    out += "^";
    i++;
  }
  // Java takes a ']' right after '[' or '[^' as a literal.
  if (pattern[i] === "]") {
    out += "\\]";
    i++;
  }
  let depth = 0; // Java's nested classes [a[b]] are unions: flatten them
  let prevWasSet = false; // the previous atom was a set (\w, \p{..}): a '-' after it is literal
  let atomCount = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "]") {
      if (depth === 0) return [out + "]", i + 1];
      depth--;
      i++;
      continue;
    }
    if (c === "[") {
      if (pattern[i + 1] === "^") throw new Untranslatable("negated nested class");
      depth++;
      i++;
      continue;
    }
    if (c === "&" && pattern[i + 1] === "&") throw new Untranslatable("class intersection");
    if (c === "-") {
      const next = pattern[i + 1];
      const nextIsSet = next === "\\" && CLASS_ESCAPES.has(pattern[i + 2] ?? "");
      const literal = atomCount === 0 || prevWasSet || next === "]" || next === "[" || nextIsSet;
      out += literal ? "\\-" : "-";
      i++;
      prevWasSet = false;
      continue;
    }
    atomCount++;
    if (c === "\\") {
      const e = pattern[i + 1];
      if (e === undefined) throw new Untranslatable("trailing backslash");
      if (e === "p" || e === "P") {
        const [name, next] = propertyName(pattern, i);
        const posix = POSIX[name];
        if (posix && e === "P") throw new Untranslatable("negated POSIX class in a class");
        out += posix ?? `\\${e}{${jsProperty(name)}}`;
        i = next;
        prevWasSet = true;
      } else if (e === "s" || e === "h") {
        out += e === "s" ? SPACE : HSPACE;
        i += 2;
        prevWasSet = true;
      } else if (/[dDwWS]/.test(e)) {
        out += `\\${e}`;
        i += 2;
        prevWasSet = true;
      } else if (/[a-zA-Z0-9]/.test(e)) {
        if (!/[nrtfvxuc0]/.test(e)) throw new Untranslatable(`class escape \\${e}`);
        out += `\\${e}`;
        i += 2;
        prevWasSet = false;
      } else {
        out += e === "-" || SYNTAX.has(e) ? `\\${e}` : e;
        i += 2;
        prevWasSet = false;
      }
      continue;
    }
    out += SYNTAX.has(c) && c !== "^" && c !== "$" && c !== "." && c !== "*" && c !== "+" && c !== "?" ? `\\${c}` : c;
    i++;
    prevWasSet = false;
  }
  throw new Untranslatable("unterminated class");
}
