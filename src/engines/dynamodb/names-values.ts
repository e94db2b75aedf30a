import type { AttributeValue } from "./attribute-value.js";
import { ExpressionError } from "./errors.js";

// ExpressionAttributeNames / ExpressionAttributeValues of one request: checks
// their keys, resolves placeholders, and remembers which were used so the
// request can be rejected for unused ones after all of its expressions have
// been read (AWS reports names before values; messages as AWS writes them,
// recorded in dynalite's validations/index.js).

const NAME_KEY = /^#[0-9a-zA-Z_]+$/;
const VALUE_KEY = /^:[0-9a-zA-Z_]+$/;

export class ExpressionAttributes {
  private readonly unusedNames: Set<string>;
  private readonly unusedValues: Set<string>;

  constructor(
    readonly names: Readonly<Record<string, string>> | undefined,
    readonly values: Readonly<Record<string, AttributeValue>> | undefined,
  ) {
    if (names !== undefined) {
      const keys = Object.keys(names);
      if (keys.length === 0) throw new ExpressionError("ExpressionAttributeNames must not be empty");
      for (const k of keys) {
        if (!NAME_KEY.test(k)) {
          throw new ExpressionError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`);
        }
      }
    }
    if (values !== undefined) {
      const keys = Object.keys(values);
      if (keys.length === 0) throw new ExpressionError("ExpressionAttributeValues must not be empty");
      for (const k of keys) {
        if (!VALUE_KEY.test(k)) {
          throw new ExpressionError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`);
        }
      }
    }
    this.unusedNames = new Set(names ? Object.keys(names) : []);
    this.unusedValues = new Set(values ? Object.keys(values) : []);
  }

  /** The attribute name for `#ref`, or undefined when it is not defined. */
  name(ref: string): string | undefined {
    const name = this.names && Object.hasOwn(this.names, ref) ? this.names[ref] : undefined;
    if (name !== undefined) this.unusedNames.delete(ref);
    return name;
  }

  /** The value for `:ref`, or undefined when it is not defined. */
  value(ref: string): AttributeValue | undefined {
    const value = this.values && Object.hasOwn(this.values, ref) ? this.values[ref] : undefined;
    if (value !== undefined) this.unusedValues.delete(ref);
    return value;
  }

  /** Call once every expression of the request has been resolved. */
  assertAllUsed(): void {
    if (this.unusedNames.size > 0) {
      throw new ExpressionError(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...this.unusedNames].join(", ")}}`,
      );
    }
    if (this.unusedValues.size > 0) {
      throw new ExpressionError(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...this.unusedValues].join(", ")}}`,
      );
    }
  }
}

export function undefinedName(ref: string): string {
  return `An expression attribute name used in the document path is not defined; attribute name: ${ref}`;
}

export function undefinedValue(ref: string): string {
  return `An expression attribute value used in expression is not defined; attribute value: ${ref}`;
}
