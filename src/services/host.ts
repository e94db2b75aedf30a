import type { Config } from "../config.js";
import { loadModel } from "../models/load.js";
import type { ServiceModel } from "../models/types.js";
import type { Clock } from "../platform/clock.js";
import type { Logger } from "../platform/logger.js";
import { requestId as newRequestId } from "../platform/ids.js";
import { errorsOf } from "../protocols/model-errors.js";
import type { HttpRequest, HttpResponse } from "../protocols/http.js";
import { ServiceError } from "../protocols/service-error.js";
import { validateInput, validationErrorFor } from "../protocols/validate-input.js";
import type { AccessKeyRegistry, Principal } from "../storage/access-keys.js";
import type { BlobStore } from "../storage/blobs.js";
import type { Sqlite } from "../storage/database.js";
import type { DocumentStore } from "../storage/documents.js";
import { serviceLoaders } from "./registry.js";
import type { Invoke, ModelErrors, ServiceContext, ServiceDefinition } from "./service.js";

// Holds the loaded services and their stores (one per account and region, or per
// account for global services), and runs operations: for the gateway and for
// service-to-service calls alike, so both get the same validation and state.

export interface Platform {
  config: Config;
  clock: Clock;
  logger: Logger;
  db: Sqlite;
  documents: DocumentStore;
  blobs: BlobStore;
  accessKeys: AccessKeyRegistry;
  /** The server's base URL, known once it listens. */
  endpoint(): string;
}

export interface CallScope {
  account: string;
  region: string;
  requestId: string;
  principal: Principal;
  accessKeyId?: string;
  http?: ServiceContext["http"];
}

interface LoadedService {
  definition: ServiceDefinition<unknown>;
  model: ServiceModel;
  errors: ModelErrors;
  stores: Map<string, unknown>;
  accessKeys: AccessKeyRegistry;
}

export type ServiceState = "running" | "available" | "not implemented";

export class ServiceHost {
  private readonly loaded = new Map<string, LoadedService>();
  private readonly loading = new Map<string, Promise<LoadedService | undefined>>();
  readonly invoke: Invoke;

  constructor(
    private readonly platform: Platform,
    private readonly loaders: Record<string, () => Promise<ServiceDefinition<any>>> = serviceLoaders,
  ) {
    // Deliveries (SNS -> SQS, EventBridge targets) call this per message: the handler
    // runs synchronously where it can, and only its result is wrapped in a promise.
    this.invoke = (service, operation, input, scope) => {
      const account = scope?.account ?? platform.config.accountId;
      const principal = { account, arn: `arn:aws:iam::${account}:root`, userId: account };
      try {
        const output = this.call(service, operation, input, {
          account,
          region: scope?.region ?? platform.config.region,
          requestId: newRequestId(),
          principal,
        });
        return output instanceof Promise ? output.then(orEmpty) : Promise.resolve(orEmpty(output));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }

  implemented(service: string): boolean {
    return service in this.loaders;
  }

  state(service: string): ServiceState {
    if (this.loaded.has(service)) return "running";
    return this.implemented(service) ? "available" : "not implemented";
  }

  /** Loads a service on first use; undefined when Terrarium does not implement it. */
  async load(service: string): Promise<LoadedService | undefined> {
    const ready = this.loaded.get(service);
    if (ready) return ready;
    let pending = this.loading.get(service);
    if (!pending) {
      pending = this.loadNow(service);
      this.loading.set(service, pending);
    }
    return pending;
  }

  private async loadNow(service: string): Promise<LoadedService | undefined> {
    const loader = this.loaders[service];
    if (!loader) return undefined;
    const definition = (await loader()) as ServiceDefinition<unknown>;
    const model = loadModel(service);
    const entry: LoadedService = {
      definition,
      model,
      errors: errorsOf(model),
      stores: new Map(),
      accessKeys: this.platform.accessKeys.issuedBy(service),
    };
    definition.start?.({ clock: this.platform.clock, logger: this.platform.logger });
    this.loaded.set(service, entry);
    return entry;
  }

  /** Runs one operation with an already-parsed input. Throws ServiceError (or
   *  rejects with one). Synchronous when the service is loaded and its handler is:
   *  a promise per request is a measurable share of a simple call's cost. */
  call(
    service: string,
    operation: string,
    input: Record<string, unknown>,
    scope: CallScope,
  ): Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined> {
    const entry = this.loaded.get(service);
    if (!entry) {
      if (!this.implemented(service)) throw this.unknownOrNotImplemented(service, operation);
      return this.load(service).then(() => this.call(service, operation, input, scope));
    }
    const { model, definition } = entry;
    const op = model.operations[operation];
    const handler = definition.handlers[operation];
    if (!op || !handler) throw this.unknownOrNotImplemented(service, operation);
    if (scope.http && definition.inputFromRequest) definition.inputFromRequest(operation, input, scope.http);
    if (definition.validateInput !== false) {
      const violations = validateInput(model, op, input);
      if (violations.length > 0) throw validationErrorFor(model, violations);
    }
    const ctx: ServiceContext<unknown> = {
      service,
      operation,
      account: scope.account,
      region: scope.region,
      requestId: scope.requestId,
      principal: scope.principal,
      accessKeyId: scope.accessKeyId,
      store: this.storeFor(entry, scope.account, scope.region),
      model,
      errors: entry.errors,
      clock: this.platform.clock,
      config: this.platform.config,
      logger: this.platform.logger,
      accessKeys: entry.accessKeys,
      invoke: this.invoke,
      endpoint: this.platform.endpoint(),
      http: scope.http,
    };
    return (handler(input, ctx) ?? undefined) as Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
  }

  private unknownOrNotImplemented(service: string, operation: string): ServiceError {
    if (!loadModel(service).operations[operation]) {
      return new ServiceError("UnknownOperationException", `Unknown operation ${operation} for service ${service}`);
    }
    return notImplemented(service, operation);
  }

  private storeFor(entry: LoadedService, account: string, region: string): unknown {
    const { definition } = entry;
    const key = definition.scope === "account" ? account : `${account}/${region}`;
    let store = entry.stores.get(key);
    if (store === undefined) {
      store = definition.createStore({
        service: definition.name,
        account,
        region: definition.scope === "account" ? "global" : region,
        invoke: this.invoke,
        ...this.platform,
      });
      entry.stores.set(key, store);
    }
    return store;
  }

  /** A service's own CORS for a caller, when it has its own (and is loaded, for
   *  responses; preflights load it). */
  async corsPreflight(service: string, req: HttpRequest, account: string, region: string): Promise<Record<string, string> | undefined> {
    if (!this.implemented(service)) return undefined;
    const entry = await this.load(service);
    const cors = entry?.definition.cors;
    return cors ? cors.preflight(req, this.storeFor(entry, account, region)) : undefined;
  }

  /** A loaded service's CORS headers for a response; null when it has no rules of its own. */
  corsResponseHeaders(service: string, req: HttpRequest, account: string, region: string): Record<string, string> | undefined | null {
    const entry = this.loaded.get(service);
    const cors = entry?.definition.cors;
    return cors ? cors.responseHeaders(req, this.storeFor(entry, account, region)) : null;
  }

  /** After a restart: opens the persisted stores of services that keep timers. */
  async restorePersistedStores(): Promise<void> {
    for (const { service, account, region } of this.platform.documents.scopes()) {
      if (!this.implemented(service)) continue;
      const entry = await this.load(service);
      if (entry?.definition.restoreStores) this.storeFor(entry, account, region);
    }
  }

  /** Serves /_terrarium/<service>/<path>; undefined when the service has no such route. */
  async internalRoute(service: string, req: HttpRequest, path: string): Promise<HttpResponse | undefined> {
    if (!this.implemented(service)) return undefined;
    const entry = await this.load(service);
    if (!entry?.definition.internalRoutes) return undefined;
    return entry.definition.internalRoutes(req, path, {
      storeFor: (account, region) => this.storeFor(entry, account, region),
      endpoint: this.platform.endpoint(),
    });
  }

  /** Forgets a service's state (all of it: every account and region). */
  reset(service: string): void {
    this.platform.documents.deleteService(service);
    this.platform.accessKeys.revokeIssuedBy(service);
    const entry = this.loaded.get(service);
    if (!entry) return;
    entry.definition.reset?.(this.platform.db, { blobs: this.platform.blobs });
    entry.stores.clear();
  }

  stop(): void {
    for (const entry of this.loaded.values()) entry.definition.stop?.();
    // The in-memory mode's temporary directory of large blobs goes with the server.
    this.platform.blobs.close();
  }
}

function orEmpty(output: Record<string, unknown> | undefined): Record<string, unknown> {
  return output ?? {};
}

export function notImplemented(service: string, operation: string): ServiceError {
  return new ServiceError(
    "NotImplemented",
    `The operation ${operation} of service ${service} is not implemented by Terrarium yet.`,
    { status: 501, senderFault: false },
  );
}
