import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo, Server as NetServer } from "node:net";
import { buildConfig, type Config } from "./config.js";
import { createFastServer } from "./gateway/fast-http.js";
import { createBufferedPipeline, createPipeline } from "./gateway/pipeline.js";
import { ServiceIdentifier } from "./gateway/identify-service.js";
import { loadModelIndex } from "./models/load.js";
import { Clock } from "./platform/clock.js";
import { createLogger, type Logger } from "./platform/logger.js";
import { AccessKeyRegistry } from "./storage/access-keys.js";
import { createBlobStore } from "./storage/blobs.js";
import { openDatabase } from "./storage/database.js";
import { DocumentStore } from "./storage/documents.js";
import { persistClock } from "./platform/persisted-clock.js";
import { ServiceHost } from "./services/host.js";

// Assembles one Terrarium: its storage, clock, services and HTTP edge. Two servers
// in one process share nothing.

export interface TerrariumOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  region?: string;
  accountId?: string;
  logLevel?: Config["logLevel"];
  lambdaConcurrentExecutions?: number;
  logger?: Logger;
}

export interface Terrarium {
  /** e.g. http://127.0.0.1:4566 */
  endpoint: string;
  port: number;
  config: Config;
  clock: Clock;
  stop(): Promise<void>;
}

export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** Starts a server; `port: 0` picks a free port. */
export async function startTerrarium(options: TerrariumOptions = {}): Promise<Terrarium> {
  const { logger, ...settings } = options;
  return startWithConfig(buildConfig({ ...settings, port: settings.port ?? 4566 }), logger);
}

export async function startWithConfig(config: Config, givenLogger?: Logger): Promise<Terrarium> {
  const logger = givenLogger ?? createLogger(config.logLevel);
  const clock = new Clock((error) => logger.error("a timer failed", error));
  const db = openDatabase(config.dataDir);
  const documents = new DocumentStore(db);
  persistClock(clock, documents);
  const blobs = createBlobStore(config.dataDir);
  const accessKeys = new AccessKeyRegistry(documents, config.accountId);
  let endpoint = `http://${config.host}:${config.port}`;
  const host = new ServiceHost({ config, clock, logger, db, documents, blobs, accessKeys, endpoint: () => endpoint });
  const services = loadModelIndex();

  const deps: Parameters<typeof createPipeline>[0] = {
    host,
    clock,
    accessKeys,
    logger,
    defaultRegion: config.region,
    identifier: new ServiceIdentifier(services),
    internal: {
      version: VERSION,
      startedAt: Date.now(),
      clock,
      host,
      services,
      resetAll: () => {
        for (const s of services) host.reset(s.name);
        documents.deleteService("_core");
        accessKeys.clear();
      },
    },
  };

  // node:http serves what the fast path hands it (fast-http.ts); it never listens itself.
  const http = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, createPipeline(deps));
  const server = createFastServer(http, createBufferedPipeline(deps), (message, error) => logger.error(message, error));
  // Bad bytes on one connection answer 400 on that connection only.
  http.on("clientError", (error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
    logger.debug("client error", { message: (error as Error).message });
  });
  await listen(server, config.port, config.host);
  if (config.dataDir) await host.restorePersistedStores();
  const port = (server.address() as AddressInfo).port;
  const endpointHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  endpoint = `http://${endpointHost.includes(":") ? `[${endpointHost}]` : endpointHost}:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    config,
    clock,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        host.stop();
        clock.stop();
        db.close();
      })),
  };
}

function listen(server: NetServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
