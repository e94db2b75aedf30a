import type {
  CreatePolicyCommandInput,
  CreatePolicyCommandOutput,
  DeletePolicyCommandInput,
  DeletePolicyCommandOutput,
  GetPolicyCommandInput,
  GetPolicyCommandOutput,
  ListPoliciesCommandInput,
  ListPoliciesCommandOutput,
} from "@aws-sdk/client-iam";
import { iamUniqueId } from "../../../platform/ids.js";
import { awsManagedPolicies } from "../aws-managed-policies.js";
import { conflict, exists } from "../errors.js";
import { requireCustomerPolicy, requirePolicy } from "../lookups.js";
import { pageFields, paginateUnderPath } from "../pagination.js";
import { checkPolicySize, QUOTAS } from "../policy-size.js";
import type { ManagedPolicyRecord, PolicyView } from "../records.js";
import { keyOf } from "../store.js";
import { ENTITY_TAGS, requestTags } from "../tags.js";
import { nowSeconds, type IamHandler } from "../types.js";
import { checkIdentityPolicy } from "../validate.js";
import { policyView } from "../views.js";

// Customer managed policies, and the AWS managed ones next to them in ListPolicies.
// Messages recorded against AWS: LocalStack test_iam_policies.snapshot.json.

export const CreatePolicy: IamHandler<CreatePolicyCommandInput, CreatePolicyCommandOutput> = (input, ctx) => {
  const name = input.PolicyName!;
  const document = input.PolicyDocument!;
  checkIdentityPolicy(ctx, document);
  checkPolicySize(ctx.errors, QUOTAS.managed, [document]);
  if (ctx.store.policies.has(keyOf(name))) throw exists.policy(ctx.errors, name);
  const tags = requestTags(ctx.errors, ENTITY_TAGS.policy, input.Tags);
  const path = input.Path ?? "/";
  const now = nowSeconds(ctx);
  const policy: ManagedPolicyRecord = {
    PolicyName: name,
    PolicyId: iamUniqueId("ANPA"),
    Arn: ctx.store.arn(`policy${path}${name}`),
    Path: path,
    CreateDate: now,
    UpdateDate: now,
    DefaultVersionId: "v1",
    Versions: [{ VersionId: "v1", Document: document, CreateDate: now }],
    NextVersion: 2,
    Tags: tags,
  };
  if (input.Description !== undefined) policy.Description = input.Description;
  ctx.store.policies.put(keyOf(name), policy);
  return { Policy: policyView(ctx.store, { ...policy, awsManaged: false }, "create") };
};

export const GetPolicy: IamHandler<GetPolicyCommandInput, GetPolicyCommandOutput> = (input, ctx) => {
  return { Policy: policyView(ctx.store, requirePolicy(ctx, input.PolicyArn!), "get") };
};

export const DeletePolicy: IamHandler<DeletePolicyCommandInput, DeletePolicyCommandOutput> = (input, ctx) => {
  const policy = requireCustomerPolicy(ctx, input.PolicyArn!);
  const inUse = ctx.store.attachmentCount(policy.Arn) + ctx.store.boundaryUsageCount(policy.Arn);
  if (inUse > 0) throw conflict.policyAttached(ctx.errors);
  if (policy.Versions.length > 1) throw conflict.policyVersions(ctx.errors);
  ctx.store.policies.delete(keyOf(policy.PolicyName));
  return {};
};

/**
 * Scope: All (default), AWS or Local; OnlyAttached keeps the policies attached to a
 * user, group or role of this account (with PolicyUsageFilter PermissionsBoundary:
 * those used as a permissions boundary); PathPrefix filters on the path. By name.
 */
export const ListPolicies: IamHandler<ListPoliciesCommandInput, ListPoliciesCommandOutput> = (input, ctx) => {
  const store = ctx.store;
  const scope = input.Scope ?? "All";
  const candidates: PolicyView[] = [];
  if (scope !== "Local") candidates.push(...awsManagedPolicies());
  if (scope !== "AWS") candidates.push(...store.policies.values().map((p) => ({ ...p, awsManaged: false })));
  const usage = input.PolicyUsageFilter;
  const selected = candidates.filter((p) => {
    if (!input.OnlyAttached) return true;
    if (usage === "PermissionsBoundary") return store.boundaryUsageCount(p.Arn) > 0;
    return store.attachmentCount(p.Arn) > 0;
  });
  const order = (p: PolicyView) => `${keyOf(p.PolicyName)}\u0000${p.Arn}`;
  const page = paginateUnderPath(selected, order, input);
  return { Policies: page.items.map((p) => policyView(store, p, "list")), ...pageFields(page) };
};
