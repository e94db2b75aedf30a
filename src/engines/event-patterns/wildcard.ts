import { PatternError } from "./types.js";

// The "wildcard" operator of EventBridge patterns: `*` matches any run of
// characters (slashes included), `\*` a literal star, `\\` a backslash.

/** `**` is refused as AWS does, naming the position of the second star. */
export function wildcardRegex(text: string): RegExp {
  let source = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && (text[i + 1] === "*" || text[i + 1] === "\\")) {
      source += "\\" + text[++i];
    } else if (c === "*") {
      if (text[i + 1] === "*") throw new PatternError(`Consecutive wildcard characters at pos ${i + 1}`);
      source += "[\\s\\S]*";
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
