import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { rawClient } from "../load.js";
import { sdkConfig } from "./aws-request.js";
import { dynamodbCeiling, raw } from "./dynamodb.js";
import type { RawRequest, Workload, WorkloadContext } from "./types.js";

// Issue 3's scale figures: GetItem and Query (25 of a partition's 100 items)
// latency with the table at 10k and at 1M items of about 100 bytes, so a reader
// compares the two rows (target: 1M within 1.5x of 10k). Each size has its own
// table, loaded once per server by raw BatchWriteItem requests, many in flight.
// A server that cannot load it within LOAD_BUDGET_MS reports an error for the
// row instead of stalling the whole bench. Beside the load runs (16-32 requests
// in flight, so their latencies are mostly queueing), each row measures the p50
// of requests sent one at a time to random keys, and the 1M rows its ratio to
// the 10k rows' (target 1.5x).

const PARTITION_ITEMS = 100;
const BATCH = 25;
const LOAD_CONCURRENCY = 16;
const LOAD_BUDGET_MS = 150_000;
const DATA = "d".repeat(80);


const partitionName = (p: number) => `p${String(p).padStart(7, "0")}`;

/** Item `n` of a table, in DynamoDB JSON. */
const itemNumber = (n: number) => ({ pk: { S: partitionName(Math.floor(n / PARTITION_ITEMS)) }, sk: { N: String(n % PARTITION_ITEMS) }, data: { S: DATA } });

function batchBody(table: string, first: number) {
  return {
    RequestItems: {
      [table]: Array.from({ length: BATCH }, (_, i) => ({ PutRequest: { Item: itemNumber(first + i) } })),
    },
  };
}


/** Writes `items` items into `table`, LOAD_CONCURRENCY batches in flight. */
async function load(endpoint: string, table: string, items: number): Promise<void> {
  const client = rawClient(endpoint, LOAD_CONCURRENCY);
  const began = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items) {
      const first = next;
      next += BATCH;
      // Give up once the rate so far says the budget will not do (a slow peer is told apart in seconds).
      const elapsed = performance.now() - began;
      if (elapsed > LOAD_BUDGET_MS || (elapsed > LOAD_BUDGET_MS / 10 && (done / elapsed) * LOAD_BUDGET_MS < items)) {
        throw new Error(`too slow to load: ${done} of ${items} items in ${(elapsed / 1000).toFixed(0)} s (budget ${LOAD_BUDGET_MS / 1000} s)`);
      }
      const res = await client.send(raw("BatchWriteItem", batchBody(table, first)));
      // A peer that throttles hands items back; the load then is not what the row claims.
      if (res.status !== 200 || Object.keys((JSON.parse(res.body) as { UnprocessedItems?: object }).UnprocessedItems ?? {}).length > 0) {
        throw new Error(`BatchWriteItem answered ${res.status}: ${res.body.slice(0, 200)}`);
      }
      done += BATCH;
    }
  };
  try {
    await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
  } finally {
    client.close();
  }
  process.stderr.write(`  ${table}: ${items} items loaded in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

async function createTable(client: DynamoDBClient, table: string): Promise<boolean> {
  try {
    await client.send(new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
      BillingMode: "PAY_PER_REQUEST",
    }));
  } catch (e) {
    if ((e as { name?: string }).name === "ResourceInUseException") return false;
    throw e;
  }
  for (let i = 0; i < 50; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: table }));
    if (t.Table?.TableStatus === "ACTIVE") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

// One load per server and size, shared by the GetItem and the Query rows (and
// its failure too, so a server too slow to load is not tried twice).
const loads = new Map<string, Promise<void>>();

function loaded(ctx: WorkloadContext, client: DynamoDBClient, table: string, items: number): Promise<void> {
  const id = `${ctx.endpoint} ${table}`;
  const earlier = loads.get(id);
  const fresh = () => createTable(client, table).then((created) => (created ? load(ctx.endpoint, table, items) : undefined));
  // A later server may reuse an earlier one's port: a table loaded there but missing here is loaded again.
  const p = earlier
    ? earlier.then(() => client.send(new DescribeTableCommand({ TableName: table })).then(() => undefined, fresh))
    : fresh();
  loads.set(id, p);
  return p;
}

/** p50 of `count` requests sent one at a time: latency without queueing (the load runs keep 16-32 in flight). */
async function sequentialP50(endpoint: string, next: () => RawRequest, expect: RegExp, count: number): Promise<number> {
  const client = rawClient(endpoint);
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const req = next();
      const t0 = performance.now();
      const res = await client.send(req);
      times.push(performance.now() - t0);
      if (res.status !== 200 || !expect.test(res.body)) throw new Error(`answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
  } finally {
    client.close();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const SEQUENTIAL_CALLS = 2000;
const SLOW_MS = 20;
// Sequential p50 of the 10k rows, per server and operation, for the 1M rows' ratio.
const smallTableP50 = new Map<string, number>();

function scaleFigures(label: string) {
  return [
    { key: "p50", label: "p50 one at a time (random keys), ms", better: "lower" as const },
    ...(label === "1m" ? [{ key: "vs10k", label: "p50 one at a time vs 10k items, x", better: "lower" as const, target: 1.5 }] : []),
  ];
}

async function measureFigures(ctx: WorkloadContext, operation: string, label: string, next: () => RawRequest, expect: RegExp): Promise<Record<string, number>> {
  // Warm the server's code path first, so the figure is the steady state. A
  // server whose every call takes tens of ms (moto's Query reads the whole
  // table) would hold the bench for many minutes: its row says so instead.
  const warm = await sequentialP50(ctx.endpoint, next, expect, 20);
  if (warm > SLOW_MS) throw new Error(`too slow for the load runs: ${operation} p50 ${warm.toFixed(1)} ms one at a time`);
  await sequentialP50(ctx.endpoint, next, expect, 200);
  const p50 = await sequentialP50(ctx.endpoint, next, expect, SEQUENTIAL_CALLS);
  const id = `${ctx.endpoint} ${operation}`;
  if (label === "10k") smallTableP50.set(id, p50);
  const small = smallTableP50.get(id);
  return label === "1m" && small !== undefined ? { p50, vs10k: p50 / small } : { p50 };
}

function scaleWorkloads(label: string, items: number): [Workload, Workload] {
  const table = `bench-scale-${label}`;
  const partitions = items / PARTITION_ITEMS;
  const middle = partitionName(Math.floor(partitions / 2));
  const getBody = (p: string, sk: number) => ({ TableName: table, Key: { pk: { S: p }, sk: { N: String(sk) } } });
  const queryBody = (p: string) => ({
    TableName: table, KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b",
    ExpressionAttributeValues: { ":p": { S: p }, ":a": { N: "10" }, ":b": { N: "34" } },
  });
  // The SDK calls pick a random partition each, so a large table is read all over, not one hot page.
  const randomPartition = () => partitionName(Math.floor(Math.random() * partitions));
  const getCall = (client: DynamoDBClient) => () => client.send(new GetItemCommand(getBody(randomPartition(), Math.floor(Math.random() * PARTITION_ITEMS))));
  const queryCall = (client: DynamoDBClient) => async () => {
    const out = await client.send(new QueryCommand(queryBody(randomPartition())));
    if (out.Count !== 25) throw new Error(`Query answered ${out.Count} items, not 25`);
  };
  const get: Workload = {
    name: `dynamodb-get-${label}`,
    title: `DynamoDB GetItem, ${label} items`,
    service: "dynamodb",
    rawExpect: /"Item"/,
    extraFigures: scaleFigures(label),
    async prepare(ctx) {
      const client = new DynamoDBClient(sdkConfig(ctx));
      await loaded(ctx, client, table, items);
      const randomGet = () => raw("GetItem", getBody(randomPartition(), Math.floor(Math.random() * PARTITION_ITEMS)));
      return {
        figures: await measureFigures(ctx, "GetItem", label, randomGet, /"Item"/),
        call: getCall(client),
        raw: raw("GetItem", getBody(middle, 42)),
        close: () => client.destroy(),
      };
    },
    ceilingRequest: () => raw("GetItem", getBody(middle, 42)),
    ceilingSdk: dynamodbCeiling({ Item: itemNumber(42) }, getCall),
  };
  const query: Workload = {
    name: `dynamodb-query-${label}`,
    title: `DynamoDB Query (25 of 100), ${label} items`,
    service: "dynamodb",
    rawExpect: /"Count":\s*25\b/,
    extraFigures: scaleFigures(label),
    async prepare(ctx) {
      const client = new DynamoDBClient(sdkConfig(ctx));
      await loaded(ctx, client, table, items);
      const randomQuery = () => raw("Query", queryBody(randomPartition()));
      return {
        figures: await measureFigures(ctx, "Query", label, randomQuery, /"Count":\s*25\b/),
        call: queryCall(client),
        raw: raw("Query", queryBody(middle)),
        close: () => client.destroy(),
      };
    },
    ceilingRequest: () => raw("Query", queryBody(middle)),
    ceilingSdk: dynamodbCeiling({ Items: Array.from({ length: 25 }, (_, i) => itemNumber(10 + i)), Count: 25, ScannedCount: 25 }, queryCall),
  };
  return [get, query];
}

export const [dynamodbGet10k, dynamodbQuery10k] = scaleWorkloads("10k", 10_000);
export const [dynamodbGet1m, dynamodbQuery1m] = scaleWorkloads("1m", 1_000_000);
