import { createRequire } from "node:module";

// XML as text: parsing a document into elements (fast-xml-parser, then XML 1.0's
// rules for line ends, attribute whitespace and entities, with no DOCTYPE entity
// ever expanded) and escaping text the way AWS writes it. xml-shapes.ts reads and
// writes these elements by the model's shapes.

/** A parsed element: what parseXml returns and readXmlShape reads. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** Character data (text and CDATA) directly inside the element, whitespace kept. */
  text: string;
}

// fast-xml-parser takes ~40 ms to load, a quarter of start-up, and only requests
// with XML bodies need it: load it on the first parse.
const require = createRequire(import.meta.url);
let xml: { parser: import("fast-xml-parser").XMLParser; validator: typeof import("fast-xml-parser").XMLValidator } | undefined;

function xmlParser() {
  if (xml) return xml;
  const { XMLParser, XMLValidator } = require("fast-xml-parser") as typeof import("fast-xml-parser");
  xml = { parser: new XMLParser(PARSER_OPTIONS), validator: XMLValidator };
  return xml;
}

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded below, so DOCTYPE-declared entities never expand (no XXE).
  processEntities: false,
  cdataPropName: "#cdata",
  commentPropName: "#comment",
  ignoreDeclaration: true,
  ignorePiTags: true,
};

export function parseXml(text: string): XmlNode {
  const { parser, validator } = xmlParser();
  const valid = validator.validate(text);
  if (valid !== true) throw new Error(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const items = parser.parse(text) as OrderedItem[];
  const roots = convertChildren(items).children;
  if (roots.length !== 1) throw new Error("malformed XML: expected exactly one root element");
  return roots[0];
}

/** Escapes text or an attribute value the way AWS does, including CR and LF. */
const NEEDS_ESCAPE = /[&<>"'\r\n\u0085\u2028]/;

export function escapeXml(s: string): string {
  // Most values (ids, ARNs, names) need nothing: test before building a new string.
  return NEEDS_ESCAPE.test(s) ? s.replace(/[&<>"'\r\n\u0085\u2028]/g, (c) => ESCAPES[c]) : s;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;",
  "\r": "&#xD;", "\n": "&#xA;", "\u0085": "&#x85;", "\u2028": "&#x2028;",
};

type OrderedItem = Record<string, unknown> & { ":@"?: Record<string, string> };

function convertChildren(items: OrderedItem[]): { children: XmlNode[]; text: string } {
  const children: XmlNode[] = [];
  let text = "";
  for (const item of items) {
    for (const key of Object.keys(item)) {
      if (key === ":@" || key === "#comment") continue;
      const content = item[key];
      if (key === "#text") text += decodeText(String(content));
      else if (key === "#cdata") text += (content as OrderedItem[]).map((t) => String(t["#text"] ?? "")).join("");
      else {
        const inner = convertChildren(content as OrderedItem[]);
        const attributes: Record<string, string> = {};
        for (const [k, v] of Object.entries(item[":@"] ?? {})) attributes[k] = decodeAttribute(String(v));
        children.push({ name: key, attributes, children: inner.children, text: inner.text });
      }
    }
  }
  return { children, text };
}

// XML 1.0 section 2.11: a literal CR or CRLF in the document reads as LF; a CR
// only survives as the character reference &#xD;, which is why AWS writes it so.
function decodeText(raw: string): string {
  return decodeEntities(raw.replace(/\r\n?/g, "\n"));
}

// XML 1.0 section 3.3.3: literal whitespace characters in attribute values normalize to spaces.
function decodeAttribute(raw: string): string {
  return decodeEntities(raw.replace(/\r\n|[\r\n\t]/g, " "));
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) throw new Error("malformed XML: bare '&'");
    if (name in NAMED) return NAMED[name];
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (!m) throw new Error(`malformed XML: undefined entity &${name};`);
    const code = m[1][0] === "x" ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
    if (code > 0x10ffff) throw new Error("malformed XML: character reference out of range");
    return String.fromCodePoint(code);
  });
}
