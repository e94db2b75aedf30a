import { PatternError } from "./types.js";

// The "wildcard" operator of EventBridge patterns: `*` matches any run of
// characters (slashes included), `\*` a literal star, `\\` a backslash; a backslash
// before anything else is refused ("A backslash escaping any character other than
// asterisk or backslash is not allowed", aws/event-ruler's README).

/**
 * `**` and a stray backslash are refused as the Ruler's WildcardParser does. Its
 * positions count UTF-8 bytes of the value as it holds it, between quotes: the first
 * character is at pos 1.
 */
export function wildcardRegex(text: string): RegExp {
  const pos = (i: number) => 1 + Buffer.byteLength(text.slice(0, i));
  let source = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      if (text[i + 1] !== "*" && text[i + 1] !== "\\") throw new PatternError(`Invalid escape character at pos ${pos(i)}`);
      source += "\\" + text[++i];
    } else if (c === "*") {
      if (text[i + 1] === "*") throw new PatternError(`Consecutive wildcard characters at pos ${pos(i)}`);
      source += "[\\s\\S]*";
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
