import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import type { HttpRequest as SdkRequest } from "@smithy/types";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { loadModel } from "../src/models/load.js";
import { codecFor } from "../src/protocols/index.js";
import { modelError } from "../src/protocols/model-errors.js";
import { parseQueryString, type HttpRequest } from "../src/protocols/http.js";
import type { ProtocolName } from "../src/models/types.js";
import type { ServiceError } from "../src/protocols/service-error.js";

// The real SDK builds a request and our codec reads it back to the same input;
// our codec writes the output (or an error) and the SDK parses it to the same
// value. One client per protocol family, with the awkward types of each
// (timestamps, blobs, maps, nested lists, headers, streaming payloads).

interface Exchange {
  parsed?: Record<string, unknown>;
}

/** A request handler that answers with our codec instead of the network. */
function loopback(service: string, protocol: ProtocolName, operation: string, answer: { output?: Record<string, unknown>; error?: ServiceError }, seen: Exchange) {
  const model = loadModel(service);
  const codec = codecFor(protocol);
  return {
    async handle(request: SdkRequest) {
      const body = await toBuffer(request.body);
      const query: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(request.query ?? {})) query[k] = Array.isArray(v) ? v.map(String) : v === null ? [""] : [String(v)];
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
      const req: HttpRequest = { method: request.method, path: request.path, query, headers, body };
      if (Object.keys(query).length === 0 && request.path.includes("?")) {
        req.path = request.path.slice(0, request.path.indexOf("?"));
        req.query = parseQueryString(request.path.slice(request.path.indexOf("?") + 1));
      }
      const op = model.operations[operation];
      seen.parsed = codec.parseRequest(req, model, op);
      const res = answer.error
        ? codec.serializeError(answer.error, model, op, { requestId: "req-1" })
        : codec.serializeResponse(answer.output ?? {}, model, op, { requestId: "req-1" });
      const out = typeof res.body === "string" ? Buffer.from(res.body) : (res.body as Buffer);
      // The SDK recognises a response by its shape (statusCode, headers, body).
      return { response: { statusCode: res.status, headers: res.headers, body: Readable.from([out]) } };
    },
  };
}

async function toBuffer(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const base = { region: "us-east-1", endpoint: "http://127.0.0.1:1", credentials: { accessKeyId: "k", secretAccessKey: "s" } };
const when = new Date("2026-03-04T05:06:07Z");

describe("protocol round trips with the real SDK", () => {
  it("query (IAM): nested lists in, timestamps and tags out", async () => {
    const seen: Exchange = {};
    const output = { User: { Path: "/", UserName: "alice", UserId: "AIDAEXAMPLE", Arn: "arn:aws:iam::000000000000:user/alice", CreateDate: when, Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "<&>" }] } };
    const client = new IAMClient({ ...base, requestHandler: loopback("iam", "query", "CreateUser", { output }, seen) });
    const result = await client.send(new CreateUserCommand({ UserName: "alice", Path: "/", Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "<&>" }] }));
    assert.deepEqual(seen.parsed, { UserName: "alice", Path: "/", Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "<&>" }] });
    assert.deepEqual(result.User, output.User);
  });

  it("query (IAM): errors carry the query code", async () => {
    const model = loadModel("iam");
    const error = modelError(model, "NoSuchEntityException", "The user with name bob cannot be found.");
    const client = new IAMClient({ ...base, requestHandler: loopback("iam", "query", "CreateUser", { error }, {}) });
    await assert.rejects(client.send(new CreateUserCommand({ UserName: "bob" })), (e: any) => {
      assert.equal(e.name, "NoSuchEntityException");
      assert.equal(e.Error?.Code ?? e.name, "NoSuchEntity");
      assert.equal(e.message, "The user with name bob cannot be found.");
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it("query (SNS): message attribute maps in", async () => {
    const seen: Exchange = {};
    const client = new SNSClient({ ...base, requestHandler: loopback("sns", "query", "Publish", { output: { MessageId: "m-1" } }, seen) });
    const result = await client.send(new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: "hi", MessageAttributes: { color: { DataType: "String", StringValue: "red" }, bin: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2]) } } }));
    assert.equal(result.MessageId, "m-1");
    assert.deepEqual(seen.parsed, { TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: "hi", MessageAttributes: { color: { DataType: "String", StringValue: "red" }, bin: { DataType: "Binary", BinaryValue: Buffer.from([1, 2]) } } });
  });

  it("json 1.0 (DynamoDB): attribute values with blobs, numbers, lists and maps", async () => {
    const seen: Exchange = {};
    const item = { pk: { S: "a" }, n: { N: "1.50" }, b: { B: new Uint8Array([0, 255]) }, l: { L: [{ BOOL: true }, { NULL: true }] }, m: { M: { s: { SS: ["x", "y"] } } } };
    const output = { Attributes: { pk: { S: "old" } }, ConsumedCapacity: { TableName: "t", CapacityUnits: 1 } };
    const client = new DynamoDBClient({ ...base, requestHandler: loopback("dynamodb", "json", "PutItem", { output }, seen) });
    const result = await client.send(new PutItemCommand({ TableName: "t", Item: item, ReturnValues: "ALL_OLD" }));
    assert.deepEqual(seen.parsed, { TableName: "t", Item: { ...item, b: { B: Buffer.from([0, 255]) } }, ReturnValues: "ALL_OLD" });
    assert.deepEqual(result.Attributes, output.Attributes);
    assert.deepEqual(result.ConsumedCapacity, output.ConsumedCapacity);
  });

  it("json 1.0 query-compatible (SQS): the SDK reads the query error code", async () => {
    const error = modelError(loadModel("sqs"), "QueueDoesNotExist", "The specified queue does not exist.");
    const client = new SQSClient({ ...base, requestHandler: loopback("sqs", "json", "SendMessage", { error }, {}) });
    await assert.rejects(client.send(new SendMessageCommand({ QueueUrl: "http://q", MessageBody: "x" })), (e: any) => {
      assert.equal(e.name, "QueueDoesNotExist");
      assert.equal(e.Code ?? e.name, "AWS.SimpleQueueService.NonExistentQueue");
      assert.equal(e.message, "The specified queue does not exist.");
      return true;
    });
  });

  it("json 1.0 (CloudWatch): timestamps in and out", async () => {
    const seen: Exchange = {};
    const output = { MetricDataResults: [{ Id: "q", Label: "L", Timestamps: [when], Values: [1.5, 2], StatusCode: "Complete" }], Messages: [] };
    const client = new CloudWatchClient({ ...base, requestHandler: loopback("cloudwatch", "json", "GetMetricData", { output }, seen) });
    const result = await client.send(new GetMetricDataCommand({ StartTime: when, EndTime: when, MetricDataQueries: [{ Id: "q", Expression: "SUM(m)" }] }));
    assert.deepEqual(seen.parsed, { StartTime: when, EndTime: when, MetricDataQueries: [{ Id: "q", Expression: "SUM(m)" }] });
    assert.deepEqual(result.MetricDataResults, output.MetricDataResults);
  });

  it("json 1.1 (CloudWatch Logs): nested lists and longs in and out", async () => {
    const seen: Exchange = {};
    const output = { events: [{ logStreamName: "s", timestamp: 1700000000123, message: "hello", ingestionTime: 1700000000456, eventId: "e1" }], searchedLogStreams: [{ logStreamName: "s", searchedCompletely: true }], nextToken: "t" };
    const client = new CloudWatchLogsClient({ ...base, requestHandler: loopback("logs", "json", "FilterLogEvents", { output }, seen) });
    const result = await client.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/f", logStreamNames: ["s"], startTime: 1700000000000, filterPattern: "hello", limit: 10 }));
    assert.deepEqual(seen.parsed, { logGroupName: "/aws/lambda/f", logStreamNames: ["s"], startTime: 1700000000000, filterPattern: "hello", limit: 10 });
    assert.deepEqual(result.events, output.events);
    assert.equal(result.nextToken, "t");
  });

  it("rest-json (Lambda): headers, query, blob payload and function errors", async () => {
    const seen: Exchange = {};
    const output = { StatusCode: 200, FunctionError: "Unhandled", ExecutedVersion: "$LATEST", Payload: Buffer.from('{"errorMessage":"x"}'), LogResult: "bG9n" };
    const client = new LambdaClient({ ...base, requestHandler: loopback("lambda", "rest-json", "Invoke", { output }, seen) });
    const result = await client.send(new InvokeCommand({ FunctionName: "f", Qualifier: "live", InvocationType: "RequestResponse", LogType: "Tail", Payload: Buffer.from('{"a":1}') }));
    assert.deepEqual(seen.parsed, { FunctionName: "f", Qualifier: "live", InvocationType: "RequestResponse", LogType: "Tail", Payload: Buffer.from('{"a":1}') });
    assert.equal(result.FunctionError, "Unhandled");
    assert.equal(result.ExecutedVersion, "$LATEST");
    assert.equal(result.LogResult, "bG9n");
    assert.equal(Buffer.from(result.Payload!).toString(), '{"errorMessage":"x"}');
  });

  it("rest-json (Lambda): error type and message", async () => {
    const error = modelError(loadModel("lambda"), "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:000000000000:function:f", { Type: "User" });
    const client = new LambdaClient({ ...base, requestHandler: loopback("lambda", "rest-json", "GetFunction", { error }, {}) });
    await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: "f" })), (e: any) => {
      assert.equal(e.name, "ResourceNotFoundException");
      assert.equal(e.message, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:f");
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it("rest-xml (S3): metadata headers and body in, streaming body and headers out", async () => {
    const seen: Exchange = {};
    const put = new S3Client({ ...base, forcePathStyle: true, requestHandler: loopback("s3", "rest-xml", "PutObject", { output: { ETag: '"abc"', VersionId: "v1" } }, seen) });
    const putResult = await put.send(new PutObjectCommand({ Bucket: "b", Key: "dir/a b+c.txt", Body: "hello", Metadata: { owner: "me" }, ContentType: "text/plain" }));
    assert.equal(putResult.ETag, '"abc"');
    assert.equal(putResult.VersionId, "v1");
    const parsed = seen.parsed as Record<string, unknown>;
    assert.equal(parsed.Bucket, "b");
    assert.equal(parsed.Key, "dir/a b+c.txt");
    assert.deepEqual(parsed.Metadata, { owner: "me" });
    assert.equal(parsed.ContentType, "text/plain");
    assert.equal(Buffer.from(parsed.Body as Uint8Array).toString(), "hello");

    const get = new S3Client({ ...base, forcePathStyle: true, requestHandler: loopback("s3", "rest-xml", "GetObject", { output: { Body: Buffer.from("hello"), ContentLength: 5, LastModified: when, Metadata: { owner: "me" }, ETag: '"abc"' } }, {}) });
    const got = await get.send(new GetObjectCommand({ Bucket: "b", Key: "k" }));
    assert.equal(await got.Body!.transformToString(), "hello");
    assert.deepEqual(got.Metadata, { owner: "me" });
    assert.deepEqual(got.LastModified, when);
    assert.equal(got.ContentLength, 5);
  });

  it("rest-xml (S3): listings and the bare <Error> body", async () => {
    const output = { Name: "b", Prefix: "", KeyCount: 2, MaxKeys: 1000, IsTruncated: false, Contents: [{ Key: "a", Size: 1, LastModified: when, ETag: '"e"', StorageClass: "STANDARD" }, { Key: "b&c", Size: 2, LastModified: when, ETag: '"f"', StorageClass: "STANDARD" }], CommonPrefixes: [{ Prefix: "p/" }] };
    const list = new S3Client({ ...base, forcePathStyle: true, requestHandler: loopback("s3", "rest-xml", "ListObjectsV2", { output }, {}) });
    const listed = await list.send(new ListObjectsV2Command({ Bucket: "b" }));
    assert.deepEqual(listed.Contents, output.Contents);
    assert.deepEqual(listed.CommonPrefixes, output.CommonPrefixes);
    const error = modelError(loadModel("s3"), "NoSuchKey", "The specified key does not exist.", { Key: "k" });
    const failing = new S3Client({ ...base, forcePathStyle: true, requestHandler: loopback("s3", "rest-xml", "GetObject", { error }, {}) });
    await assert.rejects(failing.send(new GetObjectCommand({ Bucket: "b", Key: "k" })), (e: any) => {
      assert.equal(e.name, "NoSuchKey");
      assert.equal(e.message, "The specified key does not exist.");
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  });
});
