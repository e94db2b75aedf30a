import assert from "node:assert/strict";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import {
  CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { useTestServer } from "../../../test/helpers.js";

// DeadLetterConfig: an asynchronous event that failed every attempt goes, as it came,
// to the function's dead-letter queue, with RequestID, ErrorCode and ErrorMessage
// attributes (Lambda developer guide, "Dead-letter queues").

const server = await useTestServer();
const lambda = server.client(LambdaClient);
const sqs = server.client(SQSClient);

test("a discarded asynchronous event lands in the DeadLetterConfig queue with AWS's attributes", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "fn-dlq" }));
  await lambda.send(new CreateFunctionCommand({
    FunctionName: "dlq-fails", Runtime: "nodejs20.x", Role: "arn:aws:iam::000000000000:role/r", Handler: "index.handler",
    Code: { ZipFile: zipSync({ "index.js": strToU8("exports.handler = async (e) => { throw new Error('cannot handle ' + e.k); };") }) },
  }));
  const updated = await lambda.send(new UpdateFunctionConfigurationCommand({
    FunctionName: "dlq-fails", DeadLetterConfig: { TargetArn: "arn:aws:sqs:us-east-1:000000000000:fn-dlq" },
  }));
  assert.deepEqual(updated.DeadLetterConfig, { TargetArn: "arn:aws:sqs:us-east-1:000000000000:fn-dlq" });
  await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: "dlq-fails" });
  assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "dlq-fails" }))).DeadLetterConfig?.TargetArn, "arn:aws:sqs:us-east-1:000000000000:fn-dlq");
  // No retries, so the event is discarded after the first failure.
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "dlq-fails", MaximumRetryAttempts: 0 }));

  const queued = await lambda.send(new InvokeCommand({ FunctionName: "dlq-fails", InvocationType: "Event", Payload: Buffer.from('{"k":"v1"}') }));
  assert.equal(queued.StatusCode, 202);
  const requestId = queued.$metadata.requestId;
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MessageAttributeNames: ["All"] }));
  const message = received.Messages?.[0];
  assert.ok(message, "nothing reached the dead-letter queue");
  assert.equal(message.Body, '{"k":"v1"}');
  assert.deepEqual(message.MessageAttributes, {
    RequestID: { DataType: "String", StringValue: requestId },
    ErrorCode: { DataType: "Number", StringValue: "200" },
    ErrorMessage: { DataType: "String", StringValue: "cannot handle v1" },
  });
});
