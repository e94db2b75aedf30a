import { randomUUID } from "node:crypto";
import type {
  CreateEventSourceMappingRequest, DeleteEventSourceMappingRequest, EventSourceMappingConfiguration, GetEventSourceMappingRequest,
  ListEventSourceMappingsRequest, ListEventSourceMappingsResponse, UpdateEventSourceMappingRequest,
} from "@aws-sdk/client-lambda";
import { parsePattern, PatternError } from "../../../engines/event-patterns/index.js";
import { invalidParameter, resourceConflict, resourceNotFound } from "../errors.js";
import type { EventSourceMappingRecord } from "../event-source-records.js";
import { parseFunctionName } from "../names.js";
import { queueOf } from "../sqs-poller.js";
import type { LambdaStore } from "../store.js";
import type { LambdaContext, LambdaHandler } from "../types.js";
import { paginate } from "./functions.js";

// Event source mappings: Create/Get/Update/Delete/List. SQS queues (sqs-poller.ts) and
// DynamoDB streams (stream-poller.ts) are polled;
// State answers "Creating", "Updating", "Enabling", "Disabling" or "Deleting" on the
// call that changes it, then "Enabled" or "Disabled", as the SDK's waiters expect.

type State = "Creating" | "Enabled" | "Disabled" | "Updating" | "Enabling" | "Disabling" | "Deleting";

function view(store: LambdaStore, m: EventSourceMappingRecord, state?: State): EventSourceMappingConfiguration {
  return {
    UUID: m.UUID,
    BatchSize: m.BatchSize,
    MaximumBatchingWindowInSeconds: m.MaximumBatchingWindowInSeconds,
    EventSourceArn: m.EventSourceArn,
    ...(m.FilterCriteria ? { FilterCriteria: m.FilterCriteria } : {}),
    FunctionArn: m.FunctionArn,
    LastModified: new Date(m.LastModified),
    LastProcessingResult: m.LastProcessingResult,
    State: state ?? (m.Enabled ? "Enabled" : "Disabled"),
    StateTransitionReason: "USER_INITIATED",
    FunctionResponseTypes: (m.FunctionResponseTypes ?? []) as EventSourceMappingConfiguration["FunctionResponseTypes"],
    ...(m.ScalingConfig ? { ScalingConfig: m.ScalingConfig } : {}),
    ...(isStream(m.EventSourceArn)
      ? {
          StartingPosition: m.StartingPosition as EventSourceMappingConfiguration["StartingPosition"],
          ParallelizationFactor: m.ParallelizationFactor ?? 1,
          MaximumRecordAgeInSeconds: m.MaximumRecordAgeInSeconds ?? -1,
          BisectBatchOnFunctionError: m.BisectBatchOnFunctionError ?? false,
          MaximumRetryAttempts: m.MaximumRetryAttempts ?? -1,
          TumblingWindowInSeconds: 0,
          DestinationConfig: { OnFailure: m.DestinationConfig?.OnFailure ?? {} },
        }
      : {}),
    EventSourceMappingArn: `arn:aws:lambda:${store.region}:${store.account}:event-source-mapping:${m.UUID}`,
  };
}

const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/[^/]+\/stream\/.+$/;

function isStream(arn: string): boolean {
  return STREAM_ARN.test(arn);
}

async function checkStream(ctx: LambdaContext, arn: string): Promise<void> {
  const m = STREAM_ARN.exec(arn)!;
  try {
    await ctx.invoke("dynamodbstreams", "DescribeStream", { StreamArn: arn }, { region: m[1], account: m[2] });
  } catch {
    throw invalidParameter(`Stream not found: ${arn}`);
  }
}

function requireMapping(store: LambdaStore, uuid: string | undefined): EventSourceMappingRecord {
  const mapping = store.mappings.get(uuid ?? "");
  if (!mapping) throw resourceNotFound("The resource you requested does not exist.");
  return mapping;
}

/** FunctionName (a name, partial or full ARN, maybe qualified) to the ARN the mapping invokes. */
function functionArnOf(store: LambdaStore, functionName: string | undefined): string {
  const { name, qualifier } = parseFunctionName(functionName ?? "");
  store.resolve(name, qualifier);
  return store.arn(name, qualifier);
}

function checkFilters(filters: EventSourceMappingRecord["FilterCriteria"]): void {
  for (const filter of filters?.Filters ?? []) {
    try {
      if (filter.Pattern !== undefined) parsePattern(filter.Pattern, { dialect: "eventbridge" });
    } catch (error) {
      if (error instanceof PatternError) throw invalidParameter(`Invalid filter pattern definition.`);
      throw error;
    }
  }
}

/** SQS limits (CreateEventSourceMapping API reference, BatchSize). */
function checkBatching(batchSize: number, windowS: number, fifo: boolean): void {
  if (fifo && batchSize > 10) throw invalidParameter("BatchSize must be between 1 and 10 for FIFO queues.");
  if (batchSize > 10 && windowS === 0) {
    throw invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
  }
}

async function sqsQueueIsFifo(ctx: LambdaContext, arn: string): Promise<boolean> {
  const queue = queueOf(arn);
  if (!queue) throw invalidParameter(`Unsupported event source: ${arn}`);
  try {
    const out = await ctx.invoke("sqs", "GetQueueAttributes", { QueueUrl: queue.url, AttributeNames: ["FifoQueue"] }, queue.scope);
    return (out.Attributes as Record<string, string> | undefined)?.FifoQueue === "true";
  } catch {
    throw invalidParameter(
      "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.",
    );
  }
}

export const CreateEventSourceMapping: LambdaHandler<CreateEventSourceMappingRequest, EventSourceMappingConfiguration> = async (input, ctx) => {
  const store = ctx.store;
  const arn = input.EventSourceArn;
  if (!arn) throw invalidParameter("Unrecognized event source, must be kafka or specify an EventSourceArn.");
  const stream = isStream(arn);
  if (!stream && !arn.startsWith("arn:aws:sqs:")) {
    throw invalidParameter(`Unsupported event source type: ${arn.split(":")[2] ?? arn}. Terrarium maps SQS queues and DynamoDB streams.`);
  }
  const functionArn = functionArnOf(store, input.FunctionName);
  const batchSize = input.BatchSize ?? (stream ? 100 : 10);
  const windowS = input.MaximumBatchingWindowInSeconds ?? 0;
  if (stream) {
    await checkStream(ctx, arn);
    if (input.StartingPosition === undefined) throw invalidParameter("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null");
    if (input.StartingPosition !== "TRIM_HORIZON" && input.StartingPosition !== "LATEST") {
      throw invalidParameter(`Unsupported starting position for arn type: ${input.StartingPosition}`);
    }
  } else {
    checkBatching(batchSize, windowS, await sqsQueueIsFifo(ctx, arn));
  }
  checkFilters(input.FilterCriteria);
  const { name } = parseFunctionName(input.FunctionName ?? "");
  for (const existing of store.mappings.values()) {
    if (existing.EventSourceArn === arn && parseFunctionName(existing.FunctionArn).name === name) {
      throw resourceConflict(
        stream
          ? `The event source arn (" ${arn} ") and function (" ${name} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.UUID}`
          : `An event source mapping with SQS arn (" ${arn} ") and function (" ${name} ") already exists. Please update or delete the existing mapping with UUID ${existing.UUID}`,
      );
    }
  }
  const mapping: EventSourceMappingRecord = {
    UUID: randomUUID(),
    EventSourceArn: arn,
    FunctionArn: functionArn,
    BatchSize: batchSize,
    MaximumBatchingWindowInSeconds: windowS,
    ...(input.FilterCriteria ? { FilterCriteria: input.FilterCriteria } : {}),
    ...(input.FunctionResponseTypes ? { FunctionResponseTypes: input.FunctionResponseTypes } : {}),
    ...(input.ScalingConfig ? { ScalingConfig: input.ScalingConfig } : {}),
    ...(stream
      ? {
          StartingPosition: input.StartingPosition,
          MaximumRetryAttempts: input.MaximumRetryAttempts ?? -1,
          MaximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds ?? -1,
          BisectBatchOnFunctionError: input.BisectBatchOnFunctionError ?? false,
          ParallelizationFactor: input.ParallelizationFactor ?? 1,
          ...(input.DestinationConfig?.OnFailure ? { DestinationConfig: { OnFailure: input.DestinationConfig.OnFailure } } : {}),
        }
      : {}),
    Enabled: input.Enabled ?? true,
    LastModified: ctx.clock.now(),
    LastProcessingResult: "No records processed",
    ...(input.Tags ? { Tags: input.Tags } : {}),
  };
  store.mappings.put(mapping.UUID, mapping);
  store.syncPoller(mapping.UUID);
  return view(store, mapping, "Creating");
};

export const GetEventSourceMapping: LambdaHandler<GetEventSourceMappingRequest, EventSourceMappingConfiguration> = (input, ctx) => {
  return view(ctx.store, requireMapping(ctx.store, input.UUID));
};

export const UpdateEventSourceMapping: LambdaHandler<UpdateEventSourceMappingRequest, EventSourceMappingConfiguration> = async (input, ctx) => {
  const store = ctx.store;
  const current = requireMapping(store, input.UUID);
  const next: EventSourceMappingRecord = { ...current, LastModified: ctx.clock.now() };
  if (input.FunctionName !== undefined) next.FunctionArn = functionArnOf(store, input.FunctionName);
  if (input.BatchSize !== undefined) next.BatchSize = input.BatchSize;
  if (input.MaximumBatchingWindowInSeconds !== undefined) next.MaximumBatchingWindowInSeconds = input.MaximumBatchingWindowInSeconds;
  if (input.FilterCriteria !== undefined) {
    checkFilters(input.FilterCriteria);
    next.FilterCriteria = input.FilterCriteria;
  }
  if (input.FunctionResponseTypes !== undefined) next.FunctionResponseTypes = input.FunctionResponseTypes;
  if (input.ScalingConfig !== undefined) next.ScalingConfig = input.ScalingConfig;
  if (input.Enabled !== undefined) next.Enabled = input.Enabled;
  if (input.MaximumRetryAttempts !== undefined) next.MaximumRetryAttempts = input.MaximumRetryAttempts;
  if (input.MaximumRecordAgeInSeconds !== undefined) next.MaximumRecordAgeInSeconds = input.MaximumRecordAgeInSeconds;
  if (input.BisectBatchOnFunctionError !== undefined) next.BisectBatchOnFunctionError = input.BisectBatchOnFunctionError;
  if (input.ParallelizationFactor !== undefined) next.ParallelizationFactor = input.ParallelizationFactor;
  if (input.DestinationConfig?.OnFailure !== undefined) next.DestinationConfig = { OnFailure: input.DestinationConfig.OnFailure };
  if (!isStream(next.EventSourceArn) && (input.BatchSize !== undefined || input.MaximumBatchingWindowInSeconds !== undefined)) {
    checkBatching(next.BatchSize, next.MaximumBatchingWindowInSeconds, await sqsQueueIsFifo(ctx, next.EventSourceArn));
  }
  store.mappings.put(next.UUID, next);
  store.syncPoller(next.UUID);
  const state: State = current.Enabled === next.Enabled ? "Updating" : next.Enabled ? "Enabling" : "Disabling";
  return view(store, next, state);
};

export const DeleteEventSourceMapping: LambdaHandler<DeleteEventSourceMappingRequest, EventSourceMappingConfiguration> = (input, ctx) => {
  const store = ctx.store;
  const mapping = requireMapping(store, input.UUID);
  store.mappings.delete(mapping.UUID);
  store.syncPoller(mapping.UUID);
  return view(store, mapping, "Deleting");
};

export const ListEventSourceMappings: LambdaHandler<ListEventSourceMappingsRequest, ListEventSourceMappingsResponse> = (input, ctx) => {
  const store = ctx.store;
  const name = input.FunctionName === undefined ? undefined : parseFunctionName(input.FunctionName).name;
  const all = store.mappings
    .values()
    .filter((m) => (input.EventSourceArn === undefined || m.EventSourceArn === input.EventSourceArn) && (name === undefined || parseFunctionName(m.FunctionArn).name === name))
    .sort((a, b) => a.LastModified - b.LastModified || (a.UUID < b.UUID ? -1 : 1));
  const page = paginate(all, input.Marker, input.MaxItems, "EventSourceMappings");
  return { ...page, EventSourceMappings: page.EventSourceMappings.map((m) => view(store, m)) };
};
