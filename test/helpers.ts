import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after } from "node:test";
import { promisify } from "node:util";
import { startTerrarium, type Terrarium, type TerrariumOptions } from "../src/index.js";

// Shared by the black-box tests: a server on a free port, SDK clients aimed at it,
// AWS error assertions, and a way to run boto3 snippets and the AWS CLI.

const run = promisify(execFile);

export async function startTestServer(options: TerrariumOptions = {}): Promise<Terrarium> {
  return startTerrarium({ port: 0, logLevel: "error", ...options });
}

/** Keys as AWS answers them: an IAM AccessKey, or STS Credentials. */
export interface AwsKeys {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
}

export interface ClientOptions {
  region?: string;
  /** Act as this account's root: Terrarium takes a 12-digit access key id it did not
   *  issue as the account to act in (src/storage/access-keys.ts). */
  account?: string;
  /** Sign with these keys instead, e.g. to act as a user or a role session. */
  keys?: AwsKeys;
}

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The SDK's credentials for a test client; the default account's root unless told. */
export function testCredentials({ account, keys }: Omit<ClientOptions, "region"> = {}): TestCredentials {
  if (keys) return { accessKeyId: keys.AccessKeyId!, secretAccessKey: keys.SecretAccessKey!, sessionToken: keys.SessionToken };
  return { accessKeyId: account ?? "test", secretAccessKey: "test" };
}

/** SDK v3 settings for a test client. No retries: a test asserts the first answer,
 *  and the SDK would otherwise back off and retry throttling-like errors. */
export function clientConfig(endpoint: string, region = "us-east-1", credentials: TestCredentials = testCredentials()) {
  return { endpoint, region, credentials, maxAttempts: 1 };
}

export type TestClientConfig = ReturnType<typeof clientConfig>;

export interface TestServer {
  readonly terrarium: Terrarium;
  readonly endpoint: string;
  /** An SDK v3 client aimed at the server, e.g. `server.client(SQSClient, { account })`;
   *  destroyed after the file's tests unless the test destroys it first. */
  client<C extends { destroy(): void }>(Client: new (config: TestClientConfig) => C, options?: ClientOptions): C;
  /** Terrarium's clock in epoch milliseconds, read through its internal API. */
  clockNow(): Promise<number>;
  /** Moves Terrarium's clock forward through its internal API. */
  advanceClock(seconds: number): Promise<void>;
}

/**
 * Starts a server for a test file, with an `after` hook that destroys the clients
 * made through it and stops it. Await it at the top level of the file, so the
 * server runs before any hook or test: node 20 starts a top-level `before` hook as
 * soon as it is registered, without waiting for the ones registered earlier.
 */
export async function useTestServer(options: TerrariumOptions = {}): Promise<TestServer> {
  const terrarium = await startTestServer(options);
  const endpoint = terrarium.endpoint;
  const clients: { destroy(): void }[] = [];
  after(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await terrarium.stop();
  });
  return {
    terrarium,
    endpoint,
    client(Client, { region, ...signer } = {}) {
      const client = new Client(clientConfig(endpoint, region, testCredentials(signer)));
      clients.push(client);
      return client;
    },
    async clockNow() {
      const res = await fetch(`${endpoint}/_terrarium/clock`);
      return Date.parse(((await res.json()) as { now: string }).now);
    },
    async advanceClock(seconds) {
      const res = await fetch(`${endpoint}/_terrarium/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: seconds }) });
      assert.equal(res.status, 200, await res.text());
    },
  };
}

export interface ExpectedAwsError {
  /** The wire error code (aws-query's Error.Code, or the error name the SDK gives). */
  code: string;
  /** The whole message, or a pattern for messages that vary. */
  message?: string | RegExp;
  /** The HTTP status. */
  status?: number;
}

/** Asserts that `promise` rejects with an AWS error: its code and, when given, message and HTTP status. */
export async function assertAwsError(promise: Promise<unknown>, expected: ExpectedAwsError): Promise<void> {
  await assert.rejects(promise, (e: any) => {
    assert.equal(e.Error?.Code ?? e.name, expected.code);
    if (typeof expected.message === "string") assert.equal(e.message, expected.message);
    else if (expected.message) assert.match(e.message, expected.message);
    if (expected.status !== undefined) assert.equal(e.$metadata?.httpStatusCode, expected.status);
    return true;
  });
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
