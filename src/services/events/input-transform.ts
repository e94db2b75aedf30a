import type { Target } from "@aws-sdk/client-eventbridge";
import { validation } from "./errors.js";
import type { EventEnvelope } from "./records.js";

// What a target receives ("Transforming target input" in the EventBridge user guide):
// the event itself, the constant Input, the part InputPath selects, or the
// InputTransformer's InputTemplate with <placeholders> filled from InputPathsMap and
// the predefined <aws.events.*> variables.

export interface TransformContext {
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

const RESERVED = ["aws.events.rule-arn", "aws.events.rule-name", "aws.events.event.ingestion-time", "aws.events.event", "aws.events.event.json"];

type Step = string | number;

/** $, $.a.b, $.a[0], $['a b']: the JSONPath subset InputPath and InputPathsMap use. */
export function parsePath(path: string): Step[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(m[3] ?? m[4]);
  }
  return steps;
}

export function readPath(value: unknown, steps: Step[]): unknown {
  let current = value;
  for (const step of steps) {
    // Own members only: "$.detail.constructor" must not find Object's.
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current) ? typeof step !== "number" : !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** PutTargets' checks of the three input forms; throws ValidationException. */
export function validateTargetInput(target: Target): void {
  const forms = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length;
  if (forms > 1) throw validation("Only one of Input, InputPath, or InputTransformer must be provided for an Target.");
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      throw validation(`Input for target ${target.Id} is not valid JSON text.`);
    }
  }
  if (target.InputPath !== undefined && !parsePath(target.InputPath)) {
    throw validation(`InputPath for target ${target.Id} is invalid.`);
  }
  const transformer = target.InputTransformer;
  if (transformer) {
    for (const [key, path] of Object.entries(transformer.InputPathsMap ?? {})) {
      if (RESERVED.includes(key) || key.startsWith("aws.")) throw validation(`Input template key ${key} is reserved.`);
      if (!parsePath(path)) throw validation(`Input path for key ${key} is invalid.`);
    }
  }
}

/** The payload (text) a target receives for an event. */
export function targetInput(target: Target, event: EventEnvelope, eventJson: string, ctx: TransformContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const value = readPath(event, parsePath(target.InputPath) ?? []);
    return value === undefined ? "" : JSON.stringify(value);
  }
  const transformer = target.InputTransformer;
  if (!transformer?.InputTemplate) return eventJson;
  const values = new Map<string, unknown>();
  for (const [key, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(key, readPath(event, parsePath(path) ?? []));
  return fillTemplate(transformer.InputTemplate, values, event, eventJson, ctx);
}

/**
 * Placeholders are filled by where they stand: in a JSON template (one starting with
 * `{`, `[` or `"`), a placeholder inside a string literal gets the value's text as it
 * is ("EventBridge doesn't escape values extracted by Input Path"), an object or array
 * there losing its quotes ("EventBridge removes any internal quotes to ensure a valid
 * string"): both from "Common issues with transforming input" in the user guide;
 * outside a string literal, the value as JSON (strings quoted). In a plain-text
 * template every value is inserted as text (objects as JSON). A path that matched
 * nothing becomes null in JSON positions and nothing in text ones.
 */
function fillTemplate(template: string, values: Map<string, unknown>, event: EventEnvelope, eventJson: string, ctx: TransformContext): string {
  const trimmed = template.trimStart();
  const json = trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed.startsWith('"');
  let out = "";
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "<") {
      const end = template.indexOf(">", i + 1);
      const name = end > 0 ? template.slice(i + 1, end) : "";
      if (end > 0 && /^[A-Za-z0-9_.-]+$/.test(name)) {
        const resolved = resolve(name, values, event, eventJson, ctx);
        if (resolved.known) {
          out += render(resolved.value, resolved.raw, json, inString);
          i = end;
          continue;
        }
      }
    }
    if (json && ch === '"' && !escaped(template, i)) inString = !inString;
    out += ch;
  }
  return out;
}

function escaped(text: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && text[j] === "\\"; j--) n++;
  return n % 2 === 1;
}

function resolve(name: string, values: Map<string, unknown>, event: EventEnvelope, eventJson: string, ctx: TransformContext): { known: boolean; value?: unknown; raw?: string } {
  switch (name) {
    case "aws.events.rule-arn":
      return { known: true, value: ctx.ruleArn };
    case "aws.events.rule-name":
      return { known: true, value: ctx.ruleName };
    case "aws.events.event.ingestion-time":
      return { known: true, value: ctx.ingestionTime };
    case "aws.events.event": {
      // The original event without its detail, inserted unescaped.
      const { detail: _detail, ...rest } = event;
      return { known: true, raw: JSON.stringify(rest) };
    }
    case "aws.events.event.json":
      return { known: true, raw: eventJson };
  }
  if (!values.has(name)) return { known: false };
  return { known: true, value: values.get(name) };
}

function render(value: unknown, raw: string | undefined, json: boolean, inString: boolean): string {
  if (raw !== undefined) return raw;
  if (json && !inString) return value === undefined ? "null" : JSON.stringify(value);
  if (value === undefined || value === null) return json ? "" : value === null ? "null" : "";
  if (typeof value === "string") return value;
  const text = JSON.stringify(value);
  return json && typeof value === "object" ? text.replaceAll('"', "") : text;
}
