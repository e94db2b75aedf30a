import type { ModelErrors } from "../service.js";
import { limit } from "./errors.js";

// IAM's size quotas on policy text, counted without whitespace (IAM User Guide,
// "IAM and AWS STS quotas": "IAM does not count white space when calculating the
// size of a policy against these limits"). Inline policy quotas are per entity,
// the sum of all its inline policies. Exceeding one is LimitExceeded
// "Cannot exceed quota for <Quota>: <n>" (as AWS answers e.g. PolicySize: 6144).

export const QUOTAS = {
  managed: { name: "PolicySize", max: 6144 },
  user: { name: "UserPolicySize", max: 2048 },
  group: { name: "GroupPolicySize", max: 5120 },
  role: { name: "RolePolicySize", max: 10240 },
  trust: { name: "ACLSizePerRole", max: 2048 },
} as const;

export function policySize(text: string): number {
  return text.replace(/\s/g, "").length;
}

export function checkPolicySize(e: ModelErrors, quota: { name: string; max: number }, documents: string[]): void {
  const size = documents.reduce((sum, d) => sum + policySize(d), 0);
  if (size > quota.max) throw limit.quota(e, quota.name, quota.max);
}
