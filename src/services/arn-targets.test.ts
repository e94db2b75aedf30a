import assert from "node:assert/strict";
import { test } from "node:test";
import { sendToArn, targetKindOf, UnsupportedTarget } from "./arn-targets.js";
import type { Invoke } from "./service.js";

function recorder() {
  const calls: { service: string; operation: string; input: Record<string, unknown>; scope: unknown }[] = [];
  const invoke: Invoke = async (service, operation, input, scope) => {
    calls.push({ service, operation, input, scope });
    return {};
  };
  return { calls, invoke };
}

test("each target kind becomes its service's operation, in the resource's own account and region", async () => {
  const { calls, invoke } = recorder();
  await sendToArn(invoke, "arn:aws:sqs:eu-west-1:111111111111:q", { body: "b", attributes: { A: { DataType: "String", StringValue: "v" } } });
  await sendToArn(invoke, "arn:aws:sns:us-east-1:000000000000:t", { body: "b" });
  await sendToArn(invoke, "arn:aws:lambda:us-east-1:000000000000:function:f", { body: "{}" });
  await sendToArn(invoke, "arn:aws:states:us-east-1:000000000000:stateMachine:s", { body: "{}" });
  await sendToArn(invoke, "arn:aws:events:us-east-1:000000000000:event-bus/b", { body: "{}", event: { source: "lambda", detailType: "d" } });
  assert.deepEqual(calls.map((c) => `${c.service}.${c.operation}`), ["sqs.SendMessage", "sns.Publish", "lambda.Invoke", "stepfunctions.StartExecution", "events.PutEvents"]);
  assert.deepEqual(calls[0].input, {
    QueueUrl: "http://sqs.eu-west-1.localhost/111111111111/q", MessageBody: "b", MessageAttributes: { A: { DataType: "String", StringValue: "v" } },
  });
  assert.deepEqual(calls[0].scope, { account: "111111111111", region: "eu-west-1" });
  assert.deepEqual(calls[1].input, { TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: "b" });
  assert.equal(calls[2].input.InvocationType, "Event");
  assert.equal(Buffer.from(calls[2].input.Payload as Buffer).toString(), "{}");
  assert.deepEqual(calls[4].input, {
    Entries: [{ EventBusName: "arn:aws:events:us-east-1:000000000000:event-bus/b", Source: "lambda", DetailType: "d", Detail: "{}" }],
  });
});

test("FIFO fields go only to FIFO queues", async () => {
  const { calls, invoke } = recorder();
  const fifo = { groupId: "g", deduplicationId: "d" };
  await sendToArn(invoke, "arn:aws:sqs:us-east-1:000000000000:q.fifo", { body: "b", fifo });
  await sendToArn(invoke, "arn:aws:sqs:us-east-1:000000000000:q", { body: "b", fifo });
  assert.equal(calls[0].input.MessageGroupId, "g");
  assert.equal(calls[0].input.MessageDeduplicationId, "d");
  assert.equal(calls[1].input.MessageGroupId, undefined);
});

test("a kind the caller does not accept, or no target at all, is refused before any call", async () => {
  const { calls, invoke } = recorder();
  await assert.rejects(sendToArn(invoke, "arn:aws:lambda:us-east-1:000000000000:function:f", { body: "" }, ["sqs", "sns"]), UnsupportedTarget);
  await assert.rejects(sendToArn(invoke, "arn:aws:s3:::bucket", { body: "" }), UnsupportedTarget);
  await assert.rejects(sendToArn(invoke, "not-an-arn", { body: "" }), UnsupportedTarget);
  assert.equal(calls.length, 0);
  assert.equal(targetKindOf("arn:aws:states:us-east-1:000000000000:stateMachine:s"), "states");
  assert.equal(targetKindOf("arn:aws:logs:us-east-1:000000000000:log-group:g"), undefined);
});
