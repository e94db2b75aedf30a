// The first gate of IAM's policy validation: the JSON grammar of a policy
// (IAM User Guide, "Grammar of the IAM JSON policy language"). Anything that
// fails here is, on AWS, "Syntax errors in policy." (recorded: LocalStack's
// test_iam_policies.snapshot.json, TestPolicyDocumentValidity, against AWS).
//
// A parsed document's statements are normalized to a list, as IAM reads a single
// statement object and a list alike.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Statement = Record<string, Json>;

export interface ParsedPolicy {
  doc: Record<string, Json>;
  statements: Statement[];
}

const TOP_ELEMENTS = new Set(["Version", "Id", "Statement"]);
export const VALID_VERSIONS = new Set(["2008-10-17", "2012-10-17"]);
const STATEMENT_ELEMENTS = new Set([
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);

/** Condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators"). */
const CONDITION_OPERATORS = new Set([
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
]);

export function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The operator without its set prefix (ForAnyValue:, ForAllValues:) and IfExists suffix. */
export function baseConditionOperator(operator: string): string {
  let op = operator;
  for (const prefix of ["ForAnyValue:", "ForAllValues:"]) {
    if (op.startsWith(prefix)) {
      op = op.slice(prefix.length);
      break;
    }
  }
  if (op.endsWith("IfExists")) op = op.slice(0, -"IfExists".length);
  return op;
}

/** Parses and checks the grammar; undefined when the text is not a policy at all. */
export function parsePolicy(text: string): ParsedPolicy | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  for (const key of Object.keys(doc)) if (!TOP_ELEMENTS.has(key)) return undefined;
  if ("Version" in doc && !(typeof doc.Version === "string" && VALID_VERSIONS.has(doc.Version))) return undefined;
  if ("Id" in doc && typeof doc.Id !== "string") return undefined;
  const statement = doc.Statement;
  let statements: Json[];
  if (Array.isArray(statement)) statements = statement;
  else if (isObject(statement)) statements = [statement];
  else return undefined;
  if (statements.length === 0) return undefined;
  for (const s of statements) if (!statementIsWellFormed(s)) return undefined;
  return { doc, statements: statements as Statement[] };
}

function statementIsWellFormed(s: Json): boolean {
  if (!isObject(s)) return false;
  for (const key of Object.keys(s)) if (!STATEMENT_ELEMENTS.has(key)) return false;
  if ("Resource" in s && "NotResource" in s) return false;
  if ("Action" in s && "NotAction" in s) return false;
  if ("Principal" in s && "NotPrincipal" in s) return false;
  // Effect is matched without case here; its exact case is a legacy-parsing rule.
  if (typeof s.Effect !== "string" || !["allow", "deny"].includes(s.Effect.toLowerCase())) return false;
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
    if (key in s && !isStringOrStrings(s[key])) return false;
  }
  for (const key of ["Principal", "NotPrincipal"]) {
    if (key in s && !principalIsWellFormed(s[key])) return false;
  }
  if ("Condition" in s && !conditionIsWellFormed(s.Condition)) return false;
  if ("Sid" in s && typeof s.Sid !== "string") return false;
  return true;
}

function isStringOrStrings(value: Json): boolean {
  if (typeof value === "string") return true;
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** "*" or { "AWS" | "Service" | "Federated" | "CanonicalUser": string | string[] }. */
function principalIsWellFormed(value: Json): boolean {
  if (value === "*") return true;
  if (!isObject(value)) return false;
  return Object.values(value).every(isStringOrStrings);
}

function conditionIsWellFormed(condition: Json): boolean {
  if (!isObject(condition)) return false;
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) return false;
    for (const value of Object.values(block)) {
      // Strings as the grammar writes them; AWS also takes bare numbers and booleans
      // (e.g. {"Bool": {"aws:SecureTransport": false}}).
      const scalar = (v: Json) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
      if (!(scalar(value) || (Array.isArray(value) && value.every(scalar)))) return false;
    }
    // An unknown operator is only accepted with nothing under it.
    if (!CONDITION_OPERATORS.has(baseConditionOperator(operator)) && Object.keys(block).length > 0) return false;
  }
  return true;
}

/** Action/Resource-like elements as a list. */
export function listOf(value: Json | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as string[]) : [value as string];
}
