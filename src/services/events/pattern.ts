import { parsePattern, PatternError, wildcardsTooComplex, type Pattern } from "../../engines/event-patterns/index.js";
import { invalidPattern } from "./errors.js";

// Event patterns on the shared engine, in EventBridge's dialect and error framing:
// InvalidEventPatternException "Event pattern is not valid. Reason: <engine's reason>".
// EventBridge also refuses wildcards past the Ruler's complexity limit; Lambda's filters,
// which share the dialect, are not known to, so that check is made here.

export function compilePattern(text: string): Pattern {
  let pattern: Pattern;
  try {
    pattern = parsePattern(text, { dialect: "eventbridge" });
  } catch (error) {
    if (error instanceof PatternError) throw invalidPattern(error.detail);
    throw error;
  }
  // The Ruler's limit on wildcards, checked once the pattern is read (so no location).
  if (wildcardsTooComplex(pattern)) {
    throw invalidPattern("Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character");
  }
  return pattern;
}

/** A pattern already accepted once (read back from the store): undefined if it no longer parses. */
export function compileStored(text: string): Pattern | undefined {
  try {
    return parsePattern(text, { dialect: "eventbridge" });
  } catch {
    return undefined;
  }
}
