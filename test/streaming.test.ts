import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { buildConfig } from "../src/config.js";
import { createPipeline } from "../src/gateway/pipeline.js";
import { ServiceIdentifier } from "../src/gateway/identify-service.js";
import { loadModelIndex } from "../src/models/load.js";
import { Clock } from "../src/platform/clock.js";
import { createLogger } from "../src/platform/logger.js";
import { ServiceHost } from "../src/services/host.js";
import { defineService, type ServiceDefinition } from "../src/services/service.js";
import { AccessKeyRegistry } from "../src/storage/access-keys.js";
import { createBlobStore } from "../src/storage/blobs.js";
import { openDatabase } from "../src/storage/database.js";
import { DocumentStore } from "../src/storage/documents.js";

// The gateway hands a streaming payload (S3's PutObject body) to a service that
// takes streams as the unread request, without buffering or the 64 MiB cap, and
// buffers it for a service that does not. Served here by stand-in S3 handlers.

async function drain(body: unknown): Promise<{ bytes: number; streamed: boolean }> {
  if (Buffer.isBuffer(body)) return { bytes: body.length, streamed: false };
  let bytes = 0;
  for await (const chunk of body as Readable) bytes += (chunk as Buffer).length;
  return { bytes, streamed: true };
}

function standInS3(streamingInput: boolean): ServiceDefinition<undefined> {
  return defineService({
    name: "s3",
    scope: "region",
    streamingInput,
    validateInput: false,
    createStore: () => undefined,
    handlers: {
      PutObject: async (input: { Body: unknown }) => {
        const { bytes, streamed } = await drain(input.Body);
        return { ETag: `"${bytes}-${streamed ? "streamed" : "buffered"}"` };
      },
    },
  });
}

async function serve(streamingInput: boolean): Promise<Server> {
  const config = buildConfig({ logLevel: "error" });
  const logger = createLogger("error");
  const clock = new Clock();
  const db = openDatabase(undefined);
  const documents = new DocumentStore(db);
  const accessKeys = new AccessKeyRegistry(documents, config.accountId);
  const platform = { config, clock, logger, db, documents, blobs: createBlobStore(undefined), accessKeys, endpoint: () => "http://127.0.0.1" };
  const host = new ServiceHost(platform, { s3: async () => standInS3(streamingInput) });
  const services = loadModelIndex();
  const server = createServer(
    createPipeline({
      host,
      clock,
      accessKeys,
      logger,
      defaultRegion: "us-east-1",
      identifier: new ServiceIdentifier(services),
      internal: { version: "0", startedAt: Date.now(), clock, host, services, resetAll: () => {} },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** PUTs `size` bytes in 1 MiB chunks and answers the ETag the stand-in computed. */
function put(server: Server, size: number): Promise<{ status: number; etag?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: (server.address() as AddressInfo).port,
        method: "PUT",
        path: "/bucket/key",
        headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00", "content-length": String(size) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, etag: res.headers.etag }));
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(1024 * 1024, 7);
    let left = size;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!req.write(chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

let streaming: Server;
let buffering: Server;
before(async () => {
  streaming = await serve(true);
  buffering = await serve(false);
});
after(() => {
  streaming.close();
  buffering.close();
});

describe("streaming request bodies", () => {
  it("hands a streaming payload to a service that takes streams, beyond the buffer cap", async () => {
    const size = 80 * 1024 * 1024;
    assert.deepEqual(await put(streaming, size), { status: 200, etag: `"${size}-streamed"` });
  });

  it("buffers it for a service that does not, and refuses what exceeds the cap", async () => {
    assert.deepEqual(await put(buffering, 3000), { status: 200, etag: '"3000-buffered"' });
    assert.equal((await put(buffering, 65 * 1024 * 1024)).status, 413);
  });
});
