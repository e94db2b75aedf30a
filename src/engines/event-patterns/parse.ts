import { parseCidr } from "./cidr.js";
import { parseEventPattern } from "./ruler-grammar.js";
import { type Field, type Matcher, type NumericOperator, type Pattern, PatternError, type PatternOptions } from "./types.js";

// The grammar of content patterns: SNS's ("Amazon SNS subscription filter policies")
// here, parsed from the JSON value; EventBridge's ("Content filtering in Amazon
// EventBridge event patterns", also Lambda's filters) in ruler-grammar.ts, read token
// by token as AWS's compiler reads it. Both produce the compiled form match.ts runs.
// The reasons are AWS's wording; the caller frames them for its service.

/** SNS: "A filter policy can have a maximum of five attribute names" (nested: parent keys). */
export const SNS_MAX_KEYS = 5;
/** SNS: "The total combination of values must not exceed 150." */
export const SNS_MAX_COMBINATIONS = 150;

/** SNS takes no wildcard, in anything-but or elsewhere. */
const ANYTHING_BUT_INNER = new Set(["prefix", "suffix", "equals-ignore-case"]);

/** Parses a pattern given as JSON text or as an already-parsed value. */
export function parsePattern(source: unknown, options: PatternOptions): Pattern {
  // EventBridge's grammar reads the text token by token, as AWS's compiler does.
  if (options.dialect === "eventbridge") return parseEventPattern(typeof source === "string" ? source : JSON.stringify(source));
  let value = source;
  if (typeof source === "string") {
    try {
      value = JSON.parse(source);
    } catch {
      throw new PatternError("failed to parse JSON.");
    }
  }
  if (!isObject(value)) throw new PatternError("Filter is not an object");
  const parser = new Parser(options);
  const pattern = parser.object(value, 1);
  if (options.dialect === "sns") {
    if (Object.keys(value).length > SNS_MAX_KEYS) throw new PatternError(`Filter policy can not have more than ${SNS_MAX_KEYS} keys`);
    if (combinations(pattern, 1) > SNS_MAX_COMBINATIONS) throw new PatternError("Filter policy is too complex");
  }
  return pattern;
}

/**
 * SNS's complexity measure, as its developer guide computes its example: each
 * array's number of values times the depth of its key, multiplied together; the
 * alternatives of an `$or` add up.
 */
export function combinations(pattern: Pattern, depth: number): number {
  let total = 1;
  for (const field of pattern.fields) {
    total *= "nested" in field ? combinations(field.nested, depth + 1) : field.matchers.length * depth;
  }
  for (const group of pattern.anyOf) total *= group.reduce((sum, alt) => sum + combinations(alt, depth), 0);
  return total;
}

class Parser {
  constructor(private readonly options: PatternOptions) {}

  object(value: Record<string, unknown>, depth: number): Pattern {
    const pattern: Pattern = { fields: [], anyOf: [] };
    for (const [key, rule] of Object.entries(value)) {
      if (key === "$or") {
        pattern.anyOf.push(this.or(rule, depth));
      } else if (Array.isArray(rule)) {
        if (rule.length === 0) throw new PatternError("Empty arrays are not allowed");
        pattern.fields.push({ key, matchers: rule.map((r) => this.matcher(r)) } satisfies Field);
      } else if (isObject(rule)) {
        if (this.options.dialect === "sns" && this.options.scope === "MessageAttributes") {
          throw new PatternError("Filter policy scope MessageAttributes does not support nested filter policy", "scope");
        }
        pattern.fields.push({ key, nested: this.object(rule, depth + 1) });
      } else {
        throw new PatternError(`"${key}" must be an object or an array`);
      }
    }
    return pattern;
  }

  private or(rule: unknown, depth: number): Pattern[] {
    if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isObject)) {
      throw new PatternError("Or relationship must be an array of at least two objects");
    }
    return rule.map((alt) => this.object(alt as Record<string, unknown>, depth));
  }

  matcher(rule: unknown): Matcher {
    if (rule === null || typeof rule === "string" || typeof rule === "number" || typeof rule === "boolean") {
      return { type: "exact", value: rule };
    }
    if (!isObject(rule)) throw new PatternError("Match value must be String, number, true, false, or null");
    const keys = Object.keys(rule);
    if (keys.length !== 1) throw new PatternError("Only one key allowed in match expression");
    const operator = keys[0];
    const value = rule[operator];
    switch (operator) {
      case "prefix":
      case "suffix":
        return this.affix(operator, value);
      case "equals-ignore-case":
        return { type: "equals-ignore-case", value: this.string(operator, value) };
      case "exists":
        if (typeof value !== "boolean") throw new PatternError("exists match pattern must be either true or false.");
        return { type: "exists", value };
      case "numeric":
        return { type: "numeric", ranges: numericRanges(value) };
      case "cidr": {
        const range = typeof value === "string" ? parseCidr(value) : undefined;
        if (!range) throw new PatternError(`Malformed CIDR, one '/' required`);
        return { type: "cidr", cidr: range };
      }
      case "anything-but":
        return { type: "anything-but", matchers: this.anythingBut(value) };
    }
    throw new PatternError(`Unrecognized match type ${operator}`);
  }

  private string(operator: string, value: unknown): string {
    if (typeof value !== "string") throw new PatternError(`${operator} match pattern must be a string`);
    return value;
  }

  private affix(operator: "prefix" | "suffix", value: unknown): Matcher {
    return { type: operator, value: this.string(operator, value), ignoreCase: false };
  }

  private anythingBut(value: unknown): Matcher[] {
    if (typeof value === "string" || typeof value === "number") return [{ type: "exact", value }];
    if (Array.isArray(value)) {
      if (value.length === 0) throw new PatternError("Empty arrays are not allowed");
      if (!value.every((v) => typeof v === "string" || typeof v === "number")) {
        throw new PatternError("Inside anything but list, start|null|boolean is not supported.");
      }
      return value.map((v) => ({ type: "exact", value: v as string | number }));
    }
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length !== 1) throw new PatternError("Only one key allowed in match expression");
      const inner = keys[0];
      if (!ANYTHING_BUT_INNER.has(inner)) {
        throw new PatternError(`Unsupported anything-but pattern: ${inner}`);
      }
      return [this.matcher({ [inner]: value[inner] })];
    }
    throw new PatternError("Value of anything-but must be an array or single string/number value.");
  }
}

/** ["<", 5], [">=", 1, "<", 10], ["=", 3.5]: AWS's reasons for the ill-formed ones. */
function numericRanges(value: unknown): Array<[NumericOperator, number]> {
  if (!Array.isArray(value) || value.length === 0) throw new PatternError("Invalid member in numeric match: ]");
  const [op1, n1, op2, n2, ...rest] = value as unknown[];
  if (typeof op1 !== "string") throw new PatternError(`Invalid member in numeric match: ${String(op1)}`);
  if (!["<", "<=", "=", ">", ">="].includes(op1)) throw new PatternError(`Unrecognized numeric range operator: ${op1}`);
  if (typeof n1 !== "number") throw new PatternError(`Value of ${op1 === "=" ? "equals" : op1} must be numeric`);
  const ranges: Array<[NumericOperator, number]> = [[op1 as NumericOperator, n1]];
  if (value.length === 2) return ranges;
  if (op1 !== ">" && op1 !== ">=") throw new PatternError("Too many elements in numeric expression");
  if (typeof op2 !== "string") throw new PatternError(`Bad value in numeric range: ${String(op2)}`);
  if (op2 !== "<" && op2 !== "<=") throw new PatternError(`Bad numeric range operator: ${op2}`);
  if (typeof n2 !== "number") throw new PatternError(`Value of ${op2} must be numeric`);
  if (n2 <= n1) throw new PatternError("Bottom must be less than top");
  if (rest.length > 0) throw new PatternError("Too many terms in numeric range expression");
  ranges.push([op2, n2]);
  return ranges;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
