import type {
  AddLayerVersionPermissionRequest, AddLayerVersionPermissionResponse, GetLayerVersionByArnRequest, GetLayerVersionPolicyRequest,
  GetLayerVersionPolicyResponse, GetLayerVersionResponse, RemoveLayerVersionPermissionRequest,
} from "@aws-sdk/client-lambda";
import { randomUUID } from "node:crypto";
import { lambdaError, resourceConflict, resourceNotFound } from "../errors.js";
import { parseLayerVersionArn } from "../names.js";
import type { LayerVersionRecord, PolicyStatement } from "../records.js";
import type { LambdaStore } from "../store.js";
import type { LambdaHandler } from "../types.js";
import { GetLayerVersion, layerName } from "./layers.js";

// A layer version's resource policy (who may use it: an account, an organization or
// everyone), and GetLayerVersionByArn. The statement is written as AWS writes it.

function versionOf(store: LambdaStore, layer: string | undefined, version: number | undefined): { record: LayerVersionRecord; save(): void } {
  const name = layerName(layer);
  const record = store.layerVersion(name, version!);
  return { record, save: () => store.saveLayer(store.layer(name)!) };
}

function checkRevision(record: LayerVersionRecord, given: string | undefined): void {
  if (given !== undefined && given !== record.policyRevisionId) {
    throw lambdaError("PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetLayerVersionPolicy API to retrieve the latest Revision Id");
  }
}

export const AddLayerVersionPermission: LambdaHandler<AddLayerVersionPermissionRequest, AddLayerVersionPermissionResponse> = (input, ctx) => {
  const store = ctx.store;
  const { record, save } = versionOf(store, input.LayerName, input.VersionNumber);
  const statements = (record.policy ??= []);
  if (statements.some((s) => s.Sid === input.StatementId)) {
    throw resourceConflict(`The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  checkRevision(record, input.RevisionId);
  const principal = input.Principal!;
  const statement: PolicyStatement = {
    Sid: input.StatementId!,
    Effect: "Allow",
    Principal: principal === "*" ? "*" : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal },
    Action: input.Action!,
    Resource: store.layerArn(record.name, record.version),
    ...(input.OrganizationId ? { Condition: { StringEquals: { "aws:PrincipalOrgID": input.OrganizationId } } } : {}),
  };
  statements.push(statement);
  record.policyRevisionId = randomUUID();
  save();
  return { Statement: JSON.stringify(statement), RevisionId: record.policyRevisionId };
};

export const GetLayerVersionPolicy: LambdaHandler<GetLayerVersionPolicyRequest, GetLayerVersionPolicyResponse> = (input, ctx) => {
  const { record } = versionOf(ctx.store, input.LayerName, input.VersionNumber);
  if (!record.policy?.length) throw resourceNotFound("No policy is associated with the given resource.");
  return {
    Policy: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: record.policy }),
    RevisionId: record.policyRevisionId,
  };
};

export const RemoveLayerVersionPermission: LambdaHandler<RemoveLayerVersionPermissionRequest, object> = (input, ctx) => {
  const { record, save } = versionOf(ctx.store, input.LayerName, input.VersionNumber);
  const statements = record.policy ?? [];
  const index = statements.findIndex((s) => s.Sid === input.StatementId);
  if (index < 0) throw resourceNotFound(`Statement ${input.StatementId} is not found in resource policy.`);
  checkRevision(record, input.RevisionId);
  statements.splice(index, 1);
  record.policyRevisionId = randomUUID();
  save();
  return {};
};

/** GetLayerVersion by the version's ARN (a layer of this account and region). */
export const GetLayerVersionByArn: LambdaHandler<GetLayerVersionByArnRequest, GetLayerVersionResponse> = (input, ctx) => {
  const parsed = parseLayerVersionArn(input.Arn ?? "");
  if (!parsed || parsed.account !== ctx.store.account || parsed.region !== ctx.store.region) {
    throw resourceNotFound("The resource you requested does not exist.");
  }
  return GetLayerVersion({ LayerName: parsed.name, VersionNumber: parsed.version }, ctx);
};
