import { createHash } from "node:crypto";
import type { PolicyView } from "./records.js";

// AWS managed policies (arn:aws:iam::aws:policy/...) that Terrarium knows: the ones
// templates and tutorials attach most. They are read-only constants shared by every
// account; attachments to them live on the users, groups and roles. Documents are
// AWS's default versions where they are short; ReadOnlyAccess and PowerUserAccess
// list thousands of actions on AWS, and are given here by the same grammar in a
// compact form that grants the same verbs (noted below).
//
// PolicyIds: AWS's are fixed per policy; ours are derived from the ARN (ANPA + 17
// characters), so they are stable across restarts and servers.

interface AwsPolicyEntry {
  path: string;
  name: string;
  description: string;
  version: string;
  created: string;
  updated: string;
  document: object;
}

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

function allow(actions: string[] | string, resource: string | string[] = "*"): object {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: resource }] };
}

const ENTRIES: AwsPolicyEntry[] = [
  {
    path: "/",
    name: "AdministratorAccess",
    description: "Provides full access to AWS services and resources.",
    version: "v1",
    created: "2015-02-06T18:39:46Z",
    updated: "2015-02-06T18:39:46Z",
    document: ALLOW_ALL,
  },
  {
    path: "/",
    name: "PowerUserAccess",
    description: "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
    version: "v5",
    created: "2015-02-06T18:39:47Z",
    updated: "2023-07-06T22:04:19Z",
    // Compact form: everything but IAM, Organizations and Account management.
    document: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
        {
          Effect: "Allow",
          Action: [
            "iam:CreateServiceLinkedRole",
            "iam:DeleteServiceLinkedRole",
            "iam:ListRoles",
            "organizations:DescribeOrganization",
            "account:ListRegions",
            "account:GetAccountInformation",
          ],
          Resource: "*",
        },
      ],
    },
  },
  {
    path: "/",
    name: "ReadOnlyAccess",
    description: "Provides read-only access to AWS services and resources.",
    version: "v1",
    created: "2015-02-06T18:39:48Z",
    updated: "2015-02-06T18:39:48Z",
    // Compact form of AWS's read verbs across all services.
    document: allow(["*:Describe*", "*:Get*", "*:List*", "*:BatchGet*", "*:Query", "*:Scan"]),
  },
  {
    path: "/",
    name: "IAMFullAccess",
    description: "Provides full access to IAM via the AWS Management Console.",
    version: "v2",
    created: "2015-02-06T18:40:38Z",
    updated: "2019-06-21T19:40:00Z",
    document: allow(["iam:*", "organizations:DescribeAccount", "organizations:DescribeOrganization", "organizations:DescribeOrganizationalUnit", "organizations:DescribePolicy", "organizations:ListChildren", "organizations:ListParents", "organizations:ListPoliciesForTarget", "organizations:ListRoots", "organizations:ListPolicies", "organizations:ListTargetsForPolicy"]),
  },
  {
    path: "/",
    name: "IAMReadOnlyAccess",
    description: "Provides read only access to IAM via the AWS Management Console.",
    version: "v4",
    created: "2015-02-06T18:40:39Z",
    updated: "2018-01-25T19:11:27Z",
    document: allow(["iam:GenerateCredentialReport", "iam:GenerateServiceLastAccessedDetails", "iam:Get*", "iam:List*", "iam:SimulateCustomPolicy", "iam:SimulatePrincipalPolicy"]),
  },
  {
    path: "/",
    name: "IAMUserChangePassword",
    description: "Provides the ability for an IAM user to change their own password.",
    version: "v5",
    created: "2016-11-15T23:18:55Z",
    updated: "2024-07-24T16:24:31Z",
    document: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["iam:ChangePassword"], Resource: ["arn:aws:iam::*:user/${aws:username}"] },
        { Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy"], Resource: "*" },
      ],
    },
  },
  {
    path: "/",
    name: "AmazonS3FullAccess",
    description: "Provides full access to all buckets via the AWS Management Console.",
    version: "v2",
    created: "2015-02-06T18:40:58Z",
    updated: "2021-09-27T20:16:37Z",
    document: allow(["s3:*", "s3-object-lambda:*"]),
  },
  {
    path: "/",
    name: "AmazonS3ReadOnlyAccess",
    description: "Provides read only access to all buckets via the AWS Management Console.",
    version: "v3",
    created: "2015-02-06T18:40:59Z",
    updated: "2023-08-10T21:31:39Z",
    document: allow(["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"]),
  },
  {
    path: "/",
    name: "AmazonDynamoDBFullAccess",
    description: "Provides full access to Amazon DynamoDB via the AWS Management Console.",
    version: "v5",
    created: "2015-02-06T18:40:11Z",
    updated: "2019-05-08T21:20:48Z",
    document: allow(["dynamodb:*", "dax:*", "application-autoscaling:*", "cloudwatch:*", "iam:GetRole", "iam:ListRoles", "kms:DescribeKey", "kms:ListAliases", "lambda:ListFunctions", "sns:ListTopics", "sns:Subscribe"]),
  },
  {
    path: "/",
    name: "AmazonDynamoDBReadOnlyAccess",
    description: "Provides read only access to Amazon DynamoDB via the AWS Management Console.",
    version: "v9",
    created: "2015-02-06T18:40:12Z",
    updated: "2021-06-08T17:56:57Z",
    document: allow(["dynamodb:BatchGetItem", "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PartiQLSelect", "dax:Describe*", "dax:List*", "dax:GetItem", "dax:BatchGetItem", "dax:Query", "dax:Scan"]),
  },
  {
    path: "/",
    name: "AmazonSQSFullAccess",
    description: "Provides full access to Amazon SQS via the AWS Management Console.",
    version: "v1",
    created: "2015-02-06T18:41:07Z",
    updated: "2015-02-06T18:41:07Z",
    document: allow("sqs:*"),
  },
  {
    path: "/",
    name: "AmazonSNSFullAccess",
    description: "Provides full access to Amazon SNS via the AWS Management Console.",
    version: "v1",
    created: "2015-02-06T18:41:05Z",
    updated: "2015-02-06T18:41:05Z",
    document: allow("sns:*"),
  },
  {
    path: "/",
    name: "AWSLambda_FullAccess",
    description: "Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.",
    version: "v1",
    created: "2020-11-23T19:22:07Z",
    updated: "2020-11-23T19:22:07Z",
    document: allow(["cloudformation:DescribeStacks", "cloudwatch:ListMetrics", "cloudwatch:GetMetricData", "iam:GetRole", "iam:ListRoles", "kms:ListAliases", "lambda:*", "logs:DescribeLogGroups", "logs:FilterLogEvents", "logs:GetLogEvents", "states:DescribeStateMachine", "states:ListStateMachines", "tag:GetResources"]),
  },
  {
    path: "/",
    name: "AWSLambdaExecute",
    description: "Provides Put, Get access to S3 and full access to CloudWatch Logs.",
    version: "v1",
    created: "2015-02-06T18:40:46Z",
    updated: "2015-02-06T18:40:46Z",
    document: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["logs:*"], Resource: "arn:aws:logs:*:*:*" },
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::*" },
      ],
    },
  },
  {
    path: "/",
    name: "CloudWatchLogsFullAccess",
    description: "Provides full access to CloudWatch Logs",
    version: "v1",
    created: "2015-02-06T18:40:20Z",
    updated: "2015-02-06T18:40:20Z",
    document: allow("logs:*"),
  },
  {
    path: "/",
    name: "CloudWatchFullAccess",
    description: "Provides full access to CloudWatch.",
    version: "v1",
    created: "2015-02-06T18:40:17Z",
    updated: "2015-02-06T18:40:17Z",
    document: allow(["autoscaling:Describe*", "cloudwatch:*", "logs:*", "sns:*", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole"]),
  },
  {
    path: "/",
    name: "AWSStepFunctionsFullAccess",
    description: "Provides full access to AWS Step Functions.",
    version: "v1",
    created: "2017-01-11T21:51:32Z",
    updated: "2017-01-11T21:51:32Z",
    document: allow("states:*"),
  },
  {
    path: "/",
    name: "AmazonAPIGatewayInvokeFullAccess",
    description: "Provides full access to invoke APIs in Amazon API Gateway.",
    version: "v1",
    created: "2015-07-09T17:36:12Z",
    updated: "2015-07-09T17:36:12Z",
    document: allow("execute-api:Invoke", "arn:aws:execute-api:*:*:*"),
  },
  {
    path: "/",
    name: "AmazonKinesisFullAccess",
    description: "Provides full access to all streams via the AWS Management Console.",
    version: "v1",
    created: "2015-02-06T18:40:31Z",
    updated: "2015-02-06T18:40:31Z",
    document: allow("kinesis:*"),
  },
  {
    path: "/",
    name: "AmazonEventBridgeFullAccess",
    description: "Provides full access to Amazon EventBridge.",
    version: "v2",
    created: "2019-07-11T06:32:11Z",
    updated: "2023-05-23T18:28:07Z",
    document: allow(["events:*", "schemas:*", "scheduler:*", "pipes:*"]),
  },
  {
    path: "/service-role/",
    name: "AWSLambdaBasicExecutionRole",
    description: "Provides write permissions to CloudWatch Logs.",
    version: "v1",
    created: "2015-04-09T15:03:43Z",
    updated: "2015-04-09T15:03:43Z",
    document: allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]),
  },
  {
    path: "/service-role/",
    name: "AWSLambdaDynamoDBExecutionRole",
    description: "Provides list and read access to DynamoDB streams and write permissions to CloudWatch Logs.",
    version: "v1",
    created: "2015-04-09T15:09:29Z",
    updated: "2015-04-09T15:09:29Z",
    document: allow(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]),
  },
  {
    path: "/service-role/",
    name: "AWSLambdaSQSQueueExecutionRole",
    description: "Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.",
    version: "v2",
    created: "2018-06-14T21:50:45Z",
    updated: "2023-08-28T16:57:05Z",
    document: allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]),
  },
  {
    path: "/service-role/",
    name: "AWSLambdaKinesisExecutionRole",
    description: "Provides list and read access to Kinesis streams and write permissions to CloudWatch Logs.",
    version: "v1",
    created: "2015-04-09T15:14:16Z",
    updated: "2015-04-09T15:14:16Z",
    document: allow(["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:ListStreams", "kinesis:SubscribeToShard", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]),
  },
  {
    path: "/service-role/",
    name: "AWSLambdaVPCAccessExecutionRole",
    description: "Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC - create, describe, delete network interfaces and write permissions to CloudWatch Logs.",
    version: "v3",
    created: "2016-02-11T23:15:26Z",
    updated: "2024-01-05T22:37:14Z",
    document: allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]),
  },
  {
    path: "/service-role/",
    name: "AWSLambdaRole",
    description: "Default policy for AWS Lambda service role.",
    version: "v2",
    created: "2015-02-06T18:41:28Z",
    updated: "2018-12-18T17:11:45Z",
    document: allow("lambda:InvokeFunction"),
  },
  {
    path: "/service-role/",
    name: "AWSAppSyncPushToCloudWatchLogs",
    description: "Allows AppSync to push logs to user's CloudWatch account.",
    version: "v1",
    created: "2018-04-09T19:38:55Z",
    updated: "2018-04-09T19:38:55Z",
    document: allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]),
  },
  {
    path: "/service-role/",
    name: "AmazonAPIGatewayPushToCloudWatchLogs",
    description: "Allows API Gateway to push logs to user's account.",
    version: "v1",
    created: "2015-11-11T23:41:46Z",
    updated: "2015-11-11T23:41:46Z",
    document: allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"]),
  },
];

function policyId(arn: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const digest = createHash("sha256").update(arn).digest();
  let id = "ANPA";
  for (let i = 0; i < 17; i++) id += alphabet[digest[i] % alphabet.length];
  return id;
}

function toView(entry: AwsPolicyEntry): PolicyView {
  const arn = `arn:aws:iam::aws:policy${entry.path}${entry.name}`;
  const created = Date.parse(entry.created);
  const updated = Date.parse(entry.updated);
  return {
    PolicyName: entry.name,
    PolicyId: policyId(arn),
    Arn: arn,
    Path: entry.path,
    Description: entry.description,
    CreateDate: created,
    UpdateDate: updated,
    DefaultVersionId: entry.version,
    // Only the default version is known; older ones are not kept.
    Versions: [{ VersionId: entry.version, Document: JSON.stringify(entry.document), CreateDate: updated }],
    Tags: [],
    awsManaged: true,
  };
}

const BY_ARN: ReadonlyMap<string, PolicyView> = new Map(ENTRIES.map((e) => [`arn:aws:iam::aws:policy${e.path}${e.name}`, toView(e)]));

export function awsManagedPolicy(arn: string): PolicyView | undefined {
  return BY_ARN.get(arn);
}

export function awsManagedPolicies(): PolicyView[] {
  return [...BY_ARN.values()];
}
