import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { clientConfig, startTestServer } from "./helpers.js";

// Timers live on the clock, not on disk: after a restart with --data-dir, the
// services that keep them (here a scheduled EventBridge rule) are restored when the
// server starts, so a schedule fires with no request to that service first.

const dataDir = mkdtempSync(join(tmpdir(), "terrarium-timers-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe("timers after a restart", () => {
  it("a scheduled rule keeps firing after a restart, before any request reaches EventBridge", async () => {
    const first = await startTestServer({ dataDir });
    const sqs = new SQSClient(clientConfig(first.endpoint));
    const events = new EventBridgeClient(clientConfig(first.endpoint));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "ticks" }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    await events.send(new PutRuleCommand({ Name: "every-minute", ScheduleExpression: "rate(1 minute)" }));
    await events.send(new PutTargetsCommand({ Rule: "every-minute", Targets: [{ Id: "q", Arn: Attributes!.QueueArn! }] }));
    sqs.destroy();
    events.destroy();
    await first.stop();

    const second = await startTestServer({ dataDir });
    try {
      const res = await fetch(`${second.endpoint}/_terrarium/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: 125 }) });
      assert.equal(res.status, 200);
      const after = new SQSClient(clientConfig(second.endpoint));
      const counts = await after.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
      assert.ok(Number(counts.Attributes!.ApproximateNumberOfMessages) >= 2, JSON.stringify(counts.Attributes));
      after.destroy();
    } finally {
      await second.stop();
    }
  });
});
