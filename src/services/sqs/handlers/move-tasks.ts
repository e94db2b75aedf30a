import type {
  CancelMessageMoveTaskRequest, CancelMessageMoveTaskResult, ListMessageMoveTasksRequest, ListMessageMoveTasksResult,
  ListMessageMoveTasksResultEntry, StartMessageMoveTaskRequest, StartMessageMoveTaskResult,
} from "@aws-sdk/client-sqs";
import { invalidParameter, invalidParameterValue, missingParameter, sqsErrors } from "../errors.js";
import type { MoveTaskRecord } from "../move-tasks.js";
import type { SqsHandler } from "../types.js";

// StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask: DLQ redrive as
// the SQS API reference describes it. The source must be some queue's dead-letter
// queue; one task at a time per source; 1 to 500 messages per second.

export const StartMessageMoveTask: SqsHandler<StartMessageMoveTaskRequest, StartMessageMoveTaskResult> = (input, ctx) => {
  if (!input.SourceArn) throw missingParameter("SourceArn");
  const source = ctx.store.byArn(input.SourceArn);
  if (!source) throw sqsErrors().ResourceNotFoundException("The resource that you specified for the SourceArn parameter doesn't exist.");
  if (!ctx.store.all().some((q) => q.redrivePolicy?.deadLetterTargetArn === source.arn)) {
    throw invalidParameterValue("Source queue must be configured as a Dead Letter Queue.");
  }
  if (input.DestinationArn !== undefined) {
    const destination = ctx.store.byArn(input.DestinationArn);
    if (!destination) throw sqsErrors().ResourceNotFoundException("The resource that you specified for the DestinationArn parameter doesn't exist.");
    if (destination === source) throw invalidParameterValue("Source queue arn and destination queue arn cannot be the same.");
  }
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && rate !== null && !(Number.isInteger(rate) && rate >= 1 && rate <= 500)) {
    throw invalidParameter("MaxNumberOfMessagesPerSecond", rate, "Must be between 1 and 500.");
  }
  if (ctx.store.moveTasks.running(source.arn)) {
    throw sqsErrors().UnsupportedOperation("There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
  }
  const task = ctx.store.moveTasks.start(source, input.DestinationArn, rate ?? undefined);
  return { TaskHandle: task.handle };
};

export const ListMessageMoveTasks: SqsHandler<ListMessageMoveTasksRequest, ListMessageMoveTasksResult> = (input, ctx) => {
  if (!input.SourceArn) throw missingParameter("SourceArn");
  if (!ctx.store.byArn(input.SourceArn)) throw sqsErrors().ResourceNotFoundException("The resource that you specified for the SourceArn parameter doesn't exist.");
  const max = input.MaxResults ?? 1;
  if (!(Number.isInteger(max) && max >= 1 && max <= 10)) throw invalidParameter("MaxResults", max, "Must be between 1 and 10.");
  return { Results: ctx.store.moveTasks.ofSource(input.SourceArn).slice(0, max).map(entry) };
};

export const CancelMessageMoveTask: SqsHandler<CancelMessageMoveTaskRequest, CancelMessageMoveTaskResult> = (input, ctx) => {
  if (!input.TaskHandle) throw missingParameter("TaskHandle");
  const task = ctx.store.moveTasks.byHandle(input.TaskHandle);
  if (!task || task.status !== "RUNNING") throw sqsErrors().ResourceNotFoundException("Task does not exist.");
  ctx.store.moveTasks.cancel(task);
  return { ApproximateNumberOfMessagesMoved: task.moved };
};

function entry(task: MoveTaskRecord): ListMessageMoveTasksResultEntry {
  return {
    // Only a running task has a handle to cancel it with.
    ...(task.status === "RUNNING" ? { TaskHandle: task.handle } : {}),
    Status: task.status,
    SourceArn: task.sourceArn,
    ...(task.destinationArn ? { DestinationArn: task.destinationArn } : {}),
    ...(task.maxPerSecond ? { MaxNumberOfMessagesPerSecond: task.maxPerSecond } : {}),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.failureReason ? { FailureReason: task.failureReason } : {}),
    StartedTimestamp: task.startedAt,
  };
}
