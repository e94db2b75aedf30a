import type {
  CreatePolicyVersionCommandInput,
  CreatePolicyVersionCommandOutput,
  DeletePolicyVersionCommandInput,
  DeletePolicyVersionCommandOutput,
  GetPolicyVersionCommandInput,
  GetPolicyVersionCommandOutput,
  ListPolicyVersionsCommandInput,
  ListPolicyVersionsCommandOutput,
  SetDefaultPolicyVersionCommandInput,
  SetDefaultPolicyVersionCommandOutput,
} from "@aws-sdk/client-iam";
import { conflict, invalidArn, limit, noSuch } from "../errors.js";
import { isArn, requireCustomerPolicy, requirePolicy } from "../lookups.js";
import { pageFields, paginate } from "../pagination.js";
import { checkPolicySize, QUOTAS } from "../policy-size.js";
import type { PolicyVersionRecord, PolicyView } from "../records.js";
import { keyOf } from "../store.js";
import { nowSeconds, type IamContext, type IamHandler } from "../types.js";
import { policyVersionView } from "../views.js";
import { checkIdentityPolicy } from "../validate.js";

// Versions of managed policies: at most five, ids counting up and never reused
// (recorded against AWS: test_iam_policies.snapshot.json test_policy_version_limit,
// where v6 follows a deleted one). A version of a missing policy, or a missing
// version, is NoSuchEntity "Policy <arn> version <v> does not exist or is not attachable."

const MAX_VERSIONS = 5;

function requireVersion(ctx: IamContext, arn: string, versionId: string): [PolicyView, PolicyVersionRecord] {
  if (!isArn(arn)) throw invalidArn(arn);
  const policy = ctx.store.policy(arn);
  const version = policy?.Versions.find((v) => v.VersionId === versionId);
  if (!policy || !version) throw noSuch.policyVersion(ctx.errors, arn, versionId);
  return [policy, version];
}

export const CreatePolicyVersion: IamHandler<CreatePolicyVersionCommandInput, CreatePolicyVersionCommandOutput> = (input, ctx) => {
  const policy = requireCustomerPolicy(ctx, input.PolicyArn!);
  const document = input.PolicyDocument!;
  checkIdentityPolicy(ctx, document);
  checkPolicySize(ctx.errors, QUOTAS.managed, [document]);
  if (policy.Versions.length >= MAX_VERSIONS) throw limit.versions(ctx.errors);
  const now = nowSeconds(ctx);
  const version = { VersionId: `v${policy.NextVersion}`, Document: document, CreateDate: now };
  policy.NextVersion += 1;
  policy.Versions.unshift(version);
  if (input.SetAsDefault) {
    policy.DefaultVersionId = version.VersionId;
    policy.UpdateDate = now;
  }
  ctx.store.policies.put(keyOf(policy.PolicyName), policy);
  return { PolicyVersion: policyVersionView({ ...policy, awsManaged: false }, version, false) };
};

export const GetPolicyVersion: IamHandler<GetPolicyVersionCommandInput, GetPolicyVersionCommandOutput> = (input, ctx) => {
  const [policy, version] = requireVersion(ctx, input.PolicyArn!, input.VersionId!);
  return { PolicyVersion: policyVersionView(policy, version, true) };
};

export const ListPolicyVersions: IamHandler<ListPolicyVersionsCommandInput, ListPolicyVersionsCommandOutput> = (input, ctx) => {
  const policy = requirePolicy(ctx, input.PolicyArn!);
  // Newest first; a key that sorts ascending in that order.
  const order = (v: PolicyVersionRecord) => String(1e12 - Number(v.VersionId.slice(1).split(".")[0])).padStart(13, "0");
  const page = paginate(policy.Versions, order, input);
  return { Versions: page.items.map((v) => policyVersionView(policy, v, false)), ...pageFields(page) };
};

export const DeletePolicyVersion: IamHandler<DeletePolicyVersionCommandInput, DeletePolicyVersionCommandOutput> = (input, ctx) => {
  const [view, version] = requireVersion(ctx, input.PolicyArn!, input.VersionId!);
  const policy = requireCustomerPolicy(ctx, view.Arn);
  if (version.VersionId === policy.DefaultVersionId) throw conflict.defaultVersion(ctx.errors);
  policy.Versions = policy.Versions.filter((v) => v.VersionId !== version.VersionId);
  ctx.store.policies.put(keyOf(policy.PolicyName), policy);
  return {};
};

export const SetDefaultPolicyVersion: IamHandler<SetDefaultPolicyVersionCommandInput, SetDefaultPolicyVersionCommandOutput> = (
  input,
  ctx,
) => {
  const [view, version] = requireVersion(ctx, input.PolicyArn!, input.VersionId!);
  const policy = requireCustomerPolicy(ctx, view.Arn);
  policy.DefaultVersionId = version.VersionId;
  policy.UpdateDate = nowSeconds(ctx);
  ctx.store.policies.put(keyOf(policy.PolicyName), policy);
  return {};
};
