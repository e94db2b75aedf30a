import type { SendMessageBatchRequest, SendMessageBatchResult, SendMessageBatchResultEntry, BatchResultErrorEntry, SendMessageRequest, SendMessageResult } from "@aws-sdk/client-sqs";
import { checkBatch, failedEntry } from "../batch.js";
import { missingParameter, sqsErrors } from "../errors.js";
import { SqsLimits } from "../limits.js";
import { sendMessage, type Sender } from "../message-input.js";
import type { SqsContext, SqsHandler } from "../types.js";

// SendMessage and SendMessageBatch. The rules of one message are in message-input.ts.

const senderOf = (ctx: SqsContext): Sender => ({
  // SenderId: the account for the root, the user or role id otherwise (AIDA..., AROA...:session).
  senderId: ctx.principal.userId,
  now: ctx.clock.now(),
  nextSeq: () => ctx.store.nextSeq(),
});

export const SendMessage: SqsHandler<SendMessageRequest, SendMessageResult> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  return sendMessage(queue, input, senderOf(ctx));
};

export const SendMessageBatch: SqsHandler<SendMessageBatchRequest, SendMessageBatchResult> = (input, ctx) => {
  if (input.QueueUrl === undefined) throw missingParameter("QueueUrl");
  const queue = ctx.store.requireQueue(input.QueueUrl);
  checkBatch(input.Entries, "SendMessageBatchRequestEntry");
  let total = 0;
  for (const e of input.Entries!) {
    total += Buffer.byteLength(e.MessageBody ?? "");
    for (const [name, v] of Object.entries(e.MessageAttributes ?? {})) {
      total += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? "") + Buffer.byteLength(v.StringValue ?? "") + (v.BinaryValue?.length ?? 0);
    }
  }
  if (total > SqsLimits.maxBatchBytes) {
    throw sqsErrors().BatchRequestTooLong(`Batch requests cannot be longer than ${SqsLimits.maxBatchBytes} bytes. You have sent ${total} bytes.`);
  }
  const Successful: SendMessageBatchResultEntry[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  const sender = senderOf(ctx);
  ctx.store.atomically(() => {
    for (const entry of input.Entries!) {
      try {
        Successful.push({ Id: entry.Id, ...sendMessage(queue, entry, sender) });
      } catch (error) {
        Failed.push(failedEntry(entry.Id!, error));
      }
    }
  });
  return { Successful, Failed };
};
