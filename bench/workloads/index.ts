import { dynamodbBatchWrite, dynamodbGetItem, dynamodbPutItem, dynamodbQuery } from "./dynamodb.js";
import { events } from "./events.js";
import { lambda } from "./lambda.js";
import { sns } from "./sns.js";
import { sqsDeepReceive, sqsDeepSend, sqsLongPoll, sqsReceive, sqsSend } from "./sqs.js";
import { s3Get, s3Get1M, s3Put, s3Put1M } from "./s3.js";
import { sts } from "./sts.js";
import type { Workload } from "./types.js";

// Every workload the bench knows, in the order they run and print.
// Adding one: write bench/workloads/<name>.ts exporting a Workload, list it here.
export const WORKLOADS: readonly Workload[] = [sts, lambda, sqsSend, sqsReceive, sqsLongPoll, sqsDeepSend, sqsDeepReceive, sns, events, dynamodbPutItem, dynamodbGetItem, dynamodbQuery, dynamodbBatchWrite, s3Put, s3Get, s3Put1M, s3Get1M];
