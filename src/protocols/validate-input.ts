import type { Operation, ServiceModel, Shape } from "../models/types.js";
import { matchesJavaPattern } from "./java-regex.js";
import { ServiceError } from "./service-error.js";

// AWS's generic input validation (the Coral framework behind most services),
// driven by the model's constraint traits. Message shapes, as seen from real
// services (sources cited in validate-input.test.ts):
//
//   1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint:
//     Member must have length greater than or equal to 3
//   2 validation errors detected: <violation>; <violation>
//
// - the path is the member name with its first letter lower-cased, list elements
//   as `keySchema.1.member.attributeName` (1-based), map values as
//   `queryFilter.<key>.member.comparisonOperator`;
// - the value is Java's toString in single quotes (numbers too: Value '-1'),
//   `null` unquoted, and left out for members whose shape is `sensitive`
//   ("Value at 'password' failed to satisfy ...");
// - each failed constraint of a member is its own violation; constraints on the
//   elements of a collection are reported once at the collection, listing every
//   constraint of the element shape: "Member must satisfy constraint: [...]" for
//   list elements, "Map keys must satisfy constraint: [...]" and "Map value must
//   satisfy constraint: [...]" for maps;
// - at most 10 violations are reported, and the count says 10.
//
// AWS's order of violations follows its internal hash maps, not the model; we use
// the model's member order, depth first, a collection's own constraints before
// those of its elements.

export const MAX_REPORTED_VIOLATIONS = 10;
const REDACTED = "*** Sensitive Data Redacted ***";

/** The violations of `input` against the operation's input shape, in report order (at most 10). */
export function validateInput(model: ServiceModel, operation: string | Operation, input: unknown): string[] {
  const op = typeof operation === "string" ? model.operations[operation] : operation;
  const violations: string[] = [];
  if (!op?.input) return violations;
  new Validator(model, violations).visitStructure(op.input.shape, asRecord(input) ?? {}, "");
  return violations;
}

export function formatValidationMessage(violations: string[]): string {
  const shown = violations.slice(0, MAX_REPORTED_VIOLATIONS);
  const n = shown.length;
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${shown.join("; ")}`;
}

/** "ValidationError" for query services (IAM, STS, SNS, CloudFormation, CloudWatch), else "ValidationException". */
export function validationErrorCode(model: ServiceModel): string {
  const m = model.metadata;
  const query = m.protocol === "query" || m.protocol === "ec2" || m.awsQueryCompatible !== undefined;
  return query ? "ValidationError" : "ValidationException";
}

/** The 400 error AWS answers for these violations, in the service's code. */
export function validationErrorFor(model: ServiceModel, violations: string[]): ServiceError {
  const code = validationErrorCode(model);
  // Some models declare the shape (e.g. a lower-case `message` member): let codecs use it.
  const shape = model.shapes[code];
  const shapeName = shape?.exception ? code : undefined;
  return new ServiceError(code, formatValidationMessage(violations), { status: 400, senderFault: true, shapeName });
}

/** Validates and throws the validation error if anything fails. */
export function assertValidInput(model: ServiceModel, operation: string | Operation, input: unknown): void {
  const violations = validateInput(model, operation, input);
  if (violations.length > 0) throw validationErrorFor(model, violations);
}

class Validator {
  constructor(
    private readonly model: ServiceModel,
    private readonly out: string[],
  ) {}

  private get full(): boolean {
    return this.out.length >= MAX_REPORTED_VIOLATIONS;
  }

  private shape(name: string): Shape | undefined {
    return this.model.shapes[name];
  }

  private add(shapeName: string, value: unknown, path: string, constraint: string): void {
    if (this.full) return;
    const shown = this.shape(shapeName)?.sensitive
      ? ""
      : value === null || value === undefined
        ? "null "
        : `'${javaToString(this.model, shapeName, value)}' `;
    this.out.push(`Value ${shown}at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  visitStructure(shapeName: string, value: Record<string, unknown>, path: string): void {
    const shape = this.shape(shapeName);
    if (!shape?.members) return;
    for (const member of membersOf(shape)) {
      if (this.full) return;
      const memberValue = value[member.name];
      if (memberValue === undefined || memberValue === null) {
        if (member.required) this.add(member.shape, null, join(path, member.pathName), "Member must not be null");
        continue;
      }
      this.visitValue(member.shape, memberValue, join(path, member.pathName));
    }
  }

  /** A member's own constraints, then its contents. */
  private visitValue(shapeName: string, value: unknown, path: string): void {
    const shape = this.shape(shapeName);
    if (!shape) return;
    for (const constraint of failedConstraints(shape, value)) this.add(shapeName, value, path, constraint);
    this.visitContents(shapeName, shape, value, path);
  }

  /** A value's contents: structure members, collection elements (not the value's own constraints). */
  private visitContents(shapeName: string, shape: Shape, value: unknown, path: string): void {
    if (this.full) return;
    if (shape.type === "structure") {
      const record = asRecord(value);
      if (record && !shape.document) this.visitStructure(shapeName, record, path);
    } else if (shape.type === "list" && Array.isArray(value) && shape.member) {
      const element = this.shape(shape.member.shape);
      if (!element) return;
      if (value.some((e) => e !== null && e !== undefined && failedConstraints(element, e).length > 0)) {
        this.add(shapeName, value, path, `Member must satisfy constraint: [${describeConstraints(element)}]`);
      }
      value.forEach((e, i) => {
        if (e !== null && e !== undefined) this.visitContents(shape.member!.shape, element, e, `${path}.${i + 1}.member`);
      });
    } else if (shape.type === "map" && shape.key && shape.value) {
      const record = asRecord(value);
      const keyShape = this.shape(shape.key.shape);
      const valueShape = this.shape(shape.value.shape);
      if (!record || !keyShape || !valueShape) return;
      const entries = Object.entries(record);
      // However many entries fail, AWS names keys once and values once, keys first.
      if (entries.some(([k]) => failedConstraints(keyShape, k).length > 0)) {
        this.add(shapeName, value, path, `Map keys must satisfy constraint: [${describeConstraints(keyShape)}]`);
      }
      if (entries.some(([, v]) => v !== null && v !== undefined && failedConstraints(valueShape, v).length > 0)) {
        this.add(shapeName, value, path, `Map value must satisfy constraint: [${describeConstraints(valueShape)}]`);
      }
      for (const [k, v] of entries) {
        if (v !== null && v !== undefined) this.visitContents(shape.value.shape, valueShape, v, `${path}.${k}.member`);
      }
    }
  }
}

interface MemberPlan {
  name: string;
  pathName: string;
  shape: string;
  required: boolean;
}

// Validation runs on every request: walk each structure's members from a list built once per shape.
const memberPlans = new WeakMap<Shape, MemberPlan[]>();

function membersOf(shape: Shape): MemberPlan[] {
  let plan = memberPlans.get(shape);
  if (!plan) {
    const required = new Set(shape.required ?? []);
    plan = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
      name,
      pathName: lowerFirst(name),
      shape: ref.shape,
      required: required.has(name),
    }));
    memberPlans.set(shape, plan);
  }
  return plan;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

const NONE: string[] = [];

/** The constraint phrases a value violates, in the order AWS lists them: length, range, pattern, enum. */
function failedConstraints(shape: Shape, value: unknown): string[] {
  if (shape.min === undefined && shape.max === undefined && shape.pattern === undefined && shape.enum === undefined) {
    return NONE;
  }
  const failed: string[] = [];
  const length = lengthOf(shape, value);
  if (length !== undefined) {
    if (shape.min !== undefined && length < shape.min) failed.push(lengthPhrase("greater", shape.min));
    if (shape.max !== undefined && length > shape.max) failed.push(lengthPhrase("less", shape.max));
  }
  if (isNumeric(shape) && typeof value === "number" && !Number.isNaN(value)) {
    if (shape.min !== undefined && value < shape.min) failed.push(valuePhrase(shape, "greater", shape.min));
    if (shape.max !== undefined && value > shape.max) failed.push(valuePhrase(shape, "less", shape.max));
  }
  if (shape.type === "string" && typeof value === "string") {
    if (shape.pattern !== undefined && !matchesJavaPattern(shape.pattern, value)) failed.push(patternPhrase(shape.pattern));
    if (shape.enum && !shape.enum.includes(value)) failed.push(enumPhrase(shape.enum));
  }
  return failed;
}

/** Every constraint a shape declares, as AWS lists them inside "[...]": max before min. */
function describeConstraints(shape: Shape): string {
  const phrases: string[] = [];
  if (isNumeric(shape)) {
    if (shape.max !== undefined) phrases.push(valuePhrase(shape, "less", shape.max));
    if (shape.min !== undefined) phrases.push(valuePhrase(shape, "greater", shape.min));
  } else {
    if (shape.max !== undefined) phrases.push(lengthPhrase("less", shape.max));
    if (shape.min !== undefined) phrases.push(lengthPhrase("greater", shape.min));
  }
  if (shape.pattern !== undefined) phrases.push(patternPhrase(shape.pattern));
  if (shape.enum) phrases.push(enumPhrase(shape.enum));
  return phrases.join(", ");
}

const lengthPhrase = (dir: "greater" | "less", n: number) => `Member must have length ${dir} than or equal to ${n}`;
const valuePhrase = (shape: Shape, dir: "greater" | "less", n: number) =>
  `Member must have value ${dir} than or equal to ${isFloating(shape) ? javaDouble(n) : String(n)}`;
const patternPhrase = (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`;
const enumPhrase = (values: string[]) => `Member must satisfy enum value set: [${values.join(", ")}]`;

/** Length as Java measures it: UTF-16 units of a string, bytes of a blob, entries of a collection. */
function lengthOf(shape: Shape, value: unknown): number | undefined {
  switch (shape.type) {
    case "string":
      return typeof value === "string" ? value.length : undefined;
    case "blob":
      if (value instanceof Uint8Array) return value.byteLength;
      return typeof value === "string" ? Buffer.byteLength(value, "utf8") : undefined;
    case "list":
      return Array.isArray(value) ? value.length : undefined;
    case "map": {
      const record = asRecord(value);
      return record ? Object.keys(record).length : undefined;
    }
    default:
      return undefined;
  }
}

function isNumeric(shape: Shape): boolean {
  return ["integer", "long", "short", "byte", "float", "double", "bigdecimal", "biginteger"].includes(shape.type);
}

function isFloating(shape: Shape): boolean {
  return shape.type === "float" || shape.type === "double" || shape.type === "bigdecimal";
}

/** Java's toString of a value of the given shape, as AWS echoes it in validation messages. */
export function javaToString(model: ServiceModel, shapeName: string | undefined, value: unknown): string {
  const shape = shapeName === undefined ? undefined : model.shapes[shapeName];
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number") return shape && isFloating(shape) ? javaDouble(value) : String(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return javaDate(value);
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  if (Array.isArray(value)) return `[${value.map((e) => javaToString(model, shape?.member?.shape, e)).join(", ")}]`;
  const record = asRecord(value);
  if (!record) return String(value);
  if (shape?.type === "structure" && shape.members) {
    // Coral's generated classes print every member, null ones included, in model order.
    const parts = Object.entries(shape.members).map(([name, ref]) => {
      const shown = model.shapes[ref.shape]?.sensitive ? REDACTED : javaToString(model, ref.shape, record[name]);
      return `${lowerFirst(name)}=${shown}`;
    });
    return `${shapeName}(${parts.join(", ")})`;
  }
  const valueShape = shape?.value?.shape;
  return `{${Object.entries(record).map(([k, v]) => `${k}=${javaToString(model, valueShape, v)}`).join(", ")}}`;
}

/** Double.toString: 1.0, 0.5, 1.0E7, 1.0E-4. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(n);
  if (n === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(n);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** java.util.Date#toString in UTC: "Thu Jan 01 00:00:00 UTC 1970". */
function javaDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  if (value instanceof Uint8Array || value instanceof Date) return undefined;
  return value as Record<string, unknown>;
}
