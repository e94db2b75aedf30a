import { parseArn } from "../../platform/arn.js";
import { invalidBoundaryArn, noSuch } from "./errors.js";
import { isArn } from "./lookups.js";
import { identityPolicyProblem, trustPolicyProblem } from "./policy-document.js";
import { checkPolicySize, QUOTAS } from "./policy-size.js";
import type { IamContext } from "./types.js";

// Input checks shared by several handlers, beyond what the model's constraints say.

/** A permissions policy, as CreatePolicy, CreatePolicyVersion and Put*Policy check it. */
export function checkIdentityPolicy(ctx: IamContext, document: string): void {
  const problem = identityPolicyProblem(document);
  if (problem) throw ctx.errors.MalformedPolicyDocumentException(problem);
}

/** A role trust policy, as CreateRole and UpdateAssumeRolePolicy check it. */
export function checkTrustPolicy(ctx: IamContext, document: string): void {
  const problem = trustPolicyProblem(document);
  if (problem) throw ctx.errors.MalformedPolicyDocumentException(problem);
  checkPolicySize(ctx.errors, QUOTAS.trust, [document]);
}

/**
 * A permissions boundary must name an existing managed policy. Recorded against AWS
 * (test_iam_roles.snapshot.json, test_role_permissions_boundary_errors): an ARN that
 * is not a policy's is InvalidInput "ARN <arn> is not valid."; a policy that does
 * not exist is NoSuchEntity "Scope ARN: <arn> does not exist or is not attachable."
 */
export function checkBoundary(ctx: IamContext, arn: string): void {
  const parsed = parseArn(arn);
  if (!isArn(arn) || parsed?.service !== "iam" || !parsed.resource.startsWith("policy/")) {
    throw invalidBoundaryArn(ctx.errors, arn);
  }
  if (!ctx.store.policy(arn)) throw noSuch.boundary(ctx.errors, arn);
}
