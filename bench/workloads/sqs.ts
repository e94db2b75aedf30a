import {
  CreateQueueCommand, DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient,
} from "@aws-sdk/client-sqs";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import type { RawRequest, Workload, WorkloadContext } from "./types.js";

// SQS, the workloads of issue 4: SendMessage; ReceiveMessage(10) + DeleteMessageBatch;
// the wake-up latency of a long poll after a send; and send / receive on a queue
// holding 100k messages (their cost must not grow with the queue). Raw requests are
// JSON 1.0 (what current SDKs speak); the receive workloads' raw form receives with
// VisibilityTimeout=0, so replaying it does not drain the queue.

const BODY = "hello from the bench";
/** Fill up to this many messages, but for at most this long (moto takes ~15 ms per batch). */
const DEEP_MESSAGES = 100_000;
const FILL_BUDGET_MS = 30_000;

function jsonRequest(operation: string, body: unknown): RawRequest {
  return {
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${operation}`, ...sigV4Headers("sqs") },
    body: JSON.stringify(body),
  };
}

const sendRaw = (QueueUrl: string) => jsonRequest("SendMessage", { QueueUrl, MessageBody: BODY });
const receiveRaw = (QueueUrl: string) => jsonRequest("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
const ceilingUrl = (name: string) => `http://127.0.0.1:4566/000000000000/${name}`;

async function createQueue(client: SQSClient, name: string, fifo = false): Promise<string> {
  const Attributes = fifo ? { FifoQueue: "true", ContentBasedDeduplication: "false" } : undefined;
  return (await client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

/** SendMessageBatch until `count` more messages are queued or the time budget is spent; returns how many.
 *  `from` numbers the messages (FIFO deduplication ids must not repeat). */
async function fill(client: SQSClient, QueueUrl: string, count: number, fifoGroups = 0, from = 0, quiet = false): Promise<number> {
  const until = performance.now() + FILL_BUDGET_MS;
  let sent = 0;
  const worker = async () => {
    while (sent < count && performance.now() < until) {
      const base = from + sent;
      sent += 10;
      const Entries = Array.from({ length: 10 }, (_, i) => ({
        Id: String(i), MessageBody: `${BODY} ${base + i}`,
        ...(fifoGroups ? { MessageGroupId: `g${(base + i) % fifoGroups}`, MessageDeduplicationId: String(base + i) } : {}),
      }));
      await client.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (!quiet) process.stderr.write(`  (queue ${QueueUrl.split("/").pop()} filled with ${sent} messages)\n`);
  return sent;
}

async function receiveAndDelete(client: SQSClient, QueueUrl: string): Promise<Message[]> {
  const got = (await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];
  if (got.length > 0) {
    const Entries = got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
    const result = await client.send(new DeleteMessageBatchCommand({ QueueUrl, Entries }));
    if (result.Failed?.length) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(result.Failed[0])}`);
  }
  return got;
}

export const sqsSend: Workload = {
  name: "sqs-send",
  title: "SQS SendMessage",
  service: "sqs",
  rawExpect: /"MessageId"/,
  async prepare(ctx) {
    const client = new SQSClient(sdkConfig(ctx));
    const QueueUrl = await createQueue(client, "bench-send");
    return {
      call: () => client.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY })),
      raw: sendRaw(QueueUrl),
      close: () => client.destroy(),
    };
  },
  ceilingRequest: () => sendRaw(ceilingUrl("bench-send")),
};

/** Receive(10) + DeleteMessageBatch from a queue filled beforehand (refilled if it runs dry). */
function receiveWorkload(name: string, title: string, queueName: string, fillCount: (ctx: WorkloadContext) => number, fifoGroups = 0): Workload {
  return {
    name,
    title,
    service: "sqs",
    rawExpect: /"Messages"/,
    async prepare(ctx) {
      const client = new SQSClient(sdkConfig(ctx));
      const QueueUrl = await createQueue(client, queueName, fifoGroups > 0);
      let sent = await fill(client, QueueUrl, fillCount(ctx), fifoGroups);
      let refills = 0;
      return {
        call: async () => {
          const got = await receiveAndDelete(client, QueueUrl);
          // Drained (a slow peer filled less than the run needs): top up, and say so at the end.
          if (got.length === 0) {
            refills++;
            const from = sent;
            sent += 100;
            await fill(client, QueueUrl, 100, fifoGroups, from, true);
          }
        },
        raw: receiveRaw(QueueUrl),
        close: () => {
          if (refills) process.stderr.write(`  (${name}: the queue ran dry ${refills} times and was refilled with 100 messages in the timed run)\n`);
          client.destroy();
        },
      };
    },
    ceilingRequest: () => receiveRaw(ceilingUrl(queueName)),
  };
}

// The SDK run makes sdkCalls + warm-up (a fifth) + 1 calls of 10 messages each: 3,601 by default.
export const sqsReceive = receiveWorkload("sqs-receive", "SQS Receive(10)+DeleteBatch", "bench-receive", () => 40_000);

export const sqsDeepSend: Workload = {
  name: "sqs-deep-send",
  title: "SQS SendMessage, 100k queued",
  service: "sqs",
  rawExpect: /"MessageId"/,
  async prepare(ctx) {
    const client = new SQSClient(sdkConfig(ctx));
    const QueueUrl = await createQueue(client, "bench-deep-send");
    await fill(client, QueueUrl, DEEP_MESSAGES);
    return {
      call: () => client.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY })),
      raw: sendRaw(QueueUrl),
      close: () => client.destroy(),
    };
  },
  ceilingRequest: () => sendRaw(ceilingUrl("bench-deep-send")),
};

/** A FIFO queue of 100k messages in 1,000 groups: the receive must skip groups in flight without scanning. */
export const sqsDeepReceive = receiveWorkload("sqs-deep-receive", "SQS FIFO Receive(10)+Delete, 100k", "bench-deep.fifo", () => DEEP_MESSAGES, 1000);

/**
 * Long-poll wake-up: a ReceiveMessage (WaitTimeSeconds=20) is parked on an empty
 * queue, then a SendMessage; one operation is the send plus the waiting receive's
 * answer. Concurrent calls use separate queues. Besides the harness's figures,
 * close() prints the wake-up latency: send issued to message received, p50/p99.
 */
export const sqsLongPoll: Workload = {
  name: "sqs-longpoll",
  title: "SQS long-poll wake-up (send -> receive)",
  service: "sqs",
  rawExpect: /"MessageId"/,
  async prepare(ctx) {
    const client = new SQSClient(sdkConfig({ ...ctx, concurrency: 4 }));
    const QueueUrl = await createQueue(client, "bench-longpoll");
    // The raw form (plain sends) goes to a queue of its own, never polled.
    const rawUrl = await createQueue(client, "bench-longpoll-raw");
    // One receive parked at a time: a wake-up measured on an idle client, not behind 15 other calls.
    const poll = () =>
      client.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 1 })).then((r) => r.Messages ?? [], () => [] as Message[]);
    let pending = poll();
    let turn: Promise<void> = new Promise((r) => setTimeout(r, 200));
    const latencies: number[] = [];
    return {
      call: () => {
        const mine = turn.then(async () => {
          const t0 = performance.now();
          await client.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY }));
          while ((await pending).length === 0) pending = poll();
          latencies.push(performance.now() - t0);
          // Deleting is not part of the wake-up: the message stays in flight (30 s) unseen.
          pending = poll();
          // Let the next poll reach the server and park before the next send.
          await new Promise((r) => setTimeout(r, 2));
        });
        turn = mine.catch(() => undefined);
        return mine;
      },
      raw: sendRaw(rawUrl),
      close: () => {
        latencies.sort((a, b) => a - b);
        const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(2);
        process.stderr.write(`  sqs-longpoll: wake-up (send issued -> message received) p50 ${at(0.5)} ms, p99 ${at(0.99)} ms over ${latencies.length}\n`);
        client.destroy();
      },
    };
  },
  ceilingRequest: () => sendRaw(ceilingUrl("bench-longpoll-raw")),
};
