import { putAttribute, type AttributeValue, type Item } from "./attribute-value.js";
import type { DocumentPath } from "./ast.js";

// Applies resolved ProjectionExpression paths to an item. Nested paths keep
// their enclosing maps; list elements picked by index come back as a list of
// the picked elements in index order (a[3], a[1] -> [a[1], a[3]]); paths that
// find nothing contribute nothing.

type Node =
  | { kind: "leaf"; value: AttributeValue }
  | { kind: "map"; children: Map<string, Node> }
  | { kind: "list"; children: Map<number, Node> };

function build(node: Node): AttributeValue {
  if (node.kind === "leaf") return node.value;
  if (node.kind === "map") {
    const M: Record<string, AttributeValue> = {};
    for (const [k, child] of node.children) putAttribute(M, k, build(child));
    return { M };
  }
  const L = [...node.children.entries()].sort((a, b) => a[0] - b[0]).map(([, child]) => build(child));
  return { L };
}

export function projectItem(item: Item, paths: readonly DocumentPath[]): Item {
  const root = new Map<string, Node>();
  for (const path of paths) {
    const head = path[0] as string;
    if (!Object.hasOwn(item, head)) continue;
    // Find the value first, so a path that misses leaves no empty containers.
    let v: AttributeValue | undefined = item[head];
    for (let i = 1; i < path.length && v !== undefined; i++) {
      const el = path[i]!;
      v = typeof el === "number" ? ("L" in v ? v.L[el] : undefined) : "M" in v && Object.hasOwn(v.M, el) ? v.M[el] : undefined;
    }
    if (v === undefined) continue;
    let children: Map<string | number, Node> = root as Map<string | number, Node>;
    for (let i = 0; i < path.length - 1; i++) {
      const el = path[i]!;
      let node = children.get(el);
      if (node === undefined || node.kind === "leaf") {
        node = typeof path[i + 1] === "number"
          ? { kind: "list", children: new Map() }
          : { kind: "map", children: new Map() };
        children.set(el, node);
      }
      children = node.children as Map<string | number, Node>;
    }
    children.set(path[path.length - 1]!, { kind: "leaf", value: v });
  }
  const out: Item = {};
  for (const [k, node] of root) putAttribute(out, k, build(node));
  return out;
}
