import { test } from "node:test";
import assert from "node:assert/strict";
import { sqsQueueOfArn } from "./arn.js";

test("an SQS queue ARN gives the queue's URL and scope; anything else nothing", () => {
  assert.deepEqual(sqsQueueOfArn("arn:aws:sqs:eu-west-1:111122223333:orders.fifo"), {
    url: "http://sqs.eu-west-1.localhost/111122223333/orders.fifo", account: "111122223333", region: "eu-west-1", name: "orders.fifo",
  });
  assert.equal(sqsQueueOfArn("arn:aws:sns:us-east-1:111122223333:topic"), undefined);
  assert.equal(sqsQueueOfArn("arn:aws:sqs:us-east-1:not-an-account:q"), undefined);
  assert.equal(sqsQueueOfArn("queue"), undefined);
});
