import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startTerrarium, type Terrarium, type TerrariumOptions } from "../src/index.js";

// Shared by the black-box tests: a server on a free port, client settings, and
// a way to run boto3 snippets with the machine's python3.

const run = promisify(execFile);

export async function startTestServer(options: TerrariumOptions = {}): Promise<Terrarium> {
  return startTerrarium({ port: 0, logLevel: "error", ...options });
}

/** SDK v3 settings for a test client. No retries: a test asserts the first answer,
 *  and the SDK would otherwise back off and retry throttling-like errors. */
export function clientConfig(endpoint: string, region = "us-east-1") {
  return { endpoint, region, credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 };
}

/** Runs a Python snippet with `endpoint` bound; it prints JSON, which is returned. */
export async function python(endpoint: string, code: string, interpreter = "python3"): Promise<any> {
  const prelude = [
    "import json, boto3, botocore, sys",
    `endpoint = ${JSON.stringify(endpoint)}`,
    "def client(name, region='us-east-1'):",
    "    return boto3.client(name, endpoint_url=endpoint, region_name=region, aws_access_key_id='test', aws_secret_access_key='test')",
  ].join("\n");
  const { stdout } = await run(interpreter, ["-c", `${prelude}\n${code}`], { timeout: 60_000 });
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

/** Runs the AWS CLI against the endpoint; returns parsed JSON output (or raw text). */
export async function awsCli(endpoint: string, args: string[]): Promise<any> {
  const { stdout } = await run("aws", ["--endpoint-url", endpoint, "--output", "json", ...args], {
    timeout: 60_000,
    env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1" },
  });
  const text = stdout.trim();
  return text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : text;
}
