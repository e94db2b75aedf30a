import { baseConditionOperator, type Json, type Statement } from "./policy-grammar.js";

// IAM's second gate, which AWS reports as "The policy failed legacy parsing": exact
// case of Effect, parseable Date condition values, and ARNs that its older parser
// can split. Next to it, the resource-format checks whose own messages AWS defers
// until the actions and resources have been found present. The rules reproduce the
// outcomes recorded against AWS in LocalStack's TestPolicyDocumentValidity
// (78 invalid and 40 valid documents); moto's policy_validation.py was read for the
// same behaviour.

export class LegacyParseError extends Error {}

const INT64_MAX = 9223372036854775807n;

/** Effect in exact case, and every Date condition value parseable. */
export function legacyParseStatement(s: Statement): void {
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new LegacyParseError();
  const condition = s.Condition as Record<string, Record<string, Json>> | undefined;
  if (!condition) return;
  for (const [operator, block] of Object.entries(condition)) {
    if (!baseConditionOperator(operator).startsWith("Date")) continue;
    for (const value of Object.values(block)) {
      for (const v of Array.isArray(value) ? value : [value]) checkDateValue(String(v));
    }
  }
}

/** Python's int(): optional blanks and sign, digits with single underscores between. */
function pyInt(text: string): bigint {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!m) throw new LegacyParseError();
  const n = BigInt(m[2].replaceAll("_", ""));
  return m[1] === "-" ? -n : n;
}

function inRange(text: string, min: bigint, max: bigint): void {
  const n = pyInt(text);
  if (n < min || n > max) throw new LegacyParseError();
}

function checkDateValue(value: string): void {
  if (value.toLowerCase().includes("t") || value.includes("-")) checkIsoDate(value.toLowerCase());
  else inRange(value, 0n, INT64_MAX); // epoch seconds
}

function partition(text: string, sep: string): [string, string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, "", ""] : [text.slice(0, i), sep, text.slice(i + sep.length)];
}

/** ISO 8601 as Java's Joda parser took it: years of ±292 million, optional parts. */
function checkIsoDate(value: string): void {
  const [date, , time] = partition(value, "t");
  const negative = date.startsWith("-");
  const dateParts = (negative ? date.slice(1) : date).split("-");
  inRange((negative ? "-" : "") + dateParts[0], -292275054n, 292278993n);
  if (dateParts.length > 1) inRange(dateParts[1], 1n, 12n);
  if (dateParts.length > 2) inRange(dateParts[2], 1n, 31n);
  if (dateParts.length >= 4) throw new LegacyParseError();

  const timeParts = time.split(":");
  if (timeParts[0] !== "") inRange(timeParts[0], 0n, 23n);
  if (timeParts.length > 1) inRange(timeParts[1], 0n, 59n);
  if (timeParts.length <= 2) return;
  let seconds = timeParts[2];
  if (seconds.includes("z")) {
    const [before, , after] = partition(seconds, "z");
    if (after !== "") throw new LegacyParseError();
    seconds = before;
  } else if (seconds.includes("+")) {
    const [before, , zone] = partition(seconds, "+");
    seconds = before;
    const [hours, colon, minutes] = partition(zone, ":");
    if (hours.length !== 2) throw new LegacyParseError();
    inRange(hours, 0n, 23n);
    if (colon) {
      if (minutes.length !== 2) throw new LegacyParseError();
      inRange(minutes, 0n, 59n);
    }
  }
  const [whole, dot, fraction] = partition(seconds, ".");
  inRange(whole, 0n, 59n);
  if (dot) inRange(fraction, 0n, 999999999n);
}

const IAM_RESOURCE_PATHS = [
  "user/",
  "federated-user/",
  "role/",
  "group/",
  "instance-profile/",
  "mfa/",
  "server-certificate/",
  "policy/",
  "sms-mfa/",
  "saml-provider/",
  "oidc-provider/",
  "report/",
  "access-report/",
];

/** The message AWS gives for a badly formed resource, or undefined when it is fine. */
export function resourceFormatProblem(resource: string): string | undefined {
  if (resource === "*") return undefined;
  const [, colon1, afterFirst] = partition(resource, ":");
  if (!colon1) return `Resource ${resource} must be in ARN format or "*".`;
  const [partitionName, colon2, afterPartition] = partition(afterFirst, ":");
  if (partitionName !== "aws") {
    // AWS rebuilds the ARN it tried to read, with "*" for the parts it did not find.
    const rest = afterPartition.split(":");
    const service = rest[0] !== "" || rest.length > 1 ? rest[0] : "*";
    const region = rest.length > 1 ? rest[1] : "*";
    const account = rest.length > 2 ? rest[2] : "*";
    const id = rest.length > 3 ? rest.slice(3).join(":") : "*";
    return `Partition "${partitionName}" is not valid for resource "arn:${partitionName}:${service}:${region}:${account}:${id}".`;
  }
  if (!colon2) return "Resource vendor must be fully qualified and cannot contain regexes.";
  const [service, , afterService] = partition(afterPartition, ":");
  if (!afterService.startsWith(":")) {
    if (service === "iam") return `IAM resource ${resource} cannot contain region information.`;
    if (service === "s3") return `Resource ${resource} can not contain region information.`;
  }
  if (service === "iam") {
    const [, , afterRegion] = partition(afterService, ":");
    const [, , path] = partition(afterRegion, ":");
    if (path !== "*" && path !== "root" && !IAM_RESOURCE_PATHS.some((p) => path.startsWith(p))) {
      return `IAM resource path must either be "*", root, or start with ${IAM_RESOURCE_PATHS.join(", ")}.`;
    }
  }
  return undefined;
}

/** The older parser's view of an ARN: at least six parts when it has an empty one, and a service. */
export function legacyParseResource(resource: string): void {
  if (resource === "*") return;
  const parts = resource.split(":");
  if (!(parts.length >= 6 || !resource.includes("::"))) throw new LegacyParseError();
  if (parts.length < 3 || parts[2] === "") throw new LegacyParseError();
}
