import { loadModelIndex, type ModelIndexEntry } from "../models/load.js";
import { loadModel } from "../models/load.js";
import type { ProtocolName } from "../models/types.js";
import { formOf, type HttpRequest } from "../protocols/http.js";
import { restRouterFor } from "../protocols/rest-router.js";
import type { CredentialScope } from "./credentials.js";

// Which service, protocol and operation a request is for, from the evidence each
// protocol carries: the smithy-protocol header and its path (rpc-v2-cbor),
// X-Amz-Target (JSON), Action= (query), else the REST paths of the services the
// credential scope (or Host) points at. Uses only the small model index at start;
// a REST service's full model is loaded when a request first needs its routes.

export type Identified =
  | { kind: "operation"; service: string; protocol: ProtocolName; operation: string }
  | { kind: "unknown-operation"; service: string; protocol: ProtocolName; operation?: string }
  | { kind: "unknown-service"; name: string; protocol: ProtocolName | undefined };

const REST: ReadonlySet<ProtocolName> = new Set(["rest-json", "rest-xml"]);
const CBOR_PATH = /^\/service\/([^/]+)\/operation\/([^/?]+)$/;

export class ServiceIdentifier {
  private readonly byTarget = new Map<string, ModelIndexEntry>();
  private readonly bySigningName = new Map<string, ModelIndexEntry[]>();
  private readonly byVersion = new Map<string, ModelIndexEntry[]>();
  private readonly queryBySigningName = new Map<string, ModelIndexEntry>();
  private readonly byName = new Map<string, ModelIndexEntry>();
  private readonly operations = new Map<string, Set<string>>();

  constructor(entries: ModelIndexEntry[] = loadModelIndex()) {
    for (const entry of entries) {
      this.byName.set(entry.name, entry);
      this.operations.set(entry.name, new Set(entry.operations));
      if (entry.targetPrefix) this.byTarget.set(entry.targetPrefix, entry);
      push(this.bySigningName, entry.signingName, entry);
      if (acceptsQuery(entry)) {
        push(this.byVersion, entry.apiVersion, entry);
        if (!this.queryBySigningName.has(entry.signingName)) this.queryBySigningName.set(entry.signingName, entry);
      }
    }
  }

  entry(service: string): ModelIndexEntry | undefined {
    return this.byName.get(service);
  }

  identify(req: HttpRequest, scope: CredentialScope): Identified {
    if (req.headers["smithy-protocol"] === "rpc-v2-cbor") return this.identifyCbor(req, scope);
    const target = req.headers["x-amz-target"];
    if (target) return this.identifyJson(target, scope);
    const action = queryAction(req);
    if (action !== undefined) {
      const viaQuery = this.identifyQuery(req, action, scope);
      if (viaQuery) return viaQuery;
    }
    return this.identifyRest(req, scope);
  }

  private identifyCbor(req: HttpRequest, scope: CredentialScope): Identified {
    const m = CBOR_PATH.exec(req.path);
    const entry = m ? this.byTarget.get(m[1]) : undefined;
    if (!m || !entry) return { kind: "unknown-service", name: m?.[1] ?? scope.signingName ?? "unknown", protocol: "smithy-rpc-v2-cbor" };
    return this.withOperation(entry, "smithy-rpc-v2-cbor", m[2]);
  }

  private identifyJson(target: string, scope: CredentialScope): Identified {
    const dot = target.lastIndexOf(".");
    const prefix = dot < 0 ? target : target.slice(0, dot);
    const entry = this.byTarget.get(prefix);
    if (!entry) return { kind: "unknown-service", name: scope.signingName ?? prefix, protocol: "json" };
    return this.withOperation(entry, "json", dot < 0 ? undefined : target.slice(dot + 1));
  }

  private identifyQuery(req: HttpRequest, action: string, scope: CredentialScope): Identified | undefined {
    let entry = scope.signingName ? this.queryBySigningName.get(scope.signingName) : undefined;
    if (!entry) {
      const version = formOf(req).get("Version");
      entry = version ? this.byVersion.get(version)?.[0] : undefined;
    }
    if (!entry) entry = this.byHostPrefix(req)?.filter(acceptsQuery)[0];
    if (!entry) {
      // Signed for a service we know nothing of: say so. Otherwise it may be REST.
      if (scope.signingName && !this.bySigningName.has(scope.signingName))
        return { kind: "unknown-service", name: scope.signingName, protocol: "query" };
      return undefined;
    }
    return this.withOperation(entry, "query", action);
  }

  private identifyRest(req: HttpRequest, scope: CredentialScope): Identified {
    let candidates = scope.signingName ? this.bySigningName.get(scope.signingName) : undefined;
    if (scope.signingName && !candidates) return { kind: "unknown-service", name: scope.signingName, protocol: undefined };
    candidates ??= this.byHostPrefix(req) ?? this.bySigningName.get("s3");
    const rest = (candidates ?? []).filter((e) => REST.has(e.protocol));
    for (const entry of rest) {
      const match = restRouterFor(loadModel(entry.name)).match(req.method, req.path, req.query, req.headers);
      if (match) {
        // The codec reads the labels from here rather than matching the path again.
        req.labels = match.labels;
        return { kind: "operation", service: entry.name, protocol: entry.protocol, operation: match.operation.name };
      }
    }
    if (rest.length > 0) return { kind: "unknown-operation", service: rest[0].name, protocol: rest[0].protocol };
    const first = candidates?.[0];
    if (first) return { kind: "unknown-operation", service: first.name, protocol: first.protocol };
    return { kind: "unknown-service", name: scope.signingName ?? "unknown", protocol: undefined };
  }

  private withOperation(entry: ModelIndexEntry, protocol: ProtocolName, operation: string | undefined): Identified {
    if (operation && this.operations.get(entry.name)!.has(operation)) return { kind: "operation", service: entry.name, protocol, operation };
    return { kind: "unknown-operation", service: entry.name, protocol, operation };
  }

  /** Hosts like sts.amazonaws.com, sqs.us-east-1.localhost.localstack.cloud. */
  private byHostPrefix(req: HttpRequest): ModelIndexEntry[] | undefined {
    const host = req.headers["host"];
    if (!host) return undefined;
    const first = host.split(".")[0];
    return this.bySigningName.get(first) ?? (this.byName.has(first) ? [this.byName.get(first)!] : undefined);
  }
}

function acceptsQuery(entry: ModelIndexEntry): boolean {
  return entry.protocol === "query" || (entry.protocols ?? []).includes("query") || entry.awsQueryCompatible;
}

function queryAction(req: HttpRequest): string | undefined {
  const fromUrl = req.query["Action"]?.[0];
  if (fromUrl !== undefined) return fromUrl;
  if (req.method !== "POST") return undefined;
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return undefined;
  return formOf(req).get("Action");
}


function push<K, V>(map: Map<K, V[]>, key: K | undefined, value: V): void {
  if (key === undefined) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
