import {
  BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { sdkConfig, sigV4Headers } from "./aws-request.js";
import { jsonAnswer } from "./canned.js";
import type { CeilingSdk, RawRequest, Workload, WorkloadContext } from "./types.js";

// DynamoDB PutItem (1 KB items), GetItem, Query (25 of the 100 items of a
// partition) and BatchWriteItem (25 items of 1 KB), the workloads of issue 3,
// against Terrarium, moto and dynalite. The raw runs repeat one body, so their
// writes after the first leave items as they were; every SDK write changes its
// item (a counter in the padding), so the SDK rows measure real writes. The bare
// server's SDK rows get the answers these calls get from a real table.

const TABLE = "bench";
const PAD = "x".repeat(1000);

/** A DynamoDB operation as a raw JSON 1.0 request. */
export function raw(operation: string, body: unknown): RawRequest {
  return {
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `DynamoDB_20120810.${operation}`, ...sigV4Headers("dynamodb") },
    body: JSON.stringify(body),
  };
}

async function prepareTable(ctx: WorkloadContext): Promise<DynamoDBClient> {
  const client = new DynamoDBClient(sdkConfig(ctx));
  try {
    await client.send(new CreateTableCommand({
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    BillingMode: "PAY_PER_REQUEST",
    }));
  } catch (e) {
    // The same emulator may serve several of these workloads: the table is there already.
    if ((e as { name?: string }).name !== "ResourceInUseException") throw e;
    return client;
  }
  for (let i = 0; i < 50; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (t.Table?.TableStatus === "ACTIVE") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  for (let p = 0; p < 4; p++) {
    await Promise.all(Array.from({ length: 100 }, (_, i) => client.send(new PutItemCommand({
      TableName: TABLE, Item: { pk: { S: `p${p}` }, sk: { N: String(i) }, pad: { S: PAD } },
    }))));
  }
  return client;
}

/** The SDK row against the bare server: a client without a table, `answer` to every call. */
export function dynamodbCeiling(answer: unknown, call: (client: DynamoDBClient) => () => Promise<unknown>): CeilingSdk {
  return {
    answers: [jsonAnswer("1.0", answer)],
    prepare(ctx) {
      const client = new DynamoDBClient(sdkConfig(ctx));
      return { call: call(client), close: () => client.destroy() };
    },
  };
}

/** The item `sk` of partition `pk` as prepareTable wrote it, in DynamoDB JSON. */
const storedItem = (pk: string, sk: number) => ({ pk: { S: pk }, sk: { N: String(sk) }, pad: { S: PAD } });

const putBody = { TableName: TABLE, Item: { pk: { S: "w" }, sk: { N: "1" }, pad: { S: PAD } } };
const getBody = { TableName: TABLE, Key: { pk: { S: "p1" }, sk: { N: "42" } } };
const queryBody = {
  TableName: TABLE, KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b",
  ExpressionAttributeValues: { ":p": { S: "p2" }, ":a": { N: "10" }, ":b": { N: "34" } },
};

function putCall(client: DynamoDBClient) {
  let n = 0;
  return () => client.send(new PutItemCommand({ ...putBody, Item: { ...putBody.Item, sk: { N: String(n % 1000) }, pad: { S: padded(n++) } } }));
}
const getCall = (client: DynamoDBClient) => () => client.send(new GetItemCommand(getBody));
const queryCall = (client: DynamoDBClient) => () => client.send(new QueryCommand(queryBody));

export const dynamodbPutItem: Workload = {
  name: "dynamodb-put",
  title: "DynamoDB PutItem (1 KB)",
  service: "dynamodb",
  rawExpect: /^\{\s*\}$/,
  sdkCpuTargetMs: 0.15,
  async prepare(ctx) {
    const client = await prepareTable(ctx);
    return { call: putCall(client), raw: raw("PutItem", putBody), close: () => client.destroy() };
  },
  ceilingRequest: () => raw("PutItem", putBody),
  ceilingSdk: dynamodbCeiling({}, putCall),
};

export const dynamodbGetItem: Workload = {
  name: "dynamodb-get",
  title: "DynamoDB GetItem",
  service: "dynamodb",
  rawExpect: /"Item"/,
  sdkCpuTargetMs: 0.1,
  async prepare(ctx) {
    const client = await prepareTable(ctx);
    return { call: getCall(client), raw: raw("GetItem", getBody), close: () => client.destroy() };
  },
  ceilingRequest: () => raw("GetItem", getBody),
  ceilingSdk: dynamodbCeiling({ Item: storedItem("p1", 42) }, getCall),
};

export const dynamodbQuery: Workload = {
  name: "dynamodb-query",
  title: "DynamoDB Query (25 of 100)",
  service: "dynamodb",
  rawExpect: /"Count":\s*25\b/,
  sdkCpuTargetMs: 0.3,
  async prepare(ctx) {
    const client = await prepareTable(ctx);
    return { call: queryCall(client), raw: raw("Query", queryBody), close: () => client.destroy() };
  },
  ceilingRequest: () => raw("Query", queryBody),
  ceilingSdk: dynamodbCeiling({ Items: Array.from({ length: 25 }, (_, i) => storedItem("p2", 10 + i)), Count: 25, ScannedCount: 25 }, queryCall),
};

/** 1000 characters that differ from one call to the next. */
function padded(n: number): string {
  const tag = String(n);
  return tag + PAD.slice(tag.length);
}

function batchBody(start: number, version = 0) {
  return {
    RequestItems: {
      [TABLE]: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: "b" }, sk: { N: String(start + i) }, pad: { S: padded(version) } } } })),
    },
  };
}

function batchWriteCall(client: DynamoDBClient) {
  let n = 0;
  return () => client.send(new BatchWriteItemCommand(batchBody((n % 40) * 25, n++)));
}

export const dynamodbBatchWrite: Workload = {
  name: "dynamodb-batch-write",
  title: "DynamoDB BatchWriteItem (25 x 1 KB)",
  service: "dynamodb",
  rawExpect: /"UnprocessedItems":\s*\{\s*\}/,
  sdkCpuTargetMs: 0.8,
  async prepare(ctx) {
    const client = await prepareTable(ctx);
    return { call: batchWriteCall(client), raw: raw("BatchWriteItem", batchBody(0)), close: () => client.destroy() };
  },
  ceilingRequest: () => raw("BatchWriteItem", batchBody(0)),
  ceilingSdk: dynamodbCeiling({ UnprocessedItems: {} }, batchWriteCall),
};
