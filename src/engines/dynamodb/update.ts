import {
  addNumbers, cloneItem, cloneValue, putAttribute, setHas, typeOf, type AttributeValue, type Item,
} from "./attribute-value.js";
import type { DocumentPath, Operand, UpdateExpression } from "./ast.js";
import { getPath } from "./document-path.js";
import { ExpressionError } from "./errors.js";

// Applies a resolved UpdateExpression. Every SET value is computed from the
// item as it was before the update (AWS evaluates the right-hand sides first),
// then the actions are applied to a copy. List positions refer to the list as
// it was: REMOVE a[1], a[2] removes the original second and third elements,
// and SET a[n] past the end appends. Messages as AWS writes them (recorded in
// dynalite's actions/updateItem.js).

const INVALID_PATH = "The document path provided in the update expression is invalid for update";
const WRONG_TYPE = "An operand in the update expression has an incorrect data type";
const MISSING = "The provided expression refers to an attribute that does not exist in the item";

export interface UpdateResult {
  item: Item;
  /**
   * The target paths of the update: project the old item on them for
   * ReturnValues UPDATED_OLD, the new item for UPDATED_NEW.
   */
  updatedPaths: DocumentPath[];
}

function valueOf(o: Operand, item: Item): AttributeValue {
  switch (o.type) {
    case "literal":
      return o.value;
    case "path": {
      const v = getPath(item, o.path);
      if (v === undefined) throw new ExpressionError(MISSING);
      return v;
    }
    case "arith": {
      const a = valueOf(o.left, item);
      if (!("N" in a)) throw new ExpressionError(WRONG_TYPE);
      const b = valueOf(o.right, item);
      if (!("N" in b)) throw new ExpressionError(WRONG_TYPE);
      return { N: addNumbers(a.N, b.N, o.op === "-") };
    }
    case "call": {
      if (o.name === "if_not_exists") {
        const p = o.args[0]!;
        const existing = p.type === "path" ? getPath(item, p.path) : undefined;
        return existing ?? valueOf(o.args[1]!, item);
      }
      const a = valueOf(o.args[0]!, item);
      if (!("L" in a)) throw new ExpressionError(WRONG_TYPE);
      const b = valueOf(o.args[1]!, item);
      if (!("L" in b)) throw new ExpressionError(WRONG_TYPE);
      return { L: [...a.L, ...b.L] };
    }
    case "value":
      throw new Error("internal: unresolved value in an update");
  }
}

// Marks list slots removed until the update ends, so positions stay stable.
const REMOVED = { NULL: true } as AttributeValue;

class Target {
  constructor(
    readonly container: Record<string, AttributeValue> | AttributeValue[],
    readonly key: string | number,
  ) {}

  get(): AttributeValue | undefined {
    const v = Array.isArray(this.container)
      ? this.container[this.key as number]
      : Object.hasOwn(this.container, this.key) ? this.container[this.key as string] : undefined;
    return v === REMOVED ? undefined : v;
  }

  put(value: AttributeValue): void {
    if (!Array.isArray(this.container)) putAttribute(this.container, this.key as string, value);
    else if ((this.key as number) < this.container.length) this.container[this.key as number] = value;
    else this.container.push(value);
  }
}

/** Where `path` lives in `item`, or an error when its parent is missing or of the wrong type. */
function locate(item: Item, path: DocumentPath): Target {
  if (path.length === 1) return new Target(item, path[0]!);
  const parent = getPath(item, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (parent !== undefined && parent !== REMOVED) {
    if (typeof key === "number" && "L" in parent) return new Target(parent.L, key);
    if (typeof key === "string" && "M" in parent) return new Target(parent.M, key);
  }
  throw new ExpressionError(INVALID_PATH);
}

function remove(t: Target, squash: Set<AttributeValue[]>): void {
  if (Array.isArray(t.container)) {
    if ((t.key as number) < t.container.length) {
      t.container[t.key as number] = REMOVED;
      squash.add(t.container);
    }
  } else {
    delete t.container[t.key as string];
  }
}

function addToSet(existing: AttributeValue, value: AttributeValue, del: boolean): AttributeValue | undefined {
  const t = typeOf(value);
  if (typeOf(existing) !== t) throw new ExpressionError(WRONG_TYPE);
  const members = (v: AttributeValue) => (v as Record<string, unknown[]>)[t]!;
  const singles = (x: unknown) => ({ [t.slice(0, 1)]: x }) as AttributeValue;
  if (del) {
    const kept = members(existing).filter((x) => !setHas(value, singles(x)));
    return kept.length === 0 ? undefined : ({ [t]: kept } as AttributeValue);
  }
  const added = members(value).filter((x) => !setHas(existing, singles(x)));
  return { [t]: [...members(existing), ...added] } as AttributeValue;
}

/**
 * Apply `update` to `item` (for an item that does not exist yet, pass its key
 * attributes: UpdateItem upserts). The input is never modified.
 */
export function applyUpdate(update: UpdateExpression, item: Item): UpdateResult {
  const values = update.set.map((a) => valueOf(a.value, item));
  const out = cloneItem(item);
  const squash = new Set<AttributeValue[]>();
  update.set.forEach((a, i) => locate(out, a.path).put(cloneValue(values[i]!)));
  for (const p of update.remove) remove(locate(out, p), squash);
  for (const a of update.add) {
    const t = locate(out, a.path);
    const value = (a.value as { value: AttributeValue }).value;
    const existing = t.get();
    if ("N" in value) {
      if (existing !== undefined && !("N" in existing)) throw new ExpressionError(WRONG_TYPE);
      t.put({ N: addNumbers(existing === undefined ? "0" : existing.N, value.N) });
    } else {
      t.put(existing === undefined ? cloneValue(value) : addToSet(existing, value, false)!);
    }
  }
  for (const a of update.delete) {
    const t = locate(out, a.path);
    const existing = t.get();
    if (existing === undefined) continue;
    const kept = addToSet(existing, (a.value as { value: AttributeValue }).value, true);
    if (kept === undefined) remove(t, squash);
    else t.put(kept);
  }
  for (const list of squash) {
    let w = 0;
    for (let r = 0; r < list.length; r++) if (list[r] !== REMOVED) list[w++] = list[r]!;
    list.length = w;
  }
  return { item: out, updatedPaths: update.targets };
}
