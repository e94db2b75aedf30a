import { dynamodbBatchWrite, dynamodbGetItem, dynamodbPutItem, dynamodbQuery } from "./dynamodb.js";
import { dynamodbGet10k, dynamodbGet1m, dynamodbQuery10k, dynamodbQuery1m } from "./dynamodb-scale.js";
import { events } from "./events.js";
import { lambda, lambdaPython } from "./lambda.js";
import { sns } from "./sns.js";
import { sqsDeepReceive, sqsDeepSend, sqsLongPoll, sqsReceive, sqsSend } from "./sqs.js";
import { s3Get, s3Get1M, s3Put, s3Put1M } from "./s3.js";
import { s3List } from "./s3-list.js";
import { s3Transfer } from "./s3-transfer.js";
import { sts } from "./sts.js";
import type { BenchWorkload } from "./types.js";

// Every workload the bench knows, in the order they run and print.
// Adding one: write bench/workloads/<name>.ts exporting a Workload (or a MeasuredWorkload), list it here.
export const WORKLOADS: readonly BenchWorkload[] = [sts, lambda, lambdaPython, sqsSend, sqsReceive, sqsLongPoll, sqsDeepSend, sqsDeepReceive, sns, events, dynamodbPutItem, dynamodbGetItem, dynamodbQuery, dynamodbBatchWrite, dynamodbGet10k, dynamodbQuery10k, dynamodbGet1m, dynamodbQuery1m, s3Put, s3Get, s3Put1M, s3Get1M, s3List, s3Transfer];
