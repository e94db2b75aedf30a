import type { PolicyDescriptorType, Tag } from "@aws-sdk/client-sts";
import type { ModelErrors } from "../service.js";
import { invalidParameterValue } from "./errors.js";

// What a session may carry: an inline session policy, managed policy ARNs and
// session tags. AWS packs them into a binary form with its own limit and reports
// how full it is as PackedPolicySize, a percentage (AssumeRole API reference);
// over 100 is PackedPolicyTooLarge, "Packed policy consumes N% of allotted space,
// please use smaller policy." We size the plain text against the documented
// 2,048-character allowance for session policies, so a request that AWS's
// plain-text limits admit stays under 100%.

const ALLOWANCE = 2048;

export interface SessionInput {
  Policy?: string;
  PolicyArns?: PolicyDescriptorType[];
  Tags?: Tag[];
  TransitiveTagKeys?: string[];
}

/** Validates the session policy and tags; answers PackedPolicySize, or undefined when none were given. */
export function packSession(e: ModelErrors, input: SessionInput): number | undefined {
  const { Policy, PolicyArns, Tags } = input;
  checkTags(input);
  if (Policy === undefined && !PolicyArns?.length && !Tags?.length) return undefined;
  let text = "";
  if (Policy !== undefined) {
    try {
      text += JSON.stringify(JSON.parse(Policy));
    } catch {
      // The JSON parser behind STS reports its own error; we say what is wrong in IAM's words.
      throw e.MalformedPolicyDocumentException("Syntax errors in policy.");
    }
  }
  for (const arn of PolicyArns ?? []) text += arn.arn ?? "";
  for (const tag of Tags ?? []) text += `${tag.Key ?? ""}${tag.Value ?? ""}`;
  const percent = Math.ceil((text.length / ALLOWANCE) * 100);
  if (percent > 100) throw e.PackedPolicyTooLargeException(`Packed policy consumes ${percent}% of allotted space, please use smaller policy.`);
  return percent;
}

/**
 * Session tags: keys are unique without case, and transitive keys must be among
 * them (both recorded against AWS: LocalStack test_sts.snapshot.json,
 * test_assume_role_tag_validation).
 */
function checkTags(input: SessionInput): void {
  const keys = (input.Tags ?? []).map((t) => (t.Key ?? "").toLowerCase());
  if (new Set(keys).size !== keys.length) {
    throw invalidParameterValue("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  }
  for (const key of input.TransitiveTagKeys ?? []) {
    if (!keys.includes(key.toLowerCase())) {
      throw invalidParameterValue("The specified transitive tag key must be included in the requested tags.");
    }
  }
}
