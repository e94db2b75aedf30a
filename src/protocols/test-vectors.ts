import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import type { Operation, ServiceModel, Shape, ShapeRef } from "../models/types.js";
import type { ProtocolCodec, ResponseContext } from "./codec.js";
import { parseQueryString, type HttpRequest, type HttpResponse } from "./http.js";
import { ServiceError } from "./service-error.js";

// For the codec tests only (nothing outside a *.test.ts imports this): AWS's
// protocol vectors, read backwards, as a server reads them. Input cases are
// parsed and compared with their `params`; output cases' `result` or `error`
// is serialized and compared with what a client reads from their `response`.
// The format is botocore's (see ../shared/protocol-tests/README.md).

const VECTORS = new URL("../../../shared/protocol-tests/", import.meta.url);

export type VectorKind = "input" | "output";

export interface Suite { description: string; metadata: ServiceModel["metadata"]; shapes: ServiceModel["shapes"]; cases: Case[] }
export interface Case {
  id: string; description?: string; given: Operation; params?: Record<string, unknown>;
  serialized?: { method: string; uri: string; body?: string; headers?: Record<string, string> };
  result?: Record<string, unknown>; error?: Record<string, unknown>; errorCode?: string; errorMessage?: string;
  response?: { status_code: number; headers?: Record<string, string>; body?: string };
}

/** A case to run: its suite, a model holding just its operation, and why it is skipped, if it is. */
export interface VectorCase { suite: Suite; case: Case; model: ServiceModel; skip: string | undefined }

/** Reasons by case id, kept by each test file: cases a server cannot or need not reproduce, or known failures. */
export type CaseNotes = Record<string, string>;

/** Whether a file of the vectors (by default their ignore list) is on this machine. */
export function vectorsPresent(file = "ignore-list.json"): boolean {
  return existsSync(new URL(file, VECTORS));
}

interface IgnoreList {
  general?: Partial<Record<VectorKind, { suites?: string[] }>>;
  protocols?: Record<string, Partial<Record<VectorKind, { cases?: string[] }>>>;
}

let ignoreList: IgnoreList | undefined;

function readIgnoreList(): IgnoreList {
  ignoreList ??= vectorsPresent() ? JSON.parse(readFileSync(new URL("ignore-list.json", VECTORS), "utf8")) as IgnoreList : {};
  return ignoreList;
}

/** Why a case is not run: botocore's ignore-list (by suite for every protocol, by case for `protocol`), else the file's own list. */
function skipReason(protocol: string, kind: VectorKind, suite: Suite, c: Case, skip: CaseNotes): string | undefined {
  const list = readIgnoreList();
  if ((list.general?.[kind]?.suites ?? []).includes(suite.description)) return "botocore's ignore-list (suite)";
  if ((list.protocols?.[protocol]?.[kind]?.cases ?? []).includes(c.id)) return "botocore's ignore-list";
  return skip[c.id];
}

function modelOf(suite: Suite, op: Operation): ServiceModel {
  return { metadata: suite.metadata, operations: { [op.name]: op }, shapes: suite.shapes };
}

/** The cases of `<kind>/<file>`; `protocol` names the file's entry in the ignore list. */
export function vectorCases(kind: VectorKind, file: string, protocol: string, skip: CaseNotes): VectorCase[] {
  const suites = JSON.parse(readFileSync(new URL(`${kind}/${file}`, VECTORS), "utf8")) as Suite[];
  return suites.flatMap((suite) => suite.cases.map((c) => ({
    suite, case: c, model: modelOf(suite, c.given), skip: skipReason(protocol, kind, suite, c, skip),
  })));
}

/**
 * A test per case of `input/<file>` and then of `output/<file>`, named
 * "<file> <kind> <id>"; none when the vectors are absent. `todo` marks known
 * failures: run and reported, not failing the suite.
 */
export function testVectorFile(
  file: string,
  protocol: string,
  notes: { skip?: CaseNotes; todo?: CaseNotes },
  run: Record<VectorKind, (v: VectorCase) => void>,
): void {
  if (!vectorsPresent(`input/${file}`)) return;
  for (const kind of ["input", "output"] as const) {
    for (const v of vectorCases(kind, file, protocol, notes.skip ?? {})) {
      test(`${file} ${kind} ${v.case.id}`, { skip: v.skip, todo: notes.todo?.[v.case.id] }, () => run[kind](v));
    }
  }
}

/** One test for every case of `<kind>/<file>`, each a subtest, reporting how many passed; skipped without the vectors. */
export function testVectorGroup(
  title: string,
  kind: VectorKind,
  file: string,
  protocol: string,
  skip: CaseNotes,
  run: (v: VectorCase) => void,
): void {
  test(title, { skip: !vectorsPresent() && "protocol vectors absent" }, async (t) => {
    let passed = 0;
    for (const v of vectorCases(kind, file, protocol, skip)) {
      await t.test(v.case.id, { skip: v.skip }, () => {
        run(v);
        passed++;
      });
    }
    t.diagnostic(`passed ${passed}`);
  });
}

/** The request an input case describes, header names lower-cased; the body as text unless `bodyEncoding` says otherwise. */
export function requestOf(s: NonNullable<Case["serialized"]>, bodyEncoding: BufferEncoding = "utf8"): HttpRequest {
  const q = s.uri.indexOf("?");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.headers ?? {})) headers[k.toLowerCase()] = v;
  return {
    method: s.method,
    path: q < 0 ? s.uri : s.uri.slice(0, q),
    query: parseQueryString(q < 0 ? "" : s.uri.slice(q)),
    headers,
    body: Buffer.from(s.body ?? "", bodyEncoding),
  };
}

// ---------------------------------------------------------------- values by shape (awsJson, awsQuery, rpc-v2-cbor)

/**
 * Rebuilds `v` by its shape for comparing: modeled structure members only
 * (found under `key`), nulls left out, every leaf through `leaf`.
 */
export function byShape(
  v: unknown,
  ref: ShapeRef,
  model: ServiceModel,
  leaf: (v: unknown, shape: Shape) => unknown,
  key: (name: string, member: ShapeRef) => string = (name) => name,
): unknown {
  if (v === null || v === undefined) return undefined;
  const shape = model.shapes[ref.shape];
  if (shape.document) return v;
  const walk = (x: unknown, r: ShapeRef) => byShape(x, r, model, leaf, key);
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const n = walk((v as Record<string, unknown>)[key(name, m)], m);
        if (n !== undefined) out[name] = n;
      }
      return out;
    }
    case "list": return (v as unknown[]).map((x) => walk(x, shape.member!)).filter((x) => x !== undefined);
    case "map": return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, walk(x, shape.value!)]).filter(([, x]) => x !== undefined));
    default: return leaf(v, shape);
  }
}

/** A value in the vectors' notation (epoch seconds, utf8 blobs, "NaN") and ours (Date, Buffer, NaN) made comparable. */
export function comparable(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  return byShape(v, ref, model, (x, shape) => {
    switch (shape.type) {
      case "timestamp": return x instanceof Date ? x.getTime() : typeof x === "number" ? Math.round(x * 1000) : Date.parse(String(x));
      case "blob": return typeof x === "string" ? Buffer.from(x).toString("base64") : Buffer.from(x as Uint8Array).toString("base64");
      case "float": case "double": return typeof x === "number" && !Number.isFinite(x) ? String(x) : x;
      default: return x;
    }
  });
}

/** Turns a vector `result` into what a handler returns: blobs as Buffer, non-finite floats as numbers. */
function toOutput(v: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  if (v === null || v === undefined) return v;
  const shape = model.shapes[ref.shape];
  if (shape.document) return v;
  switch (shape.type) {
    case "structure":
      return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape.members?.[k] ? toOutput(x, shape.members[k], model) : x]));
    case "list": return (v as unknown[]).map((x) => toOutput(x, shape.member!, model));
    case "map": return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, toOutput(x, shape.value!, model)]));
    case "blob": return Buffer.from(String(v));
    case "float": case "double": return typeof v === "string" ? Number(v) : v;
    default: return v;
  }
}

/** The error an output case describes, as a handler would throw it: its shape found by name or by query code. */
export function vectorError(c: Case, model: ServiceModel): ServiceError {
  const code = c.errorCode!;
  const shapeName = model.shapes[code]?.exception ? code
    : Object.keys(model.shapes).find((n) => model.shapes[n].error?.code === code);
  const fields = { ...(c.error ?? {}) };
  const message = String(fields.message ?? fields.Message ?? c.errorMessage ?? "");
  delete fields.message; delete fields.Message;
  return new ServiceError(shapeName ?? code, message, { status: c.response!.status_code, shapeName, fields });
}

/** Serializes an output case: its error, else its result as a handler returns it. */
export function serializeCase(codec: ProtocolCodec, c: Case, model: ServiceModel, ctx: ResponseContext): HttpResponse {
  if (c.errorCode) return codec.serializeError(vectorError(c, model), model, c.given, ctx);
  const output = c.given.output ? toOutput(c.result, c.given.output, model) as Record<string, unknown> : c.result;
  return codec.serializeResponse(output, model, c.given, ctx);
}

/** The parsed input holds the case's `params`, compared by the input shape (an operation without input parses to {}). */
export function assertParamsParsed(parsed: Record<string, unknown>, c: Case, model: ServiceModel): void {
  const ref = c.given.input;
  if (!ref) return assert.deepEqual(parsed, {});
  assert.deepEqual(comparable(parsed, ref, model), comparable(c.params ?? {}, ref, model));
}

/** An error code as clients read `__type`: no namespace before '#', no URI after ':'. */
export const stripNamespace = (t: unknown) => String(t).split(":")[0].split("#").pop();

// ---------------------------------------------------------------- values without shapes (restJson1, restXml)

/** Parsed values in the vectors' notation: epoch seconds, blobs as text, NaN and infinities by name. */
export function vectorNotation(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.map(vectorNotation);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, vectorNotation(x)]));
  return v;
}

/**
 * Top-level members the wire cannot tell from absent: null, and empty lists,
 * maps or structures (an empty query list sends nothing; "{}" as a payload
 * reads back as an empty structure). Both sides drop them before comparing.
 */
export function dropEmpty(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries((v ?? {}) as Record<string, unknown>)) {
    if (x === null || x === undefined) continue;
    if (Array.isArray(x) ? x.length === 0 : typeof x === "object" && Object.keys(x).length === 0) continue;
    out[k] = x;
  }
  return out;
}

export function pick(obj: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => obj?.[k] !== undefined).map((k) => [k, obj![k]]));
}

/** A header by name in any case (codecs keep AWS's spelling, vectors their own). */
export function headerOf(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

export function bodyText(body: HttpResponse["body"] | undefined): string {
  return Buffer.isBuffer(body) ? body.toString("utf8") : String(body ?? "");
}
