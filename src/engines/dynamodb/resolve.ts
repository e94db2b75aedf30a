import { compareValues, describeValue, typeOf, type AttributeValue } from "./attribute-value.js";
import {
  pathString, type Condition, type DocumentPath, type Operand, type ProjectionExpression, type UpdateExpression,
} from "./ast.js";
import { ExpressionError } from "./errors.js";
import { undefinedName, undefinedValue, type ExpressionAttributes } from "./names-values.js";
import { CONDITION_FUNCTIONS } from "./parser.js";
import { UPDATE_FUNCTIONS } from "./update-parser.js";

// Binds a parsed (cacheable) tree to one request's placeholders and applies
// the checks that depend on them: operand counts and types, distinct
// operands, BETWEEN bounds, overlapping update/projection paths. Each kind of
// error is remembered once and the first kind in AWS's priority order is
// thrown (the orders dynalite measured against AWS).

type Kind =
  | "attrNameVal" | "attrName" | "attrVal" | "operand" | "distinct" | "function"
  | "pathOverlap" | "pathConflict";

class Resolver {
  private readonly errors = new Map<Kind, string>();
  constructor(private readonly attrs: ExpressionAttributes, private readonly joinNameVal: boolean) {}

  fail(kind: Kind, message: string): void {
    if (!this.errors.has(kind)) this.errors.set(kind, message);
  }

  throwFirst(order: readonly Kind[]): void {
    for (const k of order) {
      const m = this.errors.get(k);
      if (m !== undefined) throw new ExpressionError(m);
    }
  }

  path(raw: DocumentPath): DocumentPath {
    return raw.map((el) => {
      if (typeof el !== "string" || el.charCodeAt(0) !== 35 /* # */) return el;
      const name = this.attrs.name(el);
      if (name === undefined) this.fail(this.joinNameVal ? "attrNameVal" : "attrName", undefinedName(el));
      return name ?? el;
    });
  }

  value(ref: string): AttributeValue {
    const value = this.attrs.value(ref);
    if (value === undefined) this.fail(this.joinNameVal ? "attrNameVal" : "attrVal", undefinedValue(ref));
    return value ?? { NULL: true };
  }

  operand(o: Operand): Operand {
    switch (o.type) {
      case "path":
        return { type: "path", path: this.path(o.path) };
      case "value":
        return { type: "literal", value: this.value(o.ref) };
      case "literal":
        return o;
      case "call":
        return { type: "call", name: o.name, args: o.args.map((a) => this.operand(a)) };
      case "arith":
        return { type: "arith", op: o.op, left: this.operand(o.left), right: this.operand(o.right) };
    }
  }
}

function literalType(o: Operand): string | undefined {
  return o.type === "literal" ? typeOf(o.value) : undefined;
}

// The type an operand is known to have before evaluation: a literal's, or a function's result.
function staticType(o: Operand): string | undefined {
  if (o.type === "call") return o.name === "size" ? "N" : o.name === "list_append" ? "L" : undefined;
  if (o.type === "arith") return "N";
  return literalType(o);
}

function samePath(a: Operand, b: Operand): boolean {
  return a.type === "path" && b.type === "path" && a.path.length === b.path.length &&
    a.path.every((p, i) => p === b.path[i]);
}

function checkDistinct(r: Resolver, operator: string, args: Operand[]): void {
  if (args.length === 2 && samePath(args[0]!, args[1]!)) {
    const first = (args[0] as { path: DocumentPath }).path;
    r.fail("distinct",
      `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathString(first)}`);
  }
}

function incorrectType(name: string, type: string): string {
  return `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`;
}

function checkConditionCall(r: Resolver, name: string, args: Operand[]): void {
  const arity = CONDITION_FUNCTIONS[name]!;
  if (args.length !== arity) {
    r.fail("operand", `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return;
  }
  checkDistinct(r, name, args);
  switch (name) {
    case "attribute_exists":
    case "attribute_not_exists":
      if (args[0]!.type !== "path") r.fail("function", `Operator or function requires a document path; operator or function: ${name}`);
      return;
    case "begins_with":
      for (const a of args) {
        const t = staticType(a);
        if (t !== undefined && t !== "S" && t !== "B") r.fail("function", incorrectType(name, t));
      }
      return;
    case "attribute_type": {
      const a = args[1]!;
      if (a.type !== "literal" || !("S" in a.value)) {
        r.fail("function", incorrectType(name, staticType(a) ?? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
      } else if (!["S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M"].includes(a.value.S)) {
        r.fail("function", `Invalid attribute type name found; type: ${a.value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      }
      return;
    }
    case "size": {
      const t = staticType(args[0]!);
      if (t === "N" || t === "BOOL" || t === "NULL") r.fail("function", incorrectType(name, t));
      return;
    }
  }
}

function checkOperands(r: Resolver, ops: Operand[]): void {
  for (const o of ops) if (o.type === "call") checkConditionCall(r, o.name, o.args);
}

function checkBetween(r: Resolver, low: Operand, high: Operand): void {
  if (low.type !== "literal" || high.type !== "literal") return;
  const tl = typeOf(low.value);
  const th = typeOf(high.value);
  const bounds = `lower bound operand: AttributeValue: ${describeValue(low.value)}, upper bound operand: AttributeValue: ${describeValue(high.value)}`;
  if (tl !== th) {
    r.fail("function", `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
  } else if ((compareValues(low.value, high.value) ?? 0) > 0) {
    r.fail("function", `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
  }
}

function condition(r: Resolver, c: Condition): Condition {
  switch (c.type) {
    case "and":
    case "or":
      return { type: c.type, left: condition(r, c.left), right: condition(r, c.right) };
    case "not":
      return { type: "not", operand: condition(r, c.operand) };
    case "compare": {
      const left = r.operand(c.left);
      const right = r.operand(c.right);
      checkOperands(r, [left, right]);
      checkDistinct(r, c.op, [left, right]);
      return { type: "compare", op: c.op, left, right };
    }
    case "between": {
      const operand = r.operand(c.operand);
      const low = r.operand(c.low);
      const high = r.operand(c.high);
      checkOperands(r, [operand, low, high]);
      checkBetween(r, low, high);
      return { type: "between", operand, low, high };
    }
    case "in": {
      const operand = r.operand(c.operand);
      const list = c.list.map((o) => r.operand(o));
      checkOperands(r, [operand, ...list]);
      return { type: "in", operand, list };
    }
    case "call": {
      const args = c.args.map((o) => r.operand(o));
      checkOperands(r, args);
      checkConditionCall(r, c.name, args);
      return { type: "call", name: c.name, args };
    }
  }
}

/** Resolve a parsed ConditionExpression / FilterExpression / KeyConditionExpression. */
export function resolveCondition(parsed: Condition, attrs: ExpressionAttributes): Condition {
  const r = new Resolver(attrs, true);
  const out = condition(r, parsed);
  r.throwFirst(["attrNameVal", "operand", "distinct", "function"]);
  return out;
}

// Paths overlap when one is a prefix of the other, and conflict when they
// reach the same place once as a map key and once as a list index.
function checkPaths(r: Resolver, paths: DocumentPath[]): void {
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = paths[i]!;
      const b = paths[j]!;
      const n = Math.min(a.length, b.length);
      let k = 0;
      while (k < n && a[k] === b[k]) k++;
      const where = `must remove or rewrite one of these paths; path one: ${pathString(a)}, path two: ${pathString(b)}`;
      if (k === n) r.fail("pathOverlap", `Two document paths overlap with each other; ${where}`);
      else if (typeof a[k] !== typeof b[k]) r.fail("pathConflict", `Two document paths conflict with each other; ${where}`);
    }
  }
}

const OPERAND_TYPE_NAMES: Record<string, string> = {
  S: "STRING", N: "NUMBER", B: "BINARY", NULL: "NULL", BOOL: "BOOLEAN", L: "LIST", M: "MAP",
};

function checkUpdateValue(r: Resolver, o: Operand): void {
  if (o.type === "arith") {
    for (const a of [o.left, o.right]) {
      checkUpdateValue(r, a);
      const t = literalType(a) ?? staticType(a);
      if (t !== undefined && t !== "N") r.fail("function", incorrectType(o.op, t));
    }
  } else if (o.type === "call") {
    o.args.forEach((a) => checkUpdateValue(r, a));
    if (o.args.length !== UPDATE_FUNCTIONS[o.name]) {
      r.fail("function", `Incorrect number of operands for operator or function; operator or function: ${o.name}, number of operands: ${o.args.length}`);
    } else if (o.name === "if_not_exists" && o.args[0]!.type !== "path") {
      r.fail("function", `Operator or function requires a document path; operator or function: ${o.name}`);
    } else if (o.name === "list_append") {
      for (const a of o.args) {
        const t = staticType(a);
        if (t !== undefined && t !== "L") r.fail("function", incorrectType(o.name, t));
      }
    }
  }
}

/** Resolve a parsed UpdateExpression. */
export function resolveUpdate(parsed: UpdateExpression, attrs: ExpressionAttributes): UpdateExpression {
  const r = new Resolver(attrs, false);
  const resolved = new Map<DocumentPath, DocumentPath>();
  const path = (p: DocumentPath): DocumentPath => {
    let out = resolved.get(p);
    if (!out) resolved.set(p, (out = r.path(p)));
    return out;
  };
  const setOp = (kind: "ADD" | "DELETE") => (a: { path: DocumentPath; value: Operand }) => {
    const value = r.operand(a.value);
    const t = literalType(value);
    const allowed = kind === "ADD" ? t === "N" || t === "SS" || t === "NS" || t === "BS" : t === "SS" || t === "NS" || t === "BS";
    if (t !== undefined && !allowed && OPERAND_TYPE_NAMES[t]) {
      r.fail("operand", `Incorrect operand type for operator or function; operator: ${kind}, operand type: ${OPERAND_TYPE_NAMES[t]}`);
    }
    return { path: path(a.path), value };
  };
  const out: UpdateExpression = {
    set: parsed.set.map((a) => {
      const value = r.operand(a.value);
      checkUpdateValue(r, value);
      return { path: path(a.path), value };
    }),
    remove: parsed.remove.map(path),
    add: parsed.add.map(setOp("ADD")),
    delete: parsed.delete.map(setOp("DELETE")),
    targets: parsed.targets.map(path),
  };
  checkPaths(r, out.targets);
  r.throwFirst(["attrName", "attrVal", "pathOverlap", "pathConflict", "operand", "function"]);
  return out;
}

/** Resolve a parsed ProjectionExpression. */
export function resolveProjection(parsed: ProjectionExpression, attrs: ExpressionAttributes): ProjectionExpression {
  const r = new Resolver(attrs, false);
  const out = parsed.map((p) => r.path(p));
  checkPaths(r, out);
  r.throwFirst(["attrName", "pathOverlap", "pathConflict"]);
  return out;
}
