import type {
  BatchResultErrorEntry, ChangeMessageVisibilityBatchRequest, ChangeMessageVisibilityBatchResult, ChangeMessageVisibilityRequest,
  DeleteMessageBatchRequest, DeleteMessageBatchResult, DeleteMessageRequest,
} from "@aws-sdk/client-sqs";
import { checkBatch, failedEntry } from "../batch.js";
import { invalidParameter, missingParameter, receiptHandleIsInvalid, sqsErrors } from "../errors.js";
import { SqsLimits } from "../limits.js";
import type { Queue } from "../queue.js";
import { decodeReceipt } from "../receipt-handles.js";
import type { SqsHandler } from "../types.js";

// DeleteMessage, ChangeMessageVisibility and their batch forms, by receipt handle.
// A well-formed handle of a message already deleted deletes nothing and succeeds
// (DeleteMessage API reference); changing the visibility of a message that is not
// in flight is MessageNotInflight.

function deleteOne(queue: Queue, handle: string | undefined): void {
  if (handle === undefined) throw missingParameter("ReceiptHandle");
  const receipt = decodeReceipt(handle);
  if (receipt.queueArn !== queue.arn) throw receiptHandleIsInvalid(handle);
  const message = queue.byReceipt(receipt);
  if (!message) return;
  // FIFO: a handle from an earlier receive has expired.
  if (queue.fifo && message.receipt !== receipt.nonce) throw sqsErrors().ReceiptHandleIsInvalid("The receipt handle has expired.");
  queue.remove(message);
}

function changeOne(queue: Queue, handle: string | undefined, seconds: number | undefined, now: number): void {
  if (handle === undefined) throw missingParameter("ReceiptHandle");
  if (seconds === undefined) throw missingParameter("VisibilityTimeout");
  const receipt = decodeReceipt(handle);
  if (receipt.queueArn !== queue.arn) throw receiptHandleIsInvalid(handle);
  if (seconds < 0 || seconds > SqsLimits.maxVisibilityTimeout) {
    throw invalidParameter("VisibilityTimeout", seconds, "Must be >= 0 and <= 43200, if provided.");
  }
  const message = queue.byReceipt(receipt);
  if (!message || message.receipt !== receipt.nonce) {
    throw invalidParameter("ReceiptHandle", handle, "Message does not exist or is not available for visibility timeout change.");
  }
  if (message.visibleAt <= now) throw sqsErrors().MessageNotInflight("Message does not exist or is not available for visibility timeout change.");
  // The 12-hour limit counts from the receive that made the message invisible.
  if ((now - message.lastReceivedAt!) / 1000 + seconds > SqsLimits.maxVisibilityTimeout) {
    throw invalidParameter("VisibilityTimeout", seconds, `Total VisibilityTimeout for the message is beyond the limit [${SqsLimits.maxVisibilityTimeout} seconds]`);
  }
  queue.changeVisibility(message, seconds);
}

export const DeleteMessage: SqsHandler<DeleteMessageRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  deleteOne(queue, input.ReceiptHandle);
  return {};
};

export const DeleteMessageBatch: SqsHandler<DeleteMessageBatchRequest, DeleteMessageBatchResult> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  checkBatch(input.Entries, "DeleteMessageBatchRequestEntry");
  const Successful: { Id: string }[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  ctx.store.atomically(() => {
    for (const entry of input.Entries!) {
      try {
        deleteOne(queue, entry.ReceiptHandle);
        Successful.push({ Id: entry.Id! });
      } catch (error) {
        Failed.push(failedEntry(entry.Id!, error));
      }
    }
  });
  return { Successful, Failed };
};

export const ChangeMessageVisibility: SqsHandler<ChangeMessageVisibilityRequest, object> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  changeOne(queue, input.ReceiptHandle, input.VisibilityTimeout, ctx.clock.now());
  return {};
};

export const ChangeMessageVisibilityBatch: SqsHandler<ChangeMessageVisibilityBatchRequest, ChangeMessageVisibilityBatchResult> = (input, ctx) => {
  const queue = ctx.store.requireQueue(input.QueueUrl);
  checkBatch(input.Entries, "ChangeMessageVisibilityBatchRequestEntry");
  const Successful: { Id: string }[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  ctx.store.atomically(() => {
    for (const entry of input.Entries!) {
      try {
        changeOne(queue, entry.ReceiptHandle, entry.VisibilityTimeout, ctx.clock.now());
        Successful.push({ Id: entry.Id! });
      } catch (error) {
        Failed.push(failedEntry(entry.Id!, error));
      }
    }
  });
  return { Successful, Failed };
};
