import { isObject, listOf, parsePolicy, type ParsedPolicy, type Statement } from "./policy-grammar.js";
import { LegacyParseError, legacyParseResource, legacyParseStatement, resourceFormatProblem } from "./policy-legacy.js";

// IAM's validation of policy documents, in the order AWS applies its checks (the
// order matters: a document with several faults gets the first gate's message).
// Identity policies (managed policies, inline user/group/role policies) and trust
// policies (a role's AssumeRolePolicyDocument) share the grammar and differ after.
//
// Messages are AWS's. Identity-policy outcomes were recorded against AWS in
// LocalStack's test_iam_policies.snapshot.json (TestPolicyDocumentValidity); trust
// policy ones in test_iam_roles.snapshot.json (test_update_assume_role_policy_errors:
// invalid JSON, non-STS action, Resource present). "should not specify a principal"
// and "a statement with no principals" are AWS answers quoted in
// hashicorp/terraform#13449 and terraform-aws-modules/terraform-aws-iam#47.

const SYNTAX = "Syntax errors in policy.";
const OLD_VERSION = "Policy document must be version 2012-10-17 or greater.";
const LEGACY = "The policy failed legacy parsing";
const DUPLICATE_SID = "Statement IDs (SID) in a single policy must be unique.";
const NO_ACTIONS = "Policy statement must contain actions.";
const NO_RESOURCES = "Policy statement must contain resources.";
const PRINCIPAL_IN_IDENTITY = "Policy document should not specify a principal.";
const TRUST_INVALID_JSON = "This policy contains invalid Json";
const TRUST_RESOURCE = "Has prohibited field Resource";
const TRUST_ACTIONS = "AssumeRole policy may only specify STS AssumeRole actions.";
const TRUST_NO_PRINCIPAL =
  "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!";

/** Why IAM rejects this permissions policy, or undefined when it accepts it. */
export function identityPolicyProblem(text: string): string | undefined {
  const parsed = parsePolicy(text);
  if (!parsed) return SYNTAX;
  if (parsed.doc.Version !== "2012-10-17") return OLD_VERSION;
  if (parsed.statements.some((s) => "Principal" in s || "NotPrincipal" in s)) return PRINCIPAL_IN_IDENTITY;

  let resourceError: string | undefined;
  try {
    for (const s of parsed.statements) legacyParseStatement(s);
    resourceError = checkResourceFormats(parsed.statements);
  } catch (error) {
    if (error instanceof LegacyParseError) return LEGACY;
    throw error;
  }
  if (hasDuplicateSids(parsed)) return DUPLICATE_SID;
  if (!parsed.statements.every((s) => hasNonEmpty(s, "Action", "NotAction"))) return NO_ACTIONS;
  if (!parsed.statements.every((s) => hasNonEmpty(s, "Resource", "NotResource"))) return NO_RESOURCES;
  if (resourceError) return resourceError;
  return actionPrefixProblem(parsed.statements);
}

/** Why IAM rejects this role trust policy, or undefined when it accepts it. */
export function trustPolicyProblem(text: string): string | undefined {
  try {
    if (!isObject(JSON.parse(text))) return TRUST_INVALID_JSON;
  } catch {
    return TRUST_INVALID_JSON;
  }
  const parsed = parsePolicy(text);
  if (!parsed) return SYNTAX;
  try {
    for (const s of parsed.statements) legacyParseStatement(s);
  } catch (error) {
    if (error instanceof LegacyParseError) return LEGACY;
    throw error;
  }
  if (hasDuplicateSids(parsed)) return DUPLICATE_SID;
  if (!parsed.statements.every((s) => hasNonEmpty(s, "Action", "NotAction"))) return NO_ACTIONS;
  for (const s of parsed.statements) {
    if ("NotAction" in s || !listOf(s.Action).every(isAssumeRoleAction)) return TRUST_ACTIONS;
  }
  if (parsed.statements.some((s) => "Resource" in s || "NotResource" in s)) return TRUST_RESOURCE;
  if (parsed.statements.some((s) => !("Principal" in s) && !("NotPrincipal" in s))) return TRUST_NO_PRINCIPAL;
  return undefined;
}

/**
 * Resource formats of every statement, Resource before NotResource. The last bad
 * resource found is the one reported (AWS reads each list in descending order);
 * while none is bad, each statement's resources also go through legacy parsing.
 */
function checkResourceFormats(statements: Statement[]): string | undefined {
  let problem: string | undefined;
  for (const key of ["Resource", "NotResource"]) {
    for (const s of statements) {
      if (!(key in s)) continue;
      const value = s[key];
      const resources = Array.isArray(value) ? [...(value as string[])].sort().reverse() : [value as string];
      for (const r of resources) problem = resourceFormatProblem(r) ?? problem;
      if (problem === undefined) for (const r of listOf(value)) legacyParseResource(r);
    }
  }
  return problem;
}

function hasDuplicateSids(parsed: ParsedPolicy): boolean {
  const seen = new Set<string>();
  for (const s of parsed.statements) {
    const sid = s.Sid;
    if (typeof sid !== "string" || sid === "") continue;
    if (seen.has(sid)) return true;
    seen.add(sid);
  }
  return false;
}

/** The element (or its Not- form) is present, and not an empty list. */
function hasNonEmpty(s: Statement, key: string, notKey: string): boolean {
  if (key in s) return !Array.isArray(s[key]) || (s[key] as unknown[]).length > 0;
  if (notKey in s) return !Array.isArray(s[notKey]) || (s[notKey] as unknown[]).length > 0;
  return false;
}

function actionPrefixProblem(statements: Statement[]): string | undefined {
  for (const key of ["Action", "NotAction"]) {
    for (const s of statements) {
      for (const action of listOf(s[key])) {
        const parts = action.split(":");
        if (parts.length === 1 && parts[0] !== "*") return "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
        if (parts.length > 2) return "Actions/Condition can contain only one colon.";
        if (parts[0] !== "*" && /[^a-zA-Z0-9\-.]/.test(parts[0])) return `Vendor ${parts[0]} is not valid`;
      }
    }
  }
  return undefined;
}

/** STS actions a trust policy may grant (IAM User Guide, "Role trust policies";
 *  Service Authorization Reference, AWS STS actions usable in trust policies). */
const TRUST_ACTIONS_ALLOWED = [
  "sts:assumerole",
  "sts:assumerolewithsaml",
  "sts:assumerolewithwebidentity",
  "sts:tagsession",
  "sts:setsourceidentity",
  "sts:setcontext",
];

function isAssumeRoleAction(action: string): boolean {
  const a = action.toLowerCase();
  if (TRUST_ACTIONS_ALLOWED.includes(a)) return true;
  // Wildcards are fine as long as they grant one of the AssumeRole actions ("sts:*", "sts:Assume*").
  if (!a.includes("*") && !a.includes("?")) return false;
  const pattern = new RegExp(`^${a.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`);
  return TRUST_ACTIONS_ALLOWED.slice(0, 3).some((allowed) => pattern.test(allowed));
}

/**
 * Policy documents as IAM answers them: URL-encoded per RFC 3986, every character
 * but the unreserved ones escaped (IAM API Reference, GetRolePolicy: "Policies
 * returned by this operation are URL-encoded compliant with RFC 3986"). boto3 and
 * the AWS CLI decode them; the JS SDK hands the encoded string to the caller.
 */
export function encodePolicyDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
