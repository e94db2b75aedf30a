import type { AddPermissionRequest, AddPermissionResponse, GetPolicyRequest, GetPolicyResponse, RemovePermissionRequest } from "@aws-sdk/client-lambda";
import { randomUUID } from "node:crypto";
import { functionNotFound, lambdaError, resourceConflict, resourceNotFound } from "../errors.js";
import { parseFunctionName } from "../names.js";
import type { PolicyStatement } from "../records.js";
import type { LambdaHandler } from "../types.js";

// The function's resource-based policy: AddPermission, RemovePermission, GetPolicy.
// Statements are written as AWS writes them (GetPolicy returns the policy as JSON text).

function principalOf(principal: string): PolicyStatement["Principal"] {
  if (principal === "*") return "*";
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith("arn:")) return { AWS: principal };
  return { Service: principal };
}

function policyKey(qualifier: string | undefined): string {
  return qualifier ?? "";
}

export const AddPermission: LambdaHandler<AddPermissionRequest, AddPermissionResponse> = (input, ctx) => {
  const store = ctx.store;
  const { name, qualifier } = parseFunctionName(input.FunctionName ?? "", input.Qualifier);
  const fn = store.get(name);
  if (!fn) throw functionNotFound(store.arn(name, qualifier));
  if (qualifier && qualifier !== "$LATEST" && !fn.versions[qualifier] && !fn.aliases[qualifier]) {
    throw functionNotFound(store.arn(name, qualifier));
  }
  const key = policyKey(qualifier);
  const statements = (fn.policies[key] ??= []);
  if (statements.some((s) => s.Sid === input.StatementId)) {
    throw resourceConflict("The statement id (" + input.StatementId + ") provided already exists. Please provide a new statement id, or remove the existing statement.");
  }
  if (input.RevisionId !== undefined && input.RevisionId !== fn.versions.$LATEST.revisionId) {
    throw lambdaError("PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id");
  }
  const condition: Record<string, Record<string, string>> = {};
  if (input.SourceAccount) (condition.StringEquals ??= {})["AWS:SourceAccount"] = input.SourceAccount;
  if (input.EventSourceToken) (condition.StringEquals ??= {})["lambda:EventSourceToken"] = input.EventSourceToken;
  if (input.PrincipalOrgID) (condition.StringEquals ??= {})["aws:PrincipalOrgID"] = input.PrincipalOrgID;
  if (input.FunctionUrlAuthType) (condition.StringEquals ??= {})["lambda:FunctionUrlAuthType"] = input.FunctionUrlAuthType;
  if (input.SourceArn) (condition.ArnLike ??= {})["AWS:SourceArn"] = input.SourceArn;
  const statement: PolicyStatement = {
    Sid: input.StatementId!,
    Effect: "Allow",
    Principal: principalOf(input.Principal!),
    Action: input.Action!,
    Resource: store.arn(name, qualifier),
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
  statements.push(statement);
  store.save(fn);
  return { Statement: JSON.stringify(statement) };
};

export const RemovePermission: LambdaHandler<RemovePermissionRequest, object> = (input, ctx) => {
  const store = ctx.store;
  const { name, qualifier } = parseFunctionName(input.FunctionName ?? "", input.Qualifier);
  const fn = store.get(name);
  if (!fn) throw functionNotFound(store.arn(name, qualifier));
  const key = policyKey(qualifier);
  const statements = fn.policies[key] ?? [];
  const index = statements.findIndex((s) => s.Sid === input.StatementId);
  if (index < 0) throw resourceNotFound(`Statement ${input.StatementId} is not found in resource policy.`);
  statements.splice(index, 1);
  if (statements.length === 0) delete fn.policies[key];
  store.save(fn);
  return {};
};

export const GetPolicy: LambdaHandler<GetPolicyRequest, GetPolicyResponse> = (input, ctx) => {
  const store = ctx.store;
  const { name, qualifier } = parseFunctionName(input.FunctionName ?? "", input.Qualifier);
  const fn = store.get(name);
  if (!fn) throw functionNotFound(store.arn(name, qualifier));
  const statements = fn.policies[policyKey(qualifier)];
  if (!statements?.length) throw resourceNotFound("The resource you requested does not exist.");
  return {
    Policy: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements }),
    RevisionId: fn.versions.$LATEST.revisionId ?? randomUUID(),
  };
};
