import type { AttributeValue, Item } from "./attribute-value.js";
import type { DocumentPath } from "./ast.js";

// Reading a document path in an item. A path that runs through a missing
// attribute, a non-map (for a name) or a non-list (for an index) or past a
// list's end simply finds nothing, as on AWS.

export function getPath(item: Item, path: DocumentPath): AttributeValue | undefined {
  const head = path[0] as string;
  let v: AttributeValue | undefined = Object.hasOwn(item, head) ? item[head] : undefined;
  for (let i = 1; i < path.length && v !== undefined; i++) {
    const el = path[i]!;
    if (typeof el === "number") v = "L" in v ? v.L[el] : undefined;
    else v = "M" in v && Object.hasOwn(v.M, el) ? v.M[el] : undefined;
  }
  return v;
}
