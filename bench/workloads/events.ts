import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import { jsonAnswer, MESSAGE_ID } from "./canned.js";
import type { RawRequest, Workload } from "./types.js";

// EventBridge PutEvents routed to a queue (the "PutEvents routed"): the JSON
// 1.1 codec, the default bus's rules matched by the pattern engine, the envelope,
// and one SQS SendMessage through ctx.invoke per event.

const RULE = "bench-route";
const ENTRY = { Source: "bench.app", DetailType: "OrderPlaced", Detail: JSON.stringify({ order: 42, amount: 150 }) };

async function putEvents(client: EventBridgeClient): Promise<void> {
  const out = await client.send(new PutEventsCommand({ Entries: [ENTRY] }));
  if (out.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(out.Entries)}`);
}

function putEventsRequest(): RawRequest {
  return {
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.PutEvents", ...sigV4Headers("events") },
    body: JSON.stringify({ Entries: [ENTRY] }),
  };
}

export const events: Workload = {
  name: "events",
  title: "EventBridge PutEvents -> SQS",
  service: "events",
  rawExpect: /"EventId"/,
  sdkCpuTargetMs: 0.2,
  async prepare(ctx) {
    const client = new EventBridgeClient(sdkConfig(ctx));
    const sqs = new SQSClient(sdkConfig(ctx));
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "bench-events" }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    await client.send(new PutRuleCommand({ Name: RULE, EventPattern: JSON.stringify({ source: ["bench.app"], detail: { amount: [{ numeric: [">", 100] }] } }) }));
    await client.send(new PutTargetsCommand({ Rule: RULE, Targets: [{ Id: "q", Arn: arn }] }));
    return {
      call: () => putEvents(client),
      raw: putEventsRequest(),
      close: () => {
        client.destroy();
        sqs.destroy();
      },
    };
  },
  ceilingRequest: putEventsRequest,
  ceilingSdk: {
    answers: [jsonAnswer("1.1", { FailedEntryCount: 0, Entries: [{ EventId: MESSAGE_ID }] })],
    prepare(ctx) {
      const client = new EventBridgeClient(sdkConfig(ctx));
      return { call: () => putEvents(client), close: () => client.destroy() };
    },
  },
};
