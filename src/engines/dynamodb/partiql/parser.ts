import { normalizeNumber, putAttribute, type AttributeValue, type Item } from "../attribute-value.js";
import type { Comparator, Condition, DocumentPath, Operand, SetAction } from "../ast.js";
import { ExpressionError } from "../errors.js";
import { validateAttributeValue } from "../validate-value.js";
import { countParameters, malformed, tokenize, type Token } from "./tokenizer.js";

// The PartiQL subset DynamoDB runs (the "PartiQL for DynamoDB" reference):
//   SELECT * | path, ... FROM "table"[."index"] [WHERE condition]
//   INSERT INTO "table" VALUE { 'attr' : value, ... }
//   UPDATE "table" SET path = value [, ...] | REMOVE path [...] ... WHERE condition
//   DELETE FROM "table" WHERE condition
// Parameters (?) are bound while parsing, so the trees hold literals and are the
// resolved shapes the expression evaluator and the update applier already take.

export type Statement =
  | { kind: "select"; table: string; index?: string; projection?: DocumentPath[]; where?: Condition }
  | { kind: "insert"; table: string; item: Item }
  | { kind: "update"; table: string; set: SetAction[]; remove: DocumentPath[]; where?: Condition }
  | { kind: "delete"; table: string; where?: Condition };

const FUNCTIONS = new Set(["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size"]);

export function parseStatement(text: string, parameters: readonly AttributeValue[] = []): Statement {
  const tokens = tokenize(text);
  if (countParameters(tokens) !== parameters.length) {
    throw new ExpressionError("Number of parameters in request and statement don't match.");
  }
  return new Parser(tokens, parameters).statement();
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly params: readonly AttributeValue[]) {}

  private get t(): Token {
    return this.tokens[this.i]!;
  }

  private describe(t: Token): string {
    if (t.kind === "end") return "unexpected end of statement";
    const text = t.kind === "param" ? "?" : t.text;
    return `unexpected token '${text}' at position ${t.pos + 1}`;
  }

  private fail(): never {
    throw malformed(this.describe(this.t));
  }

  private isWord(w: string): boolean {
    return this.t.kind === "word" && this.t.upper === w;
  }

  private isPunct(p: string): boolean {
    return this.t.kind === "punct" && this.t.text === p;
  }

  private word(w: string): void {
    if (!this.isWord(w)) this.fail();
    this.i++;
  }

  private punct(p: string): void {
    if (!this.isPunct(p)) this.fail();
    this.i++;
  }

  private name(): string {
    const t = this.t;
    if (t.kind === "ident" || t.kind === "word") {
      this.i++;
      return t.text;
    }
    return this.fail();
  }

  statement(): Statement {
    let s: Statement;
    if (this.isWord("SELECT")) s = this.select();
    else if (this.isWord("INSERT")) s = this.insert();
    else if (this.isWord("UPDATE")) s = this.update();
    else if (this.isWord("DELETE")) s = this.delete();
    else this.fail();
    if (this.isPunct(";")) this.i++;
    if (this.t.kind !== "end") this.fail();
    return s;
  }

  private select(): Statement {
    this.word("SELECT");
    let projection: DocumentPath[] | undefined;
    if (this.isPunct("*")) this.i++;
    else {
      projection = [this.path()];
      while (this.isPunct(",")) {
        this.i++;
        projection.push(this.path());
      }
    }
    this.word("FROM");
    const table = this.name();
    let index: string | undefined;
    if (this.isPunct(".")) {
      this.i++;
      index = this.name();
    }
    const where = this.optionalWhere();
    return { kind: "select", table, index, projection, where };
  }

  private insert(): Statement {
    this.word("INSERT");
    this.word("INTO");
    const table = this.name();
    this.word("VALUE");
    const v = this.value();
    if (!("M" in v)) throw malformed("INSERT VALUE must be a tuple {...}");
    return { kind: "insert", table, item: v.M };
  }

  private update(): Statement {
    this.word("UPDATE");
    const table = this.name();
    const set: SetAction[] = [];
    const remove: DocumentPath[] = [];
    for (;;) {
      if (this.isWord("SET")) {
        this.i++;
        do {
          if (this.isPunct(",")) this.i++;
          const path = this.path();
          this.punct("=");
          set.push({ path, value: this.setValue() });
        } while (this.isPunct(","));
      } else if (this.isWord("REMOVE")) {
        this.i++;
        remove.push(this.path());
        while (this.isPunct(",")) {
          this.i++;
          remove.push(this.path());
        }
      } else break;
    }
    if (!set.length && !remove.length) this.fail();
    return { kind: "update", table, set, remove, where: this.optionalWhere() };
  }

  private delete(): Statement {
    this.word("DELETE");
    this.word("FROM");
    const table = this.name();
    return { kind: "delete", table, where: this.optionalWhere() };
  }

  private optionalWhere(): Condition | undefined {
    if (!this.isWord("WHERE")) return undefined;
    this.i++;
    return this.or();
  }

  /** A path: name, then .name, ['key'] or [n]. */
  private path(): DocumentPath {
    const path: DocumentPath = [this.name()];
    for (;;) {
      if (this.isPunct(".")) {
        this.i++;
        path.push(this.name());
      } else if (this.isPunct("[")) {
        this.i++;
        const t = this.t;
        if (t.kind === "number" && /^\d+$/.test(t.text)) path.push(Number(t.text));
        else if (t.kind === "string") path.push(t.text);
        else this.fail();
        this.i++;
        this.punct("]");
      } else return path;
    }
  }

  /** SET's right side: a value, a path, a + or - of two, or list_append / if_not_exists. */
  private setValue(): Operand {
    let left = this.setOperand();
    while (this.isPunct("+") || this.isPunct("-")) {
      const op = (this.t as { text: "+" | "-" }).text;
      this.i++;
      left = { type: "arith", op, left, right: this.setOperand() };
    }
    return left;
  }

  private setOperand(): Operand {
    const t = this.t;
    if (t.kind === "word" && this.tokens[this.i + 1]?.kind === "punct" && (this.tokens[this.i + 1] as { text: string }).text === "(") {
      const fn = t.text.toLowerCase();
      if (fn !== "list_append" && fn !== "if_not_exists") this.fail();
      this.i += 2;
      const args = [this.setValue()];
      this.punct(",");
      args.push(this.setValue());
      this.punct(")");
      return { type: "call", name: fn, args };
    }
    return this.operand();
  }

  private or(): Condition {
    let left = this.and();
    while (this.isWord("OR")) {
      this.i++;
      left = { type: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (this.isWord("AND")) {
      this.i++;
      left = { type: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): Condition {
    if (this.isWord("NOT")) {
      this.i++;
      return { type: "not", operand: this.not() };
    }
    return this.predicate();
  }

  private predicate(): Condition {
    if (this.isPunct("(")) {
      this.i++;
      const c = this.or();
      this.punct(")");
      return c;
    }
    const t = this.t;
    if (t.kind === "word" && FUNCTIONS.has(t.text.toLowerCase()) && t.text.toLowerCase() !== "size") {
      this.i++;
      this.punct("(");
      const args = [this.operand()];
      while (this.isPunct(",")) {
        this.i++;
        args.push(this.operand());
      }
      this.punct(")");
      return { type: "call", name: t.text.toLowerCase(), args };
    }
    const left = this.operand();
    if (this.isWord("IS")) {
      this.i++;
      const negated = this.isWord("NOT");
      if (negated) this.i++;
      if (this.isWord("MISSING")) {
        this.i++;
        if (left.type !== "path") this.fail();
        return { type: "call", name: negated ? "attribute_exists" : "attribute_not_exists", args: [left] };
      }
      if (this.isWord("NULL")) {
        this.i++;
        const isNull: Condition = { type: "call", name: "attribute_type", args: [left, { type: "literal", value: { S: "NULL" } }] };
        return negated ? { type: "not", operand: isNull } : isNull;
      }
      return this.fail();
    }
    if (this.isWord("BETWEEN")) {
      this.i++;
      const low = this.operand();
      this.word("AND");
      return { type: "between", operand: left, low, high: this.operand() };
    }
    if (this.isWord("IN")) {
      this.i++;
      const close = this.isPunct("[") ? "]" : ")";
      if (!this.isPunct("[") && !this.isPunct("(")) this.fail();
      this.i++;
      const list = [this.operand()];
      while (this.isPunct(",")) {
        this.i++;
        list.push(this.operand());
      }
      this.punct(close);
      return { type: "in", operand: left, list };
    }
    const op = this.t.kind === "punct" ? this.t.text : "";
    if (!["=", "<>", "!=", "<", "<=", ">", ">="].includes(op)) this.fail();
    this.i++;
    return { type: "compare", op: (op === "!=" ? "<>" : op) as Comparator, left, right: this.operand() };
  }

  /** A path, a literal, a parameter, or size(path). */
  private operand(): Operand {
    const t = this.t;
    if (t.kind === "word" && t.text.toLowerCase() === "size" && this.tokens[this.i + 1]?.kind === "punct") {
      this.i++;
      this.punct("(");
      const arg = this.operand();
      this.punct(")");
      return { type: "call", name: "size", args: [arg] };
    }
    if (t.kind === "ident" || (t.kind === "word" && !["TRUE", "FALSE", "NULL", "MISSING"].includes(t.upper))) {
      return { type: "path", path: this.path() };
    }
    return { type: "literal", value: this.value() };
  }

  /** A literal value: 'string', number, true/false, null, ?, {tuple}, [list], <<set>>. */
  private value(): AttributeValue {
    const t = this.t;
    this.i++;
    switch (t.kind) {
      case "string":
        return { S: t.text };
      case "number":
        return { N: normalizeNumber(t.text) };
      case "param":
        return validateAttributeValue(this.params[t.index]!);
      case "word":
        if (t.upper === "TRUE" || t.upper === "FALSE") return { BOOL: t.upper === "TRUE" };
        if (t.upper === "NULL") return { NULL: true };
        break;
      case "punct": {
        if (t.text === "-" && this.t.kind === "number") {
          const n = this.t.text;
          this.i++;
          return { N: normalizeNumber(`-${n}`) };
        }
        if (t.text === "{") {
          const M: Item = {};
          while (!this.isPunct("}")) {
            if (Object.keys(M).length) this.punct(",");
            const k = this.t;
            if (k.kind !== "string") this.fail();
            this.i++;
            this.punct(":");
            putAttribute(M, k.text, this.value());
          }
          this.i++;
          return { M };
        }
        if (t.text === "[") {
          const L: AttributeValue[] = [];
          while (!this.isPunct("]")) {
            if (L.length) this.punct(",");
            L.push(this.value());
          }
          this.i++;
          return { L };
        }
        if (t.text === "<<") {
          const items: AttributeValue[] = [];
          while (!this.isPunct(">>")) {
            if (items.length) this.punct(",");
            items.push(this.value());
          }
          this.i++;
          return setOf(items);
        }
      }
    }
    this.i--;
    return this.fail();
  }
}

function setOf(items: AttributeValue[]): AttributeValue {
  if (items.length && items.every((v) => "S" in v)) return validateAttributeValue({ SS: items.map((v) => (v as { S: string }).S) });
  if (items.length && items.every((v) => "N" in v)) return validateAttributeValue({ NS: items.map((v) => (v as { N: string }).N) });
  if (items.length && items.every((v) => "B" in v)) return validateAttributeValue({ BS: items.map((v) => (v as { B: Uint8Array }).B) });
  throw malformed("a set must hold values of one type: strings, numbers or binaries");
}
