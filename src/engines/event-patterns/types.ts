// The compiled form of a content pattern (EventBridge event patterns, SNS filter
// policies, Lambda event-source filters): what parse.ts produces and match.ts runs.

/**
 * The differences between the users of the one syntax:
 * - "eventbridge" (and Lambda filters): every operator, nested keys, no size limits here.
 * - "sns": SNS subscription filter policies. No wildcard; at most 5 top-level keys and 150
 *   value combinations; in the MessageAttributes scope no nesting.
 */
export type PatternOptions =
  | { dialect: "eventbridge" }
  | { dialect: "sns"; scope: "MessageAttributes" | "MessageBody" };

export type Scalar = string | number | boolean | null;

export type Matcher =
  | { type: "exact"; value: Scalar }
  | { type: "prefix"; value: string; ignoreCase: boolean }
  | { type: "suffix"; value: string; ignoreCase: boolean }
  | { type: "equals-ignore-case"; value: string }
  /** `text` is the pattern as written (escapes included), for the complexity measure. */
  | { type: "wildcard"; regex: RegExp; text: string }
  | { type: "numeric"; ranges: Array<[NumericOperator, number]> }
  | { type: "exists"; value: boolean }
  | { type: "cidr"; cidr: CidrRange }
  /** Matches when none of `matchers` does (a list of values, or one prefix/suffix/wildcard/...). */
  | { type: "anything-but"; matchers: Matcher[] };

export type NumericOperator = "=" | "<" | "<=" | ">" | ">=";

export interface CidrRange {
  version: 4 | 6;
  /** The network address as a big integer and the prefix length. */
  network: bigint;
  bits: number;
}

/** A key of a pattern: either a nested pattern or a list of matchers (any may match). */
export type Field = { key: string; nested: Pattern } | { key: string; matchers: Matcher[] };

/** All fields must match, and for each `$or` group, at least one of its alternatives. */
export interface Pattern {
  fields: Field[];
  anyOf: Pattern[][];
  /** On the root of an EventBridge-dialect pattern: the event is read as the Ruler reads
   *  it, its dotted keys as paths (dotted-keys.ts). */
  paths?: true;
}

/**
 * A pattern the grammar refuses. `detail` is the reason as AWS words it ("Unrecognized
 * match type foo"; in EventBridge's dialect followed, as AWS sends it, by its JSON
 * parser's location "\n at [Source: ...; line: 1, column: 12]"); each service frames
 * it ("Invalid parameter: FilterPolicy: ...", "Event pattern is not valid. Reason: ..."). `framing` "scope" marks the one SNS
 * reason that is not about the policy's content (nesting in the MessageAttributes scope).
 */
export class PatternError extends Error {
  constructor(
    readonly detail: string,
    readonly framing: "pattern" | "scope" = "pattern",
  ) {
    super(detail);
    this.name = "PatternError";
  }
}
