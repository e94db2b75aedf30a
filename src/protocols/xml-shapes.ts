import type { Shape, ShapeRef, ServiceModel, TimestampFormat } from "../models/types.js";
import { setOwn, shapeOf } from "./shape-walk.js";
import { escapeXml, type XmlNode } from "./xml-text.js";
import { formatNumberText, formatTimestamp, parseNumberText, parseTimestamp, toBuffer } from "./values.js";

// The XML body codec shared by rest-xml and awsQuery responses, driven by the
// model's XML traits (locationName, flattened, xmlAttribute, xmlNamespace).
// Element naming follows Smithy's rules, which the AWS SDKs are generated from:
// a flattened list repeats the member's own name, not its items' locationName.

/** Models in the wild write xmlNamespace as an object or, in the test vectors, a bare URI. */
type XmlNamespace = { prefix?: string; uri: string } | string;

export interface WriteXmlOptions {
  /** Namespace for this element when neither the ref nor the shape names one. */
  xmlns?: string;
  /** Leave out the members a response carries outside its body (headers, status code). */
  bodyOnly?: boolean;
  /**
   * Declare a structure shape's own xmlNamespace on its elements (default true).
   * AWS's restXml vectors expect it on nested structures; its awsQuery vectors do not.
   */
  shapeNamespaces?: boolean;
}

export function writeXmlShape(
  value: unknown,
  ref: ShapeRef,
  model: ServiceModel,
  elementName: string,
  opts: WriteXmlOptions = {},
): string {
  const shape = shapeOf(model, ref.shape);
  const shapeNs = opts.shapeNamespaces ?? true;
  const ns = (ref.xmlNamespace as XmlNamespace | undefined) ?? (shapeNs ? (shape.xmlNamespace as XmlNamespace | undefined) : undefined);
  let attrs = ns ? namespaceAttr(ns) : opts.xmlns ? ` xmlns="${escapeXml(opts.xmlns)}"` : "";
  let inner: string;
  switch (shape.type) {
    case "structure": {
      const obj = (value ?? {}) as Record<string, unknown>;
      attrs += structureAttributes(obj, shape, model);
      inner = membersXml(obj, shape, model, opts.bodyOnly ? "output" : undefined, shapeNs);
      break;
    }
    case "list":
      inner = listItemsXml(value as unknown[], shape, model, shapeNs);
      break;
    case "map":
      inner = mapEntriesXml(value as Record<string, unknown>, shape, model, shapeNs);
      break;
    default:
      inner = escapeXml(scalarText(value, shape, ref.timestampFormat));
  }
  return `<${elementName}${attrs}>${inner}</${elementName}>`;
}

export function writeXmlMembers(
  value: Record<string, unknown>,
  shapeName: string,
  model: ServiceModel,
  opts: Pick<WriteXmlOptions, "shapeNamespaces"> = {},
): string {
  return membersXml(value ?? {}, shapeOf(model, shapeName), model, undefined, opts.shapeNamespaces ?? true);
}

export function readXmlShape(node: unknown, ref: ShapeRef, model: ServiceModel): unknown {
  return readNode(node as XmlNode, ref, model);
}

/**
 * Reads the members of a structure from its element. `bodyOnly` skips the
 * members a request ("input") or response ("output") carries outside its body.
 */
export function readXmlMembers(
  node: XmlNode,
  shapeName: string,
  model: ServiceModel,
  bodyOnly?: Direction,
): Record<string, unknown> {
  return readStructure(node, shapeOf(model, shapeName), model, bodyOnly);
}

export type Direction = "input" | "output";

/** In a response only headers and the status code live outside the body. */
function outsideBody(ref: ShapeRef, direction: Direction | undefined): boolean {
  if (!direction || !ref.location) return false;
  return direction === "input" || !(ref.location === "uri" || ref.location === "querystring");
}

// ---------------------------------------------------------------- writing

function membersXml(
  obj: Record<string, unknown>,
  shape: Shape,
  model: ServiceModel,
  bodyOnly: Direction | undefined,
  shapeNamespaces: boolean,
): string {
  let out = "";
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = obj[name];
    if (v === undefined || v === null || ref.xmlAttribute) continue;
    if (outsideBody(ref, bodyOnly)) continue;
    out += memberXml(v, name, ref, model, shapeNamespaces);
  }
  return out;
}

function memberXml(v: unknown, memberName: string, ref: ShapeRef, model: ServiceModel, shapeNamespaces: boolean): string {
  const target = shapeOf(model, ref.shape);
  const name = ref.xmlName ?? ref.locationName ?? memberName;
  const flattened = ref.flattened ?? target.flattened;
  if (flattened && target.type === "list") {
    const itemRef: ShapeRef = { ...target.member!, xmlNamespace: ref.xmlNamespace ?? target.member!.xmlNamespace };
    return (v as unknown[]).map((item) => writeXmlShape(item, itemRef, model, name, { shapeNamespaces })).join("");
  }
  if (flattened && target.type === "map") {
    const ns = ref.xmlNamespace as XmlNamespace | undefined;
    const attrs = ns ? namespaceAttr(ns) : "";
    return Object.entries(v as Record<string, unknown>)
      .filter(([, val]) => val !== null && val !== undefined)
      .map(([k, val]) => `<${name}${attrs}>${entryXml(k, val, target, model, shapeNamespaces)}</${name}>`)
      .join("");
  }
  return writeXmlShape(v, ref, model, name, { shapeNamespaces });
}

function structureAttributes(obj: Record<string, unknown>, shape: Shape, model: ServiceModel): string {
  let out = "";
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (!ref.xmlAttribute) continue;
    const v = obj[name];
    if (v === undefined || v === null) continue;
    const text = scalarText(v, shapeOf(model, ref.shape), ref.timestampFormat);
    out += ` ${ref.locationName ?? name}="${escapeXml(text)}"`;
  }
  return out;
}

function listItemsXml(items: unknown[], shape: Shape, model: ServiceModel, shapeNamespaces: boolean): string {
  const ref = shape.member!;
  const name = ref.locationName ?? "member";
  return (items ?? []).map((item) => writeXmlShape(item, ref, model, name, { shapeNamespaces })).join("");
}

function mapEntriesXml(map: Record<string, unknown>, shape: Shape, model: ServiceModel, shapeNamespaces: boolean): string {
  return Object.entries(map ?? {})
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `<entry>${entryXml(k, v, shape, model, shapeNamespaces)}</entry>`)
    .join("");
}

function entryXml(key: string, value: unknown, shape: Shape, model: ServiceModel, shapeNamespaces: boolean): string {
  const keyRef = shape.key!;
  const valueRef = shape.value!;
  return (
    writeXmlShape(key, keyRef, model, keyRef.locationName ?? "key", { shapeNamespaces }) +
    writeXmlShape(value, valueRef, model, valueRef.locationName ?? "value", { shapeNamespaces })
  );
}

function scalarText(value: unknown, shape: Shape, refFormat?: TimestampFormat): string {
  switch (shape.type) {
    case "boolean":
      return value === true || value === "true" ? "true" : "false";
    case "timestamp":
      return String(formatTimestamp(value, refFormat ?? shape.timestampFormat ?? "iso8601"));
    case "blob":
      return toBuffer(value).toString("base64");
    case "integer": case "long": case "float": case "double": case "short": case "byte":
      return typeof value === "number" ? formatNumberText(value) : String(value);
    default:
      return String(value);
  }
}

function namespaceAttr(ns: XmlNamespace): string {
  if (typeof ns === "string") return ` xmlns="${escapeXml(ns)}"`;
  return ns.prefix ? ` xmlns:${ns.prefix}="${escapeXml(ns.uri)}"` : ` xmlns="${escapeXml(ns.uri)}"`;
}

// ---------------------------------------------------------------- reading

function readNode(node: XmlNode, ref: ShapeRef, model: ServiceModel): unknown {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case "structure":
      return readStructure(node, shape, model, undefined);
    case "list": {
      const itemRef = shape.member!;
      return node.children.map((child) => readNode(child, itemRef, model));
    }
    case "map":
      return readEntries(node.children, shape, model);
    default:
      return readScalar(node.text, shape, ref.timestampFormat);
  }
}

function readStructure(
  node: XmlNode,
  shape: Shape,
  model: ServiceModel,
  bodyOnly: Direction | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let byName: Map<string, XmlNode[]> | undefined;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (outsideBody(ref, bodyOnly)) continue;
    const target = shapeOf(model, ref.shape);
    if (ref.xmlAttribute) {
      const raw = attributeValue(node, ref.xmlName ?? ref.locationName ?? name);
      if (raw !== undefined) out[name] = readScalar(raw, target, ref.timestampFormat);
      continue;
    }
    byName ??= indexChildren(node);
    const flattened = ref.flattened ?? target.flattened;
    let found = byName.get(localName(ref.xmlName ?? ref.locationName ?? name));
    // botocore-style models may name flattened items only on the list's member.
    if (!found && flattened && target.type === "list" && target.member?.locationName) {
      found = byName.get(localName(target.member.locationName));
    }
    if (!found) continue;
    if (flattened && target.type === "list") {
      out[name] = found.map((item) => readNode(item, target.member!, model));
    } else if (flattened && target.type === "map") {
      out[name] = readEntries(found, target, model);
    } else {
      out[name] = readNode(found[found.length - 1], ref, model);
    }
  }
  return out;
}

function readEntries(entries: XmlNode[], shape: Shape, model: ServiceModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keyName = localName(shape.key!.locationName ?? "key");
  const valueName = localName(shape.value!.locationName ?? "value");
  for (const entry of entries) {
    const keyNode = entry.children.find((c) => localName(c.name) === keyName);
    const valueNode = entry.children.find((c) => localName(c.name) === valueName);
    if (!keyNode) continue;
    const key = String(readNode(keyNode, shape.key!, model));
    const value = valueNode ? readNode(valueNode, shape.value!, model) : undefined;
    setOwn(out, key, value);
  }
  return out;
}

function readScalar(text: string, shape: Shape, refFormat?: TimestampFormat): unknown {
  switch (shape.type) {
    case "boolean": {
      const t = text.trim();
      if (t === "true") return true;
      if (t === "false") return false;
      throw new Error(`not a boolean: ${text}`);
    }
    case "integer": case "long": case "short": case "byte": {
      const t = text.trim();
      if (!/^[-+]?\d+$/.test(t)) throw new Error(`not an integer: ${text}`);
      return Number(t);
    }
    case "float": case "double": case "bigdecimal": case "biginteger": {
      const n = parseNumberText(text.trim());
      if (Number.isNaN(n) && text.trim() !== "NaN") throw new Error(`not a number: ${text}`);
      return n;
    }
    case "timestamp": {
      const d = parseTimestamp(text);
      if (!d) throw new Error(`not a timestamp (${refFormat ?? shape.timestampFormat ?? "iso8601"}): ${text}`);
      return d;
    }
    case "blob":
      return Buffer.from(text.trim(), "base64");
    default:
      return text;
  }
}

function indexChildren(node: XmlNode): Map<string, XmlNode[]> {
  const map = new Map<string, XmlNode[]>();
  for (const child of node.children) {
    const key = localName(child.name);
    const list = map.get(key);
    if (list) list.push(child);
    else map.set(key, [child]);
  }
  return map;
}

function attributeValue(node: XmlNode, name: string): string | undefined {
  if (name in node.attributes) return node.attributes[name];
  const local = localName(name);
  for (const [k, v] of Object.entries(node.attributes)) if (localName(k) === local && !k.startsWith("xmlns")) return v;
  return undefined;
}

/** Namespace prefixes are declarations of the sender's choosing; members match on local names. */
function localName(name: string): string {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
}
