import type { InvocationRequest, InvocationResponse } from "@aws-sdk/client-lambda";
import { ThrottledError } from "../../../runtime/types.js";
import { enqueueAsync, routedVersion } from "../async-invoke.js";
import { lambdaError } from "../errors.js";
import { LambdaLimits } from "../limits.js";
import type { LambdaHandler } from "../types.js";

// Invoke: RequestResponse runs the function and answers its result; Event queues
// it (202) for async-invoke.ts; DryRun only checks that it could run (204).

function tooLarge(limit: number) {
  return lambdaError("RequestTooLargeException", `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
}

function checkJson(payload: Buffer): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString("utf8"));
  } catch (error) {
    throw lambdaError("InvalidRequestContentException", `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`);
  }
}

export const Invoke: LambdaHandler<InvocationRequest, InvocationResponse> = async (input, ctx) => {
  const store = ctx.store;
  const type = input.InvocationType ?? "RequestResponse";
  const payload = input.Payload ? Buffer.from(input.Payload) : Buffer.alloc(0);
  if (type === "Event" && payload.length > LambdaLimits.asyncPayloadBytes) throw tooLarge(LambdaLimits.asyncPayloadBytes);
  if (payload.length > LambdaLimits.syncPayloadBytes) throw tooLarge(LambdaLimits.syncPayloadBytes);
  const resolved = store.resolve(input.FunctionName, input.Qualifier);
  checkJson(payload);
  const event = payload.length === 0 ? Buffer.from("{}") : payload;
  const { fn, qualifier } = resolved;
  if (type === "DryRun") return { StatusCode: 204 };
  if (type === "Event") {
    enqueueAsync(store, ctx.logger, {
      functionName: fn.name,
      qualifier,
      payload: event,
      requestId: ctx.requestId,
      enqueuedAt: ctx.clock.now(),
      attempts: 0,
    });
    return { StatusCode: 202 };
  }
  const version = routedVersion(resolved);
  const spec = store.spec(fn, fn.versions[version]);
  let clientContext: string | undefined;
  if (input.ClientContext) clientContext = Buffer.from(input.ClientContext, "base64").toString("utf8");
  try {
    const result = await store.runtime.executor().invoke(spec, event, {
      requestId: ctx.requestId,
      invokedFunctionArn: store.arn(fn.name, qualifier),
      clientContext,
    });
    return {
      StatusCode: 200,
      Payload: result.payload,
      ExecutedVersion: version,
      ...(result.functionError ? { FunctionError: result.functionError } : {}),
      ...(input.LogType === "Tail" ? { LogResult: Buffer.from(result.logTail).toString("base64") } : {}),
    };
  } catch (error) {
    if (error instanceof ThrottledError) {
      throw lambdaError("TooManyRequestsException", "Rate Exceeded.", { Reason: error.reason });
    }
    throw error;
  }
};
