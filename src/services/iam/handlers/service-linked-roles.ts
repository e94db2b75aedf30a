import type {
  CreateServiceLinkedRoleCommandInput,
  CreateServiceLinkedRoleCommandOutput,
  DeleteServiceLinkedRoleCommandInput,
  DeleteServiceLinkedRoleCommandOutput,
  GetServiceLinkedRoleDeletionStatusCommandInput,
  GetServiceLinkedRoleDeletionStatusCommandOutput,
} from "@aws-sdk/client-iam";
import { uuid } from "../../../platform/ids.js";
import { requireRole } from "../lookups.js";
import { keyOf } from "../store.js";
import type { IamHandler } from "../types.js";
import { roleView } from "../views.js";
import { createRole } from "../role-builder.js";

// Service-linked roles: AWSServiceRoleFor<Service> under /aws-service-role/<service>/,
// trusting the service (IAM User Guide, "Using service-linked roles"; the names are
// those listed in "AWS services that work with IAM"). Deletion is immediate here, so
// every deletion task has SUCCEEDED by the time anyone asks.

const ROLE_SUFFIXES: Record<string, string> = {
  "autoscaling.amazonaws.com": "AutoScaling",
  "elasticloadbalancing.amazonaws.com": "ElasticLoadBalancing",
  "ecs.amazonaws.com": "ECS",
  "ecs.application-autoscaling.amazonaws.com": "ApplicationAutoScaling_ECSService",
  "dynamodb.application-autoscaling.amazonaws.com": "ApplicationAutoScaling_DynamoDBTable",
  "lambda.application-autoscaling.amazonaws.com": "ApplicationAutoScaling_LambdaConcurrency",
  "rds.amazonaws.com": "RDS",
  "es.amazonaws.com": "AmazonElasticsearchService",
  "opensearchservice.amazonaws.com": "AmazonOpenSearchService",
  "elasticbeanstalk.amazonaws.com": "ElasticBeanstalk",
  "eks.amazonaws.com": "AmazonEKS",
  "eks-nodegroup.amazonaws.com": "AmazonEKSNodegroup",
  "spot.amazonaws.com": "EC2Spot",
  "organizations.amazonaws.com": "Organizations",
  "cloudtrail.amazonaws.com": "CloudTrail",
  "config.amazonaws.com": "Config",
  "ssm.amazonaws.com": "AmazonSSM",
  "ops.apigateway.amazonaws.com": "APIGateway",
  "elasticache.amazonaws.com": "ElastiCache",
  "kafka.amazonaws.com": "Kafka",
  "guardduty.amazonaws.com": "AmazonGuardDuty",
  "replication.dynamodb.amazonaws.com": "DynamoDBReplication",
};

function roleNameFor(service: string, suffix: string | undefined): string {
  const base = ROLE_SUFFIXES[service] ?? service.split(".")[0].replace(/^./, (c) => c.toUpperCase());
  return `AWSServiceRoleFor${base}${suffix ? `_${suffix}` : ""}`;
}

export const CreateServiceLinkedRole: IamHandler<CreateServiceLinkedRoleCommandInput, CreateServiceLinkedRoleCommandOutput> = (
  input,
  ctx,
) => {
  const service = input.AWSServiceName!;
  const name = roleNameFor(service, input.CustomSuffix);
  if (ctx.store.roles.has(keyOf(name))) {
    throw ctx.errors.InvalidInputException(`Service role name ${name} has been taken in this account, please try a different suffix.`);
  }
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: [service] }, Action: ["sts:AssumeRole"] }],
  };
  const role = createRole(
    ctx,
    {
      RoleName: name,
      Path: `/aws-service-role/${service}/`,
      AssumeRolePolicyDocument: JSON.stringify(trust),
      Description: input.Description,
    },
    { ServiceName: service },
  );
  const view = roleView(role, "create");
  return { Role: role.Description === undefined ? view : { ...view, Description: role.Description } };
};

export const DeleteServiceLinkedRole: IamHandler<DeleteServiceLinkedRoleCommandInput, DeleteServiceLinkedRoleCommandOutput> = (
  input,
  ctx,
) => {
  const role = requireRole(ctx, input.RoleName!);
  for (const arn of [...role.AttachedPolicies]) ctx.store.detach("role", role, arn);
  ctx.store.forget("role", role);
  ctx.store.roles.delete(keyOf(role.RoleName));
  const service = role.ServiceLinked?.ServiceName ?? "iam.amazonaws.com";
  return { DeletionTaskId: `task/aws-service-role/${service}/${role.RoleName}/${uuid()}` };
};

export const GetServiceLinkedRoleDeletionStatus: IamHandler<
  GetServiceLinkedRoleDeletionStatusCommandInput,
  GetServiceLinkedRoleDeletionStatusCommandOutput
> = () => ({ Status: "SUCCEEDED" });
