import { isIP } from "node:net";
import { parseCidr } from "./cidr.js";
import { JsonCursor, JsonSyntaxError, type TokenType } from "./json-cursor.js";
import { type Field, type Matcher, type NumericOperator, type Pattern, PatternError } from "./types.js";
import { wildcardRegex } from "./wildcard.js";

// EventBridge's event-pattern grammar, read token by token in the order AWS's
// compiler (aws/event-ruler's JsonRuleCompiler) reads it, so that a pattern AWS
// refuses fails with AWS's reason and the parser's location after it
// ("Reason: \"int\" must be an object or an array\n at [Source: (String)...]").
// The reasons are those AWS answers (recorded against AWS in LocalStack's
// test_events_patterns snapshots) and the Ruler's where none was recorded; the
// operators are those of "Content filtering in Amazon EventBridge event patterns",
// including the anything-but forms newer than the open-source Ruler (wildcard and
// lists of prefixes, suffixes, wildcards and case-insensitive values).

/** Keys the Ruler refuses as field names inside $or (its RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP). */
const RESERVED_IN_OR = new Set(["anything-but", "exists", "prefix", "suffix", "numeric", "cidr", "equals-ignore-case", "wildcard"]);
const NUMERIC_OPERATORS = new Set(["<", "<=", "=", ">", ">="]);

export function parseEventPattern(text: string): Pattern {
  const parser = new RulerParser(new JsonCursor(text));
  try {
    return parser.pattern();
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new PatternError(error.message);
    throw error;
  }
}

class RulerParser {
  constructor(private readonly json: JsonCursor) {}

  /** Jackson's JsonParseException: the reason and where the parser stands. */
  private barf(reason: string): never {
    throw new PatternError(reason + this.json.location());
  }

  /** A list error the compiler catches and reports again: its location twice. */
  private barfTwice(reason: string): never {
    const at = this.json.location();
    throw new PatternError(reason + at + at);
  }

  pattern(): Pattern {
    if (this.json.next() !== "START_OBJECT") this.barf("Filter is not an object");
    return { ...this.object(false), paths: true };
  }

  private object(insideOr: boolean): Pattern {
    const pattern: Pattern = { fields: [], anyOf: [] };
    let fieldsPresent = false;
    for (let t = this.json.next(); t !== "END_OBJECT"; t = this.json.next()) {
      fieldsPresent = true;
      const name = this.json.text();
      if (name === "$or") {
        pattern.anyOf.push(this.or());
        continue;
      }
      if (insideOr && RESERVED_IN_OR.has(name)) this.barf(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
      const value = this.json.next();
      // The Ruler joins a field's path with dots, so "a.b" is the path a -> b.
      const path = name.split(".");
      if (value === "START_OBJECT") placeNested(pattern, path, this.object(insideOr));
      else if (value === "START_ARRAY") placeValues(pattern, path, this.values());
      else this.barf(`"${name}" must be an object or an array`);
    }
    if (!fieldsPresent) this.barf("Empty objects are not allowed");
    return pattern;
  }

  private or(): Pattern[] {
    if (this.json.next() !== "START_ARRAY") this.barf("It must be an Array followed with $or.");
    const alternatives: Pattern[] = [];
    for (let t = this.json.next(); t !== "END_ARRAY"; t = this.json.next()) {
      if (t !== "START_OBJECT") this.barf("Only JSON object is allowed in array of $or relationship.");
      alternatives.push(this.object(true));
    }
    if (alternatives.length < 2) this.barf("There must have at least 2 Objects in $or relationship.");
    return alternatives;
  }

  /** A field's list: exact values and match expressions, any of which may match. */
  private values(): Matcher[] {
    const matchers: Matcher[] = [];
    for (let t = this.json.next(); t !== "END_ARRAY"; t = this.json.next()) {
      switch (t) {
        case "START_OBJECT":
          matchers.push(this.expression());
          break;
        case "VALUE_STRING":
          matchers.push({ type: "exact", value: this.json.text() });
          break;
        case "VALUE_NUMBER":
          matchers.push({ type: "exact", value: Number(this.json.text()) });
          break;
        case "VALUE_TRUE":
        case "VALUE_FALSE":
          matchers.push({ type: "exact", value: t === "VALUE_TRUE" });
          break;
        case "VALUE_NULL":
          matchers.push({ type: "exact", value: null });
          break;
        default:
          this.barf("Match value must be String, number, true, false, or null");
      }
    }
    if (matchers.length === 0) this.barf("Empty arrays are not allowed");
    return matchers;
  }

  /** {"operator": value} in a field's list; the cursor is on its `{`. */
  private expression(): Matcher {
    if (this.json.next() !== "FIELD_NAME") this.barf("Match expression name not found");
    const operator = this.json.text();
    let matcher: Matcher;
    switch (operator) {
      case "prefix":
      case "suffix":
        matcher = this.affix(operator);
        break;
      case "equals-ignore-case":
        matcher = { type: "equals-ignore-case", value: this.string("equals-ignore-case match pattern must be a string") };
        break;
      case "wildcard":
        matcher = this.wildcard(this.string("wildcard match pattern must be a string"));
        break;
      case "numeric":
        if (this.json.next() !== "START_ARRAY") this.barf("Value of numeric must be an array.");
        matcher = { type: "numeric", ranges: this.numeric() };
        if (this.json.next() !== "END_OBJECT") this.barf("Too many elements in numeric expression");
        return matcher;
      case "exists": {
        const t = this.json.next();
        if (t !== "VALUE_TRUE" && t !== "VALUE_FALSE") this.barf("exists match pattern must be either true or false.");
        matcher = { type: "exists", value: t === "VALUE_TRUE" };
        break;
      }
      case "cidr":
        matcher = { type: "cidr", cidr: cidr(this.string("prefix match pattern must be a string")) };
        break;
      case "anything-but":
        return this.anythingBut();
      default:
        this.barf(`Unrecognized match type ${operator}`);
    }
    if (this.json.next() !== "END_OBJECT") this.barf("Only one key allowed in match expression");
    return matcher;
  }

  private string(reason: string): string {
    if (this.json.next() !== "VALUE_STRING") this.barf(reason);
    return this.json.text();
  }

  /** {"prefix": "x"}, and {"prefix": {"equals-ignore-case": "x"}} ("Prefix matching while ignoring case"). */
  private affix(operator: "prefix" | "suffix"): Matcher {
    const t = this.json.next();
    if (t === "START_OBJECT") {
      if (this.json.next() !== "FIELD_NAME") this.barf("Match expression name not found");
      const inner = this.json.text();
      if (inner !== "equals-ignore-case") this.barf(`Unsupported ${operator} pattern: ${inner}`);
      const value = this.string("equals-ignore-case match pattern must be a string");
      if (this.json.next() !== "END_OBJECT") this.barf("Only one key allowed in match expression");
      return { type: operator, value: value.toLowerCase(), ignoreCase: true };
    }
    if (t !== "VALUE_STRING") this.barf(`${operator} match pattern must be a string`);
    return { type: operator, value: this.json.text(), ignoreCase: false };
  }

  private wildcard(text: string): Matcher {
    try {
      return { type: "wildcard", regex: wildcardRegex(text), text };
    } catch (error) {
      if (error instanceof PatternError) this.barf(error.detail);
      throw error;
    }
  }

  /** ["<", 5], [">=", 1, "<", 10], ["=", 3.5]: the cursor is on the `[`. */
  private numeric(): Array<[NumericOperator, number]> {
    if (this.json.next() !== "VALUE_STRING") this.barf(`Invalid member in numeric match: ${this.json.text()}`);
    const operator = this.json.text();
    const t = this.json.next();
    if (!NUMERIC_OPERATORS.has(operator)) this.barf(`Unrecognized numeric range operator: ${operator}`);
    if (t !== "VALUE_NUMBER") this.barf(`Value of ${operator === "=" ? "equals" : operator} must be numeric`);
    const bottom = Number(this.json.text());
    const ranges: Array<[NumericOperator, number]> = [[operator as NumericOperator, bottom]];
    const after = this.json.next();
    if (after === "END_ARRAY") return ranges;
    if (operator !== ">" && operator !== ">=") this.barf("Too many elements in numeric expression");
    if (after !== "VALUE_STRING") this.barf(`Bad value in numeric range: ${this.json.text()}`);
    const top = this.json.text();
    if (top !== "<" && top !== "<=") this.barf(`Bad numeric range operator: ${top}`);
    if (this.json.next() !== "VALUE_NUMBER") this.barf(`Value of ${top} must be numeric`);
    const topValue = Number(this.json.text());
    if (this.json.next() !== "END_ARRAY") this.barf("Too many terms in numeric range expression");
    if (!(bottom < topValue)) this.barf("Bottom must be less than top");
    ranges.push([top, topValue]);
    return ranges;
  }

  /** {"anything-but": ...}: the cursor is on its field name; reads through the expression's `}`. */
  private anythingBut(): Matcher {
    let t = this.json.next();
    let inner: string | undefined;
    if (t === "START_OBJECT") {
      if (this.json.next() !== "FIELD_NAME") this.barf("Anything-But expression name not found");
      inner = this.json.text();
      if (!["prefix", "suffix", "wildcard", "equals-ignore-case"].includes(inner)) this.barf(`Unsupported anything-but pattern: ${inner}`);
      t = this.json.next();
    }
    let matchers: Matcher[];
    if (inner === undefined) matchers = this.anythingButValues(t);
    else if (t === "START_ARRAY") matchers = this.anythingButList(inner);
    else matchers = [this.anythingButOne(inner, t, false)];
    if (inner !== undefined && this.json.next() !== "END_OBJECT") this.barf("Only one key allowed in match expression");
    if (this.json.next() !== "END_OBJECT") this.barf("Only one key allowed in match expression");
    return { type: "anything-but", matchers };
  }

  /** anything-but "x", 5, or a list of only strings or only numbers. */
  private anythingButValues(t: TokenType | undefined): Matcher[] {
    if (t === "VALUE_STRING") return [{ type: "exact", value: this.json.text() }];
    if (t === "VALUE_NUMBER") return [{ type: "exact", value: Number(this.json.text()) }];
    if (t !== "START_ARRAY") this.barf("Value of anything-but must be an array or single string/number value.");
    const matchers: Matcher[] = [];
    let strings = false;
    let numbers = false;
    for (let v = this.json.next(); v !== "END_ARRAY"; v = this.json.next()) {
      if (v === "VALUE_STRING") {
        strings = true;
        matchers.push({ type: "exact", value: this.json.text() });
      } else if (v === "VALUE_NUMBER") {
        numbers = true;
        matchers.push({ type: "exact", value: Number(this.json.text()) });
      } else {
        this.barfTwice("Inside anything but list, start|null|boolean is not supported.");
      }
    }
    if (strings === numbers) this.barf("Inside anything but list, either all values are number or string, mixed type is not supported");
    return matchers;
  }

  private anythingButList(inner: string): Matcher[] {
    const matchers: Matcher[] = [];
    for (let v = this.json.next(); v !== "END_ARRAY"; v = this.json.next()) matchers.push(this.anythingButOne(inner, v, true));
    if (matchers.length === 0) this.barf("Empty arrays are not allowed");
    return matchers;
  }

  /** One value of {"anything-but": {"<inner>": value or [values]}}. */
  private anythingButOne(inner: string, t: TokenType | undefined, inList: boolean): Matcher {
    const refuse = (reason: string): never => (inList ? this.barfTwice(reason) : this.barf(reason));
    if (inner === "equals-ignore-case") {
      if (t !== "VALUE_STRING") refuse("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
      return { type: "equals-ignore-case", value: this.json.text() };
    }
    if (inner === "wildcard") {
      if (t !== "VALUE_STRING") refuse("wildcard match pattern must be a string");
      return this.wildcard(this.json.text());
    }
    // prefix / suffix; {"prefix": {"equals-ignore-case": ...}} is not taken under anything-but.
    if (t === "START_OBJECT" && !inList) this.barf("Value of anything-but must be an array or single string/number value.");
    if (t !== "VALUE_STRING") refuse("prefix/suffix match pattern must be a string");
    const text = this.json.text();
    if (text === "") this.barf("Null prefix/suffix not allowed");
    return { type: inner as "prefix" | "suffix", value: text, ignoreCase: false };
  }
}

// Fields by path. The Ruler compiles a pattern into dotted paths ("Compiled rules and
// JSON keys with dots" in its README), so {"detail.state": [...]} and {"detail":
// {"state": [...]}} are one rule, and AWS's TestEventPattern answers true for a dotted
// key against the nested field. Objects met twice on a path are one object; a path's
// list of values given twice keeps the last, as the Ruler's map of paths does.

function nestedAt(pattern: Pattern, key: string): Pattern {
  const existing = pattern.fields.find((f): f is Extract<Field, { nested: Pattern }> => f.key === key && "nested" in f);
  if (existing) return existing.nested;
  const nested: Pattern = { fields: [], anyOf: [] };
  pattern.fields.push({ key, nested });
  return nested;
}

function placeNested(pattern: Pattern, path: string[], nested: Pattern): void {
  let parent = pattern;
  for (const key of path.slice(0, -1)) parent = nestedAt(parent, key);
  const key = path[path.length - 1];
  const existing = parent.fields.find((f): f is Extract<Field, { nested: Pattern }> => f.key === key && "nested" in f);
  if (!existing) {
    parent.fields.push({ key, nested });
    return;
  }
  for (const field of nested.fields) {
    if ("nested" in field) placeNested(existing.nested, [field.key], field.nested);
    else placeValues(existing.nested, [field.key], field.matchers);
  }
  existing.nested.anyOf.push(...nested.anyOf);
}

function placeValues(pattern: Pattern, path: string[], matchers: Matcher[]): void {
  let parent = pattern;
  for (const key of path.slice(0, -1)) parent = nestedAt(parent, key);
  const key = path[path.length - 1];
  const field: Field = { key, matchers };
  const earlier = parent.fields.findIndex((f) => f.key === key && "matchers" in f);
  if (earlier >= 0) parent.fields[earlier] = field;
  else parent.fields.push(field);
}

/** The Ruler's CIDR checks; these reasons carry no location (they are not parser errors). */
function cidr(text: string) {
  const parts = text.split("/");
  // Java's split drops trailing empty strings: "10.0.0.0/" has one part.
  while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length !== 2) throw new PatternError("Malformed CIDR, one '/' required");
  if (!/^[+-]?\d{1,10}$/.test(parts[1]) || Math.abs(Number(parts[1])) > 2 ** 31 - 1) {
    throw new PatternError("Malformed CIDR, mask bits must be an integer");
  }
  const bits = Number(parts[1]);
  if (bits < 0) throw new PatternError("Malformed CIDR, mask bits must not be negative");
  const version = isIP(parts[0]);
  if (version === 0) throw new PatternError(`Nonstandard IP address: ${parts[0]}`);
  if (version === 4 && bits > 31) throw new PatternError("IPv4 mask bits must be < 32");
  if (version === 6 && bits > 127) throw new PatternError("IPv6 mask bits must be < 128");
  return parseCidr(`${parts[0]}/${bits}`)!;
}
