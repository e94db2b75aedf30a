import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import type { RawRequest, Workload } from "./types.js";

// Lambda Invoke (RequestResponse) of a warm Node echo handler: the edge, the
// service, the Runtime API round trip to a worker process and back. Terrarium
// only in practice: moto runs Lambda code in Docker containers, so on a machine
// without Docker its invoke fails and the workload is reported unavailable.

const FUNCTION = "bench-echo";
const BODY = '{"hello":"world"}';

const raw: RawRequest = {
  method: "POST",
  path: `/2015-03-31/functions/${FUNCTION}/invocations`,
  headers: { "content-type": "application/json", ...sigV4Headers("lambda") },
  body: BODY,
};

export const lambda: Workload = {
  name: "lambda",
  title: "Lambda Invoke (warm node echo)",
  service: "lambda",
  rawExpect: /^\{"hello":"world"\}$/,
  async prepare(ctx) {
    const client = new LambdaClient(sdkConfig(ctx));
    try {
      await client.send(new CreateFunctionCommand({
        FunctionName: FUNCTION,
        Runtime: "nodejs20.x",
        Role: "arn:aws:iam::000000000000:role/bench",
        Handler: "index.handler",
        Code: { ZipFile: zipSync({ "index.js": strToU8("exports.handler = async (event) => event;") }) },
      }));
      await waitUntilFunctionActiveV2({ client, maxWaitTime: 30 }, { FunctionName: FUNCTION });
      const first = await client.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: Buffer.from(BODY) }));
      if (first.FunctionError) throw new Error(`the echo function failed: ${Buffer.from(first.Payload ?? []).toString()}`);
      // Warm: let the pool reach its size under concurrent load, and the log delivery
      // (CloudWatch Logs, loaded on first use) start, so the runs measure warm invokes.
      for (let round = 0; round < 5; round++) {
        await Promise.all(Array.from({ length: ctx.concurrency }, () => client.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: Buffer.from(BODY) }))));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } catch (error) {
      client.destroy();
      throw new Error(`unavailable: this target cannot run a Lambda function here (${(error as Error).message})`);
    }
    const payload = Buffer.from(BODY);
    return {
      call: async () => {
        const out = await client.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: payload }));
        if (out.FunctionError) throw new Error("function error");
      },
      raw,
      close: () => client.destroy(),
    };
  },
  ceilingRequest: () => raw,
};
