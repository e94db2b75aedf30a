import type { Config } from "../config.js";
import type { ServiceModel } from "../models/types.js";
import type { Clock } from "../platform/clock.js";
import type { Logger } from "../platform/logger.js";
import type { HttpRequest, HttpResponse } from "../protocols/http.js";
import type { ServiceError } from "../protocols/service-error.js";
import type { BlobStore } from "../storage/blobs.js";
import type { Sqlite } from "../storage/database.js";
import type { DocumentStore } from "../storage/documents.js";
import type { AccessKeyRegistry, Principal } from "../storage/access-keys.js";

// What a service is to the rest of Terrarium: a name (its model file), a store per
// account and region, and one handler per AWS operation. Everything a handler needs
// reaches it through its context; nothing is global.

export type ModelErrors = Record<string, (message: string, fields?: Record<string, unknown>) => ServiceError>;

/** Runs another service's operation through its own handler, validation and store. */
export type Invoke = (
  service: string,
  operation: string,
  input: Record<string, unknown>,
  scope?: { account?: string; region?: string },
) => Promise<Record<string, unknown>>;

export interface StoreScope {
  service: string;
  account: string;
  region: string;
  db: Sqlite;
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  config: Config;
  logger: Logger;
  accessKeys: AccessKeyRegistry;
  invoke: Invoke;
  /** This server's own base URL (e.g. http://127.0.0.1:4566), for URLs handed to
   *  clients or to user code (Lambda's AWS_ENDPOINT_URL, SNS's SigningCertURL). */
  endpoint(): string;
}

export interface ServiceContext<Store = unknown> {
  service: string;
  operation: string;
  account: string;
  region: string;
  requestId: string;
  /** The caller, from its access key (the account root when the key is not known). */
  principal: Principal;
  /** The access key id the request was signed with, when it was signed. */
  accessKeyId?: string;
  store: Store;
  model: ServiceModel;
  errors: ModelErrors;
  clock: Clock;
  config: Config;
  logger: Logger;
  accessKeys: AccessKeyRegistry;
  invoke: Invoke;
  /** This server's own base URL, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  /** The HTTP request as the client sent it, for the few handlers whose answer
   *  depends on it (queue URLs use the Host the client used). Absent for ctx.invoke. */
  http?: { host?: string; path?: string; headers: Record<string, string> };
}

export type Handler<Input = any, Output = any, Store = any> = (
  input: Input,
  ctx: ServiceContext<Store>,
) => Output | void | Promise<Output | void>;

/** Input/output types of an SDK command without the SDK's own `$metadata`. */
export type Output<T> = Omit<T, "$metadata">;

/** What a service's internal routes can reach: its stores, by account and region. */
export interface InternalRouteContext<Store> {
  storeFor(account: string, region: string): Store;
  endpoint: string;
}

export interface ServiceDefinition<Store = unknown> {
  /** The model file name, e.g. "sts". */
  name: string;
  /** IAM and STS keep one state per account; most services per account and region. */
  scope: "account" | "region";
  createStore(scope: StoreScope): Store;
  handlers: Record<string, Handler<any, any, Store>>;
  /** Streaming payloads (S3 object bytes) arrive as a Readable instead of a Buffer,
   *  unbuffered and uncapped: the handler must consume or destroy the stream. */
  streamingInput?: boolean;
  /** Fills input members the request carries outside its parameters, before
   *  validation (SQS's query API names the queue by the request path). */
  inputFromRequest?(operation: string, input: Record<string, unknown>, http: { host?: string; path?: string }): void;
  /** Skip the generic model-constraint validation where AWS validates differently. */
  validateInput?: boolean;
  /** Browser CORS from the service's own rules (S3's bucket CORS) instead of the
   *  gateway's permissive default: `preflight` answers an OPTIONS to the service
   *  (the headers of a 200, or throws the service's error; undefined when the
   *  request is not for a resource of this service: preflights are unsigned, so the
   *  gateway's guess of the service is weak); `responseHeaders` gives an actual
   *  response's CORS headers, undefined for none. */
  cors?: {
    preflight(req: HttpRequest, store: Store): Record<string, string> | undefined;
    responseHeaders(req: HttpRequest, store: Store): Record<string, string> | undefined;
  };
  /** Terrarium's own HTTP endpoints for this service, under /_terrarium/<name>/
   *  (a certificate to fetch, a code download, recorded emails): `path` is what
   *  follows that prefix. Undefined means no such route (404). */
  internalRoutes?(
    req: HttpRequest,
    path: string,
    ctx: InternalRouteContext<Store>,
  ): HttpResponse | Promise<HttpResponse> | undefined;
  /** Called on reset, after the service's documents are deleted: drop own tables' rows
   *  (and the blobs they name). */
  reset?(db: Sqlite, platform: { blobs: BlobStore }): void;
  /** With persisted state (--data-dir), load this service when the server starts and
   *  open the store of every account and region that has state, so the clock timers
   *  the stores arm (schedules, TTL sweeps, retries) run without waiting for a request. */
  restoreStores?: boolean;
  /** Background work (timers are on the clock); called once when first loaded. */
  start?(runtime: { clock: Clock; logger: Logger }): void;
  stop?(): void;
}

export function defineService<Store>(definition: ServiceDefinition<Store>): ServiceDefinition<Store> {
  return definition;
}
