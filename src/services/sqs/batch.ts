import type { BatchResultErrorEntry } from "@aws-sdk/client-sqs";
import { loadModel } from "../../models/load.js";
import { isServiceError } from "../../protocols/service-error.js";
import { sqsErrors } from "./errors.js";
import { SqsLimits } from "./limits.js";

// The checks every *Batch operation makes on the whole request, and the per-entry
// failure its answer lists instead of failing the request (SQS API reference,
// SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch).

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function checkBatch(entries: { Id?: string }[] | undefined, entryName: string): { Id?: string }[] {
  const errors = sqsErrors();
  const list = entries ?? [];
  if (list.length === 0) throw errors.EmptyBatchRequest(`There should be at least one ${entryName} in the request.`);
  if (list.length > SqsLimits.maxBatchEntries) {
    throw errors.TooManyEntriesInBatchRequest(`Maximum number of entries per request are ${SqsLimits.maxBatchEntries}. You have sent ${list.length}.`);
  }
  const seen = new Set<string>();
  for (const entry of list) {
    const id = entry.Id ?? "";
    if (seen.has(id)) throw errors.BatchEntryIdsNotDistinct(`Id ${id} repeated.`);
    seen.add(id);
  }
  for (const entry of list) {
    if (!ENTRY_ID.test(entry.Id ?? "")) {
      throw errors.InvalidBatchEntryId("A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
    }
  }
  return list;
}

/** A failed entry: the error's query code (what batch results have always carried). */
export function failedEntry(id: string, error: unknown): BatchResultErrorEntry {
  if (!isServiceError(error)) throw error;
  const code = (error.shapeName && loadModel("sqs").shapes[error.shapeName]?.error?.code) || error.code;
  return { Id: id, SenderFault: error.senderFault, Code: code, Message: error.message };
}
