import { parsePattern, PatternError, type Pattern } from "../../engines/event-patterns/index.js";
import { invalidPattern } from "./errors.js";

// Event patterns on the shared engine, in EventBridge's dialect and error framing:
// InvalidEventPatternException "Event pattern is not valid. Reason: <engine's reason>".

export function compilePattern(text: string): Pattern {
  try {
    return parsePattern(text, { dialect: "eventbridge" });
  } catch (error) {
    if (error instanceof PatternError) throw invalidPattern(error.detail);
    throw error;
  }
}

/** A pattern already accepted once (read back from the store): undefined if it no longer parses. */
export function compileStored(text: string): Pattern | undefined {
  try {
    return parsePattern(text, { dialect: "eventbridge" });
  } catch {
    return undefined;
  }
}
