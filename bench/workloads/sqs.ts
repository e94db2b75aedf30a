import {
  CreateQueueCommand, DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from "@aws-sdk/client-sqs";
import { rawClient } from "../load.js";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import { ACCOUNT, jsonAnswer, md5Hex, MESSAGE_ID } from "./canned.js";
import type { CeilingSdk, RawClient, RawRequest, Workload, WorkloadContext } from "./types.js";

// SQS, the workloads of issue 4: SendMessage; ReceiveMessage(10) + DeleteMessageBatch;
// the wake-up latency of a long poll after a send; and send / receive on a queue
// holding 100k messages (their cost must not grow with the queue). Raw requests are
// JSON 1.0 (what current SDKs speak). The receive workloads' raw load is the pair
// itself (rawOperation): each connection receives 10, then deletes them by the
// receipt handles it got, from a queue filled beforehand for the whole run.
// The bare server's SDK rows get canned answers with the MD5s the SDK checks.

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

/** The bare server's SendMessage row: the MD5 of the body the SDK checks, a queue URL of the usual shape. */
function sendCeiling(queueName: string): CeilingSdk {
  return {
    answers: [jsonAnswer("1.0", { MessageId: MESSAGE_ID, MD5OfMessageBody: md5Hex(BODY) })],
    prepare(ctx) {
      const client = new SQSClient(sdkConfig(ctx));
      const QueueUrl = `${ctx.endpoint}/${ACCOUNT}/${queueName}`;
      return { call: () => client.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY })), close: () => client.destroy() };
    },
  };
}

/** The bare server's receive + delete row: ten messages (bodies as fill() sends them, with their MD5s), all deleted. */
function receiveCeiling(queueName: string): CeilingSdk {
  const Messages = Array.from({ length: 10 }, (_, i) => {
    const Body = `${BODY} ${i}`;
    // The length and look of a real receipt handle (the queue ARN, the message, the receive).
    const ReceiptHandle = Buffer.from(`arn:aws:sqs:us-east-1:${ACCOUNT}:${queueName} ${MESSAGE_ID.slice(0, 8)}.${i} c5BCerWg1M12 gdSEvNFmuZ6Vyg2nnJ-kKQUJG-L5KvWP`).toString("base64");
    return { MessageId: MESSAGE_ID, ReceiptHandle, MD5OfBody: md5Hex(Body), Body };
  });
  return {
    answers: [
      jsonAnswer("1.0", { Messages }, "AmazonSQS.ReceiveMessage"),
      jsonAnswer("1.0", { Successful: Messages.map((_, i) => ({ Id: String(i) })), Failed: [] }, "AmazonSQS.DeleteMessageBatch"),
    ],
    prepare(ctx) {
      const client = new SQSClient(sdkConfig(ctx));
      const QueueUrl = `${ctx.endpoint}/${ACCOUNT}/${queueName}`;
      return {
        call: async () => {
          if ((await receiveAndDelete(client, QueueUrl)).length !== 10) throw new Error("the canned ReceiveMessage answer should hold 10 messages");
        },
        close: () => client.destroy(),
      };
    },
  };
}

async function createQueue(client: SQSClient, name: string, fifo = false): Promise<string> {
  const Attributes = fifo ? { FifoQueue: "true", ContentBasedDeduplication: "false" } : undefined;
  return (await client.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

/** Messages filled for the raw receive load: 6 s (warm-up and run) at ~3,000 pairs/s. A run that
 *  drains them tops up 100 at a time and says so (the top-ups' sends then count in its CPU). */
const RAW_RECEIVE_MESSAGES = 200_000;

/** SendMessageBatch entries numbered from `base` (FIFO deduplication ids must not repeat). */
function batchEntries(base: number, fifoGroups: number) {
  return Array.from({ length: 10 }, (_, i) => ({
    Id: String(i), MessageBody: `${BODY} ${base + i}`,
    ...(fifoGroups ? { MessageGroupId: `g${(base + i) % fifoGroups}`, MessageDeduplicationId: String(base + i) } : {}),
  }));
}

/** Raw SendMessageBatch requests until `count` more messages are queued or the time budget is spent; returns how many.
 *  Raw requests, not the SDK: the bench client's CPU would make a large fill slow. */
async function fill(endpoint: string, QueueUrl: string, count: number, fifoGroups = 0, from = 0, quiet = false): Promise<number> {
  const until = performance.now() + FILL_BUDGET_MS;
  const client = rawClient(endpoint, 8);
  let sent = 0;
  const worker = async () => {
    while (sent < count && performance.now() < until) {
      const base = from + sent;
      sent += 10;
      const answer = await client.send(jsonRequest("SendMessageBatch", { QueueUrl, Entries: batchEntries(base, fifoGroups) }));
      if (answer.status !== 200) throw new Error(`SendMessageBatch answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    client.close();
  }
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
  sdkCpuTargetMs: 0.1,
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
  ceilingSdk: sendCeiling("bench-send"),
};

/** ReceiveMessage(10) then DeleteMessageBatch of what it received, as raw requests; how many it received. */
async function receiveAndDeleteRaw(client: RawClient, QueueUrl: string): Promise<number> {
  const received = await client.send(jsonRequest("ReceiveMessage", { QueueUrl, MaxNumberOfMessages: 10 }));
  if (received.status !== 200) throw new Error(`ReceiveMessage answered ${received.status}: ${received.body.slice(0, 200)}`);
  const got = ((JSON.parse(received.body) as { Messages?: Message[] }).Messages ?? []);
  if (got.length === 0) return 0;
  const Entries = got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
  const deleted = await client.send(jsonRequest("DeleteMessageBatch", { QueueUrl, Entries }));
  if (deleted.status !== 200 || (JSON.parse(deleted.body) as { Failed?: unknown[] }).Failed?.length) {
    throw new Error(`DeleteMessageBatch answered ${deleted.status}: ${deleted.body.slice(0, 200)}`);
  }
  return got.length;
}

/** Receive(10) + DeleteMessageBatch from a queue filled beforehand (refilled if it runs dry), through the SDK and raw. */
function receiveWorkload(
  name: string, title: string, queueName: string, fillCount: (ctx: WorkloadContext) => number, fifoGroups = 0, sdkCpuTargetMs?: number,
): Workload {
  return {
    name,
    title,
    service: "sqs",
    rawExpect: /"Messages"/,
    ...(sdkCpuTargetMs === undefined ? {} : { sdkCpuTargetMs }),
    async prepare(ctx) {
      const client = new SQSClient(sdkConfig(ctx));
      const QueueUrl = await createQueue(client, queueName, fifoGroups > 0);
      let sent = await fill(ctx.endpoint, QueueUrl, fillCount(ctx), fifoGroups);
      let refills = 0;
      // Drained (a slow peer filled less than the run needs): top up, and say so at the end.
      const refill = async () => {
        refills++;
        const from = sent;
        sent += 100;
        await fill(ctx.endpoint, QueueUrl, 100, fifoGroups, from, true);
      };
      return {
        call: async () => {
          if ((await receiveAndDelete(client, QueueUrl)).length === 0) await refill();
        },
        // The answer check receives with VisibilityTimeout=0, so it takes nothing from the run.
        raw: receiveRaw(QueueUrl),
        rawOperation: async (raw) => {
          if ((await receiveAndDeleteRaw(raw, QueueUrl)) === 0) await refill();
        },
        close: () => {
          if (refills) process.stderr.write(`  (${name}: the queue ran dry ${refills} times and was refilled with 100 messages in the timed runs)\n`);
          client.destroy();
        },
      };
    },
    ceilingRequest: () => receiveRaw(ceilingUrl(queueName)),
    ceilingSdk: receiveCeiling(queueName),
  };
}

// The SDK run makes sdkCalls + warm-up (a fifth) + 1 calls of 10 messages each: 3,601 by default.
export const sqsReceive = receiveWorkload("sqs-receive", "SQS Receive(10)+DeleteBatch", "bench-receive", () => 40_000 + RAW_RECEIVE_MESSAGES, 0, 0.3);

export const sqsDeepSend: Workload = {
  name: "sqs-deep-send",
  title: "SQS SendMessage, 100k queued",
  service: "sqs",
  rawExpect: /"MessageId"/,
  async prepare(ctx) {
    const client = new SQSClient(sdkConfig(ctx));
    const QueueUrl = await createQueue(client, "bench-deep-send");
    await fill(ctx.endpoint, QueueUrl, DEEP_MESSAGES);
    return {
      call: () => client.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY })),
      raw: sendRaw(QueueUrl),
      close: () => client.destroy(),
    };
  },
  ceilingRequest: () => sendRaw(ceilingUrl("bench-deep-send")),
  ceilingSdk: sendCeiling("bench-deep-send"),
};

/** A FIFO queue of 100k messages in 1,000 groups: the receive must skip groups in flight without scanning.
 *  Filled with 100k more, which the SDK and raw runs take (~1,000 pairs/s), so it stays at 100k or more. */
export const sqsDeepReceive = receiveWorkload("sqs-deep-receive", "SQS FIFO Receive(10)+Delete, 100k", "bench-deep.fifo", () => 2 * DEEP_MESSAGES, 1000);

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
