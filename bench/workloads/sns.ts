import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import { ACCOUNT, MESSAGE_ID, queryAnswer } from "./canned.js";
import type { RawRequest, Workload } from "./types.js";

// SNS Publish fanned out to two SQS queues (the "SNS fan-out publish"): the
// query codec, the topic's subscriptions, the signed JSON envelope, and two SQS
// SendMessage calls through ctx.invoke. Each operation is one publish = 2 deliveries.

const TOPIC = "bench-fanout";
const MESSAGE = "hello from the bench";

function publishRequest(topicArn: string): RawRequest {
  return {
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...sigV4Headers("sns") },
    body: `Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(topicArn)}&Message=${encodeURIComponent(MESSAGE)}`,
  };
}

export const sns: Workload = {
  name: "sns",
  title: "SNS Publish -> 2 SQS queues",
  service: "sns",
  rawExpect: /<PublishResult>[\s\S]*<MessageId>/,
  sdkCpuTargetMs: 0.3,
  async prepare(ctx) {
    const client = new SNSClient(sdkConfig(ctx));
    const sqs = new SQSClient(sdkConfig(ctx));
    const TopicArn = (await client.send(new CreateTopicCommand({ Name: TOPIC }))).TopicArn!;
    for (const name of ["bench-fanout-1", "bench-fanout-2"]) {
      const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
      await client.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: arn }));
    }
    return {
      call: () => client.send(new PublishCommand({ TopicArn, Message: MESSAGE })),
      raw: publishRequest(TopicArn),
      close: () => {
        client.destroy();
        sqs.destroy();
      },
    };
  },
  ceilingRequest: () => publishRequest(`arn:aws:sns:us-east-1:${ACCOUNT}:${TOPIC}`),
  ceilingSdk: {
    answers: [queryAnswer("Publish", "http://sns.amazonaws.com/doc/2010-03-31/", `<MessageId>${MESSAGE_ID}</MessageId>`)],
    prepare(ctx) {
      const client = new SNSClient(sdkConfig(ctx));
      const TopicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:${TOPIC}`;
      return { call: () => client.send(new PublishCommand({ TopicArn, Message: MESSAGE })), close: () => client.destroy() };
    },
  },
};
