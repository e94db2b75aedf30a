// The content-pattern engine shared by SNS filter policies, EventBridge rules and
// Lambda event filters: parse (and validate) once, match many times.
export { parsePattern, combinations, SNS_MAX_COMBINATIONS, SNS_MAX_KEYS } from "./parse.js";
export { matchPattern } from "./match.js";
export { wildcardsTooComplex } from "./wildcard-complexity.js";
export { PatternError, type Pattern, type PatternOptions, type Matcher } from "./types.js";
