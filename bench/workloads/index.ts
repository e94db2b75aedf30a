import { dynamodbGetItem, dynamodbPutItem, dynamodbQuery } from "./dynamodb.js";
import { lambda } from "./lambda.js";
import { sns } from "./sns.js";
import { s3Get, s3Put } from "./s3.js";
import { sts } from "./sts.js";
import type { Workload } from "./types.js";

// Every workload the bench knows, in the order they run and print.
// Adding one: write bench/workloads/<name>.ts exporting a Workload, list it here.
export const WORKLOADS: readonly Workload[] = [sts, lambda, sns, dynamodbPutItem, dynamodbGetItem, dynamodbQuery, s3Put, s3Get];
