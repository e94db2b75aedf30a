import { parseArn, sqsQueueOfArn } from "../platform/arn.js";
import type { Invoke } from "./service.js";

// One message to a resource named by its ARN: the target kinds that Lambda
// destinations and dead-letter queues, EventBridge rules and Scheduler schedules
// share. Each goes through ctx.invoke in the resource's own account and region,
// so the receiving service's rules (queue limits, FIFO deduplication, throttles)
// apply as they would to a client's call.

export type TargetKind = "sqs" | "sns" | "lambda" | "states" | "events";

export interface TargetMessage {
  body: string;
  /** Message attributes for queues and topics (Lambda's DLQ records carry RequestID, ErrorCode, ErrorMessage). */
  attributes?: Record<string, { DataType: string; StringValue?: string }>;
  /** For a FIFO queue: the message group and the deduplication id. */
  fifo?: { groupId?: string; deduplicationId?: string };
  /** For an event bus: the entry's Source, DetailType and Resources. */
  event?: { source?: string; detailType?: string; resources?: string[] };
}

/** The target kind an ARN names ("sqs", "sns", ...), or undefined when it is none of them. */
export function targetKindOf(arn: string): TargetKind | undefined {
  return kindOfService(parseArn(arn)?.service);
}

function kindOfService(service: string | undefined): TargetKind | undefined {
  return service === "sqs" || service === "sns" || service === "lambda" || service === "states" || service === "events" ? service : undefined;
}

/** Sends `message` to the queue, topic, function (asynchronously), state machine or
 *  event bus `arn` names; `kinds` limits what the caller's feature accepts. Answers
 *  the operation's output (PutEvents reports per-entry failures there). */
export async function sendToArn(invoke: Invoke, arn: string, message: TargetMessage, kinds?: readonly TargetKind[]): Promise<Record<string, unknown>> {
  const parsed = parseArn(arn);
  const kind = kindOfService(parsed?.service);
  if (!parsed || !kind || (kinds && !kinds.includes(kind))) throw new UnsupportedTarget(arn);
  // An ARN without them (malformed, but sent) goes to the default account and region.
  const scope = { account: parsed.account || undefined, region: parsed.region || undefined };
  const { body, attributes } = message;
  switch (kind) {
    case "sqs": {
      const input: Record<string, unknown> = { QueueUrl: sqsQueueOfArn(arn)?.url, MessageBody: body };
      if (attributes) input.MessageAttributes = attributes;
      if (message.fifo && parsed.resource.endsWith(".fifo")) {
        input.MessageGroupId = message.fifo.groupId;
        input.MessageDeduplicationId = message.fifo.deduplicationId;
      }
      return invoke("sqs", "SendMessage", input, scope);
    }
    case "sns":
      return invoke("sns", "Publish", { TopicArn: arn, Message: body, ...(attributes ? { MessageAttributes: attributes } : {}) }, scope);
    case "lambda":
      return invoke("lambda", "Invoke", { FunctionName: arn, InvocationType: "Event", Payload: Buffer.from(body) }, scope);
    case "states":
      return invoke("stepfunctions", "StartExecution", { stateMachineArn: arn, input: body }, scope);
    case "events": {
      const { source, detailType, resources } = message.event ?? {};
      return invoke("events", "PutEvents", {
        Entries: [{ EventBusName: arn, Source: source, DetailType: detailType, Detail: body, ...(resources ? { Resources: resources } : {}) }],
      }, scope);
    }
  }
}

/** An ARN the caller's feature cannot send to. */
export class UnsupportedTarget extends Error {
  constructor(readonly arn: string) {
    super(`unsupported target ${arn}`);
  }
}
