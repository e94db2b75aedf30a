import { CreateFunctionCommand, InvokeCommand, LambdaClient, type Runtime, waitUntilFunctionActiveV2 } from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { median } from "../measure.js";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import type { ExtraFigure, RawRequest, Workload } from "./types.js";

// Lambda Invoke (RequestResponse) of a warm echo handler, in Node and in Python:
// the edge, the service, the Runtime API round trip to a worker process and back.
// Besides the loads, prepare measures what a user feels one call at a time: the
// cold start (the first invoke of a new function, end to end, and the Init Duration
// of its REPORT line) and a warm invoke with nothing else in flight.
// Terrarium only in practice: moto runs Lambda code in Docker containers, so on a
// machine without Docker its invoke fails and the workload is reported unavailable.

const BODY = '{"hello":"world"}';
const COLD_STARTS = 5;
const SERIAL_WARM_CALLS = 200;

interface EchoFunction {
  /** The workload's name for --only. */
  key: string;
  /** The function's name. */
  name: string;
  title: string;
  runtime: Runtime;
  handler: string;
  files: Record<string, string>;
  /** Design target for the end-to-end cold start (issue 6: Node under 150 ms). */
  coldTargetMs?: number;
  /** Design target for one warm invoke at a time (issue 6: Node under 2 ms). */
  warmTargetMs?: number;
}

function echoWorkload(fn: EchoFunction): Workload {
  const raw: RawRequest = {
    method: "POST",
    path: `/2015-03-31/functions/${fn.name}/invocations`,
    headers: { "content-type": "application/json", ...sigV4Headers("lambda") },
    body: BODY,
  };
  const extraFigures: ExtraFigure[] = [
    { key: "coldStartMs", label: `cold start (first invoke, end to end), ms (median of ${COLD_STARTS})`, better: "lower", target: fn.coldTargetMs },
    { key: "initDurationMs", label: "cold start Init Duration (REPORT line), ms", better: "lower" },
    { key: "serialWarmP50Ms", label: `warm invoke one at a time, p50, ms (${SERIAL_WARM_CALLS} calls)`, better: "lower", target: fn.warmTargetMs },
  ];
  const create = (client: LambdaClient, name: string) =>
    client.send(new CreateFunctionCommand({
      FunctionName: name,
      Runtime: fn.runtime,
      Role: "arn:aws:iam::000000000000:role/bench",
      Handler: fn.handler,
      Code: { ZipFile: zipSync(Object.fromEntries(Object.entries(fn.files).map(([path, text]) => [path, strToU8(text)]))) },
    }));
  const invoke = (client: LambdaClient, name: string, tail = false) =>
    client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(BODY), ...(tail ? { LogType: "Tail" as const } : {}) }));

  return {
    name: fn.key,
    title: fn.title,
    service: "lambda",
    rawExpect: /^\{"hello": ?"world"\}$/,
    extraFigures,
    async prepare(ctx) {
      const client = new LambdaClient(sdkConfig(ctx));
      const figures: Record<string, number> = {};
      try {
        const cold: number[] = [];
        const init: number[] = [];
        // A new function each time: its first invoke starts a worker process and runs its init.
        for (let i = 0; i < COLD_STARTS; i++) {
          const name = `${fn.name}-cold-${i}`;
          await create(client, name);
          await waitUntilFunctionActiveV2({ client, maxWaitTime: 30 }, { FunctionName: name });
          const t0 = performance.now();
          const out = await invoke(client, name, true);
          cold.push(performance.now() - t0);
          if (out.FunctionError) throw new Error(`the echo function failed: ${Buffer.from(out.Payload ?? []).toString()}`);
          const report = Buffer.from(out.LogResult ?? "", "base64").toString();
          const initMs = /Init Duration: ([\d.]+) ms/.exec(report);
          if (initMs) init.push(Number(initMs[1]));
        }
        figures.coldStartMs = median(cold);
        if (init.length > 0) figures.initDurationMs = median(init);

        await create(client, fn.name);
        await waitUntilFunctionActiveV2({ client, maxWaitTime: 30 }, { FunctionName: fn.name });
        const first = await invoke(client, fn.name);
        if (first.FunctionError) throw new Error(`the echo function failed: ${Buffer.from(first.Payload ?? []).toString()}`);
        // Warm: let the pool reach its size under concurrent load, and the log delivery
        // (CloudWatch Logs, loaded on first use) start, so the runs measure warm invokes.
        for (let round = 0; round < 5; round++) {
          await Promise.all(Array.from({ length: ctx.concurrency }, () => invoke(client, fn.name)));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        // One call at a time, after a warm-up of the same (the server's and the client's code compiled).
        const serial: number[] = [];
        for (let i = 0; i < 2 * SERIAL_WARM_CALLS; i++) {
          const t0 = performance.now();
          await invoke(client, fn.name);
          if (i >= SERIAL_WARM_CALLS) serial.push(performance.now() - t0);
        }
        figures.serialWarmP50Ms = median(serial);
      } catch (error) {
        client.destroy();
        throw new Error(`unavailable: this target cannot run a Lambda function here (${(error as Error).message})`);
      }
      const payload = Buffer.from(BODY);
      return {
        call: async () => {
          const out = await client.send(new InvokeCommand({ FunctionName: fn.name, Payload: payload }));
          if (out.FunctionError) throw new Error("function error");
        },
        raw,
        close: () => client.destroy(),
        figures,
      };
    },
    ceilingRequest: () => raw,
  };
}

export const lambda = echoWorkload({
  key: "lambda",
  name: "bench-echo",
  title: "Lambda Invoke (warm node echo)",
  runtime: "nodejs20.x",
  handler: "index.handler",
  files: { "index.js": "exports.handler = async (event) => event;" },
  coldTargetMs: 150,
  warmTargetMs: 2,
});

export const lambdaPython = echoWorkload({
  key: "lambda-python",
  name: "bench-echo-python",
  title: "Lambda Invoke (warm python echo)",
  runtime: "python3.12",
  handler: "index.handler",
  files: { "index.py": "def handler(event, context):\n    return event\n" },
});
