import type { ServiceModel, Shape, ShapeRef } from "../models/types.js";
import { RawJson } from "./raw-json.js";

// Walking a value by its model shape. The awsJson and rpc-v2-cbor codecs
// read and write alike through structures, lists and maps (null members and
// items are left out, map keys stay data, documents pass as they are); the
// format brings its member keys, its scalars and its errors. shapeOf and
// setOwn serve every codec.

export interface ValueFormat {
  /** The key a structure member travels under. */
  memberKey(name: string, ref: ShapeRef): string;
  /** Whether a decoded value can be read as a structure or map. */
  isObject(v: unknown): v is Record<string, unknown>;
  /** Where a member, map entry (by key) or list item (by index) sits below `path`, for error messages. */
  childPath(path: string, key: string | number): string;
  /** The error for a value its shape cannot hold. */
  mismatch(v: unknown, shape: Shape, path: string): Error;
  readScalar(v: unknown, shape: Shape, path: string): unknown;
  writeScalar(value: unknown, ref: ShapeRef, shape: Shape): unknown;
  /** Present when the format's serializer splices RawJson values as they are
   *  (awsJson): what to write in the value's place. */
  keepRawJson?: (raw: RawJson) => unknown;
}

export interface ShapeValues {
  /** Reads a decoded value as `ref`'s shape; undefined for null. */
  read(v: unknown, ref: ShapeRef, model: ServiceModel, path?: string): unknown;
  /** Writes `value` as `ref`'s shape into plain data for the encoder; undefined means "leave the member out". */
  write(value: unknown, ref: ShapeRef, model: ServiceModel): unknown;
}

export function shapeValues(format: ValueFormat): ShapeValues {
  // Every request is read through its input shape: each structure's members and
  // their wire keys are listed once per shape, not derived again per request.
  const plans = new WeakMap<Shape, { name: string; key: string; ref: ShapeRef }[]>();
  const planOf = (shape: Shape) => {
    let plan = plans.get(shape);
    if (!plan) {
      plan = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, key: format.memberKey(name, ref), ref }));
      plans.set(shape, plan);
    }
    return plan;
  };

  const keyedPlans = new WeakMap<Shape, Map<string, { key: string; ref: ShapeRef }>>();
  const keyedPlanOf = (shape: Shape) => {
    let plan = keyedPlans.get(shape);
    if (!plan) {
      plan = new Map(planOf(shape).map(({ name, key, ref }) => [name, { key, ref }]));
      keyedPlans.set(shape, plan);
    }
    return plan;
  };

  function read(v: unknown, ref: ShapeRef, model: ServiceModel, path = ""): unknown {
    if (v === null || v === undefined) return undefined;
    const shape = shapeOf(model, ref.shape);
    if (shape.document) return v;
    switch (shape.type) {
      case "structure": {
        if (!format.isObject(v)) throw format.mismatch(v, shape, path);
        const out: Record<string, unknown> = {};
        for (const { name, key, ref: member } of planOf(shape)) {
          const item = v[key];
          if (item === null || item === undefined) continue;
          const r = read(item, member, model, format.childPath(path, name));
          if (r !== undefined) out[name] = r;
        }
        return out;
      }
      case "list": {
        if (!Array.isArray(v)) throw format.mismatch(v, shape, path);
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i++) {
          const r = read(v[i], shape.member!, model, format.childPath(path, i));
          if (r !== undefined) out.push(r);
        }
        return out;
      }
      case "map": {
        if (!format.isObject(v)) throw format.mismatch(v, shape, path);
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v)) {
          const r = read(item, shape.value!, model, format.childPath(path, k));
          if (r !== undefined) setOwn(out, k, r);
        }
        return out;
      }
      default:
        return format.readScalar(v, shape, path);
    }
  }

  function write(value: unknown, ref: ShapeRef, model: ServiceModel): unknown {
    if (value === null || value === undefined) return undefined;
    if (value instanceof RawJson) {
      if (format.keepRawJson) return format.keepRawJson(value);
      value = JSON.parse(value.text);
    }
    const shape = shapeOf(model, ref.shape);
    if (shape.document) return value;
    switch (shape.type) {
      case "structure": {
        // Walk the value's own keys, not every member of the shape: a union like
        // DynamoDB's AttributeValue has ten members and one set. (Key order is the
        // value's; JSON and CBOR maps carry no order.)
        const obj = value as Record<string, unknown>;
        const members = keyedPlanOf(shape);
        const out: Record<string, unknown> = {};
        for (const name of Object.keys(obj)) {
          const member = members.get(name);
          if (member === undefined) continue;
          const w = write(obj[name], member.ref, model);
          if (w !== undefined) out[member.key] = w;
        }
        return out;
      }
      case "list": {
        const out: unknown[] = [];
        for (const item of value as unknown[]) {
          const w = write(item, shape.member!, model);
          if (w !== undefined) out.push(w);
        }
        return out;
      }
      case "map": {
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(value as Record<string, unknown>)) {
          const w = write(item, shape.value!, model);
          if (w !== undefined) setOwn(out, k, w);
        }
        return out;
      }
      case "string":
        // The common scalar: no conversion to make.
        return typeof value === "string" ? value : format.writeScalar(value, ref, shape);
      default:
        return format.writeScalar(value, ref, shape);
    }
  }

  return { read, write };
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`model has no shape ${name}`);
  return shape;
}

/** Sets a map entry; map keys come from the wire, and "__proto__" must stay an entry instead of replacing the prototype. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
