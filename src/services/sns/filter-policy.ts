import { setOwn } from "../../protocols/shape-walk.js";
import { matchPattern, parsePattern, PatternError, type Pattern } from "../../engines/event-patterns/index.js";
import { invalidParameter } from "./errors.js";
import { SnsLimits } from "./limits.js";
import type { MessageAttribute } from "./types.js";

// SNS subscription filter policies on the shared pattern engine: compiling with SNS's
// dialect and error framing, and presenting a message to the engine in either scope.

export type FilterPolicyScope = "MessageAttributes" | "MessageBody";

/**
 * Compiles a policy. AWS frames the engine's reason by the call: Subscribe says
 * "Invalid parameter: Attributes Reason: FilterPolicy: ...", SetSubscriptionAttributes
 * "Invalid parameter: FilterPolicy: ..." (the scope complaint has no "FilterPolicy: ").
 */
export function compileFilterPolicy(text: string, scope: string | undefined, call: "Subscribe" | "SetSubscriptionAttributes" | "stored"): Pattern | undefined {
  const prefix = call === "Subscribe" ? "Attributes Reason: " : "";
  // "The maximum size of a filter policy is 256 KB" (Filter policy constraints in Amazon SNS).
  if (call !== "stored" && Buffer.byteLength(text) > SnsLimits.maxFilterPolicyBytes) throw invalidParameter(`${prefix}FilterPolicy: Filter policy is too long`);
  try {
    const parsed = JSON.parse(text) as unknown;
    // An empty policy ({}) filters nothing out.
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Object.keys(parsed).length === 0) return undefined;
    return parsePattern(parsed, { dialect: "sns", scope: scope === "MessageBody" ? "MessageBody" : "MessageAttributes" });
  } catch (error) {
    if (call === "stored") return undefined;
    if (error instanceof PatternError) {
      throw invalidParameter(`${prefix}${error.framing === "scope" ? "" : "FilterPolicy: "}${error.detail}`);
    }
    throw invalidParameter(`${prefix}FilterPolicy: failed to parse JSON.`);
  }
}

/**
 * Message attributes as the engine sees them: String as a string, Number as a
 * number, String.Array as its JSON array; Binary attributes are not filterable
 * (AWS ignores them), so they are left out.
 */
export function attributesForFilter(attributes: Record<string, MessageAttribute> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(attributes ?? {})) {
    const type = attr.DataType ?? "";
    if (type.startsWith("Binary")) continue;
    const value = attr.StringValue ?? "";
    let parsed: unknown = value;
    if (type.startsWith("Number")) parsed = Number(value);
    else if (type === "String.Array") {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = value;
      }
    }
    // An attribute's name is the client's text: "__proto__" is a name like any other.
    setOwn(out, name, parsed);
  }
  return out;
}

/** Whether a message passes a subscription's policy, in the policy's scope. */
export function passesFilter(policy: Pattern | undefined, scope: string | undefined, message: string, attributes: Record<string, unknown>): boolean {
  if (!policy) return true;
  if (scope === "MessageBody") {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof body === "object" && body !== null && !Array.isArray(body) && matchPattern(policy, body);
  }
  return matchPattern(policy, attributes);
}
