import { resolveRetryPolicy, retryDelays } from "./http-delivery.js";

// The checks SNS makes on an HTTP/S DeliveryPolicy before storing it ("Amazon SNS
// message delivery retries", "Creating an HTTP/S delivery policy"): a subscription's
// retry policy is its "healthyRetryPolicy", a topic's "http.defaultHealthyRetryPolicy".
// AWS words the total-time rule "DeliveryPolicy: http.defaultHealthyRetryPolicy: Total
// policy retry time cannot be greater than 3600 seconds"; the other reasons follow
// that framing. The throttle policy's maxReceivesPerSecond is "1 or greater".

const MAX_TOTAL_SECONDS = 3600;
const MAX_RETRIES = 100;
const BACKOFF_FUNCTIONS = new Set(["linear", "arithmetic", "geometric", "exponential"]);
const COUNTS = ["numRetries", "numNoDelayRetries", "numMinDelayRetries", "numMaxDelayRetries"] as const;

/**
 * The reason a parsed DeliveryPolicy is refused ("DeliveryPolicy: <path>: <why>"), or
 * undefined when it is acceptable.
 */
export function deliveryPolicyProblem(policy: unknown, level: "topic" | "subscription"): string | undefined {
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) return "DeliveryPolicy: failed to parse JSON.";
  return throttleProblem(policy, level) ?? retryProblem(policy, level);
}

/** throttlePolicy (a topic's http.defaultThrottlePolicy): maxReceivesPerSecond, "1 or greater". */
function throttleProblem(policy: object, level: "topic" | "subscription"): string | undefined {
  const path = level === "topic" ? "http.defaultThrottlePolicy" : "throttlePolicy";
  const throttle = level === "topic" ? (policy as { http?: { defaultThrottlePolicy?: unknown } }).http?.defaultThrottlePolicy
    : (policy as { throttlePolicy?: unknown }).throttlePolicy;
  if (throttle === undefined || throttle === null) return undefined;
  if (typeof throttle !== "object" || Array.isArray(throttle)) return `DeliveryPolicy: ${path}: must be a JSON object`;
  const v = (throttle as Record<string, unknown>).maxReceivesPerSecond;
  if (v === undefined) return undefined;
  const n = typeof v === "number" || (typeof v === "string" && v.trim() !== "") ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1) return `DeliveryPolicy: ${path}: maxReceivesPerSecond must be an integer greater than or equal to 1`;
  return undefined;
}

function retryProblem(policy: object, level: "topic" | "subscription"): string | undefined {
  const path = level === "topic" ? "http.defaultHealthyRetryPolicy" : "healthyRetryPolicy";
  const retry = level === "topic" ? (policy as { http?: { defaultHealthyRetryPolicy?: unknown } }).http?.defaultHealthyRetryPolicy
    : (policy as { healthyRetryPolicy?: unknown }).healthyRetryPolicy;
  if (retry === undefined || retry === null) return undefined;
  const why = (reason: string) => `DeliveryPolicy: ${path}: ${reason}`;
  if (typeof retry !== "object" || Array.isArray(retry)) return why("must be a JSON object");
  const given = retry as Record<string, unknown>;
  const whole = (name: string, min: number, max: number): string | undefined => {
    const v = given[name];
    if (v === undefined) return undefined;
    const n = typeof v === "number" || (typeof v === "string" && v.trim() !== "") ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) return why(`${name} must be an integer between ${min} and ${max}`);
    return undefined;
  };
  const problem = whole("numRetries", 0, MAX_RETRIES) ?? whole("numNoDelayRetries", 0, MAX_RETRIES) ?? whole("numMinDelayRetries", 0, MAX_RETRIES)
    ?? whole("numMaxDelayRetries", 0, MAX_RETRIES) ?? whole("minDelayTarget", 1, MAX_TOTAL_SECONDS) ?? whole("maxDelayTarget", 1, MAX_TOTAL_SECONDS);
  if (problem) return problem;
  if (given.backoffFunction !== undefined && !BACKOFF_FUNCTIONS.has(String(given.backoffFunction))) {
    return why("backoffFunction must be one of linear, arithmetic, geometric, exponential");
  }
  const resolved = resolveRetryPolicy(given);
  if (resolved.minDelayTarget > resolved.maxDelayTarget) return why("minDelayTarget must be less than or equal to maxDelayTarget");
  const phases = resolved.numNoDelayRetries + resolved.numMinDelayRetries + resolved.numMaxDelayRetries;
  if (phases > resolved.numRetries) {
    return why(`numRetries must be greater than or equal to the sum of ${COUNTS.slice(1).join(", ")}`);
  }
  const total = retryDelays(resolved).reduce((sum, d) => sum + d, 0);
  if (total > MAX_TOTAL_SECONDS) return why(`Total policy retry time cannot be greater than ${MAX_TOTAL_SECONDS} seconds`);
  return undefined;
}
