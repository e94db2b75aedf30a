import type { Comparator, Condition, DocumentPath, Operand, ProjectionExpression } from "./ast.js";
import { ExpressionError } from "./errors.js";
import { isReservedWord } from "./reserved-words.js";
import { tokenize, type Token } from "./tokenizer.js";

// Recursive-descent parsers for DynamoDB's expression grammars, by hand.
// Precedence, loosest first, as the Developer Guide's "Comparison operator and
// function reference" lists it: OR, AND, NOT, then BETWEEN / IN / comparators
// / functions, with parentheses overriding. Errors AWS reports only after a
// successful parse (reserved words, unknown functions...) are collected and
// thrown in AWS's priority order once the whole expression has parsed, so a
// syntax error anywhere always wins, as on AWS.

const COMPARATORS: ReadonlySet<string> = new Set(["=", "<>", "<", "<=", ">", ">="]);
export const CONDITION_FUNCTIONS: Readonly<Record<string, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};

type StaticError = "limits" | "parens" | "unknownFunction" | "misusedFunction" | "section" | "reserved";

export class TokenParser {
  protected readonly tokens: Token[];
  protected pos = 0;
  private readonly errors = new Map<StaticError, string>();

  constructor(protected readonly src: string) {
    this.tokens = tokenize(src);
  }

  protected get tok(): Token {
    return this.tokens[this.pos]!;
  }

  protected next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  protected isPunct(text: string): boolean {
    return this.tok.kind === "punct" && this.tok.text === text;
  }

  protected isKeyword(word: string): boolean {
    return this.tok.kind === "name" && this.tok.text.toUpperCase() === word;
  }

  protected expectPunct(text: string): void {
    if (!this.isPunct(text)) this.syntaxError();
    this.pos++;
  }

  protected expectEnd(): void {
    if (this.tok.kind !== "eof") this.syntaxError();
  }

  /** AWS's syntax error: the offending token, and the source from the token before it to the one after. */
  protected syntaxError(): never {
    const t = this.tok;
    const prev = this.tokens[this.pos - 1];
    // At the end, "near" is just the last token (trailing blanks dropped).
    const end = t.kind === "eof" ? (prev ? prev.end : 0) : this.tokens[this.pos + 1]!.end;
    const near = this.src.slice(prev ? prev.start : t.start, end);
    throw new ExpressionError(`Syntax error; token: "${t.text}", near: "${near}"`);
  }

  protected staticError(kind: StaticError, message: string): void {
    if (!this.errors.has(kind)) this.errors.set(kind, message);
  }

  /** Throw the first collected error in the grammar's priority order. */
  protected throwStatic(order: readonly StaticError[]): void {
    for (const kind of order) {
      const message = this.errors.get(kind);
      if (message !== undefined) throw new ExpressionError(message);
    }
  }

  /** path := name ( "." name | "[" digits "]" )* ; name := bare | #placeholder */
  protected parsePath(): DocumentPath {
    const path: DocumentPath = [this.pathName()];
    for (;;) {
      if (this.isPunct(".")) {
        this.pos++;
        path.push(this.pathName());
      } else if (this.isPunct("[")) {
        this.pos++;
        if (this.tok.kind !== "number") this.syntaxError();
        path.push(Number(this.next().text));
        this.expectPunct("]");
      } else {
        return path;
      }
    }
  }

  private pathName(): string {
    const t = this.tok;
    if (t.kind === "nameRef") return this.next().text;
    if (t.kind !== "name") this.syntaxError();
    if (isReservedWord(t.text)) {
      this.staticError("reserved", `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    }
    return this.next().text;
  }

  protected isCallStart(): boolean {
    const t = this.tok;
    const n = this.tokens[this.pos + 1]!;
    return t.kind === "name" && n.kind === "punct" && n.text === "(";
  }

  /** name "(" args ")", with args parsed by `arg`; unknown names are an error once parsed. */
  protected parseCall(known: Readonly<Record<string, number>>, arg: () => Operand): Operand & { type: "call" } {
    const name = this.next().text;
    if (!(name in known)) this.staticError("unknownFunction", `Invalid function name; function: ${name}`);
    this.expectPunct("(");
    const args: Operand[] = [arg()];
    while (this.isPunct(",")) {
      this.pos++;
      args.push(arg());
    }
    this.expectPunct(")");
    return { type: "call", name, args };
  }
}

/** ConditionExpression, FilterExpression and KeyConditionExpression. */
class ConditionParser extends TokenParser {
  private readonly parenthesized = new WeakSet<Condition>();
  private operators = 0;

  parse(): Condition {
    const cond = this.parseOr();
    this.expectEnd();
    this.checkBareSize(cond);
    // Limits from the Developer Guide's "Expression parameters" quotas: 300
    // operators or functions, 100 IN operands. Messages as AWS answers them
    // (quoted in aws/aws-sdk-js#3721 and reapit/foundations#8255).
    if (this.operators > 300) {
      this.staticError("limits", `The expression contains too many operators; operator count: ${this.operators}`);
    }
    this.throwStatic(["limits", "parens", "unknownFunction", "misusedFunction", "reserved"]);
    return cond;
  }

  private parseOr(): Condition {
    let left = this.parseAnd();
    while (this.isKeyword("OR")) {
      this.pos++;
      this.operators++;
      left = { type: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Condition {
    let left = this.parseNot();
    while (this.isKeyword("AND")) {
      this.pos++;
      this.operators++;
      left = { type: "and", left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Condition {
    if (this.isKeyword("NOT")) {
      this.pos++;
      this.operators++;
      return { type: "not", operand: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Condition {
    if (this.isPunct("(")) {
      this.pos++;
      const inner = this.parseOr();
      this.expectPunct(")");
      // "((a = :v))": AWS rejects parentheses that group nothing new.
      if (this.parenthesized.has(inner)) this.staticError("parens", "The expression has redundant parentheses;");
      this.parenthesized.add(inner);
      return inner;
    }
    const left = this.parseOperand();
    this.operators++; // the comparator, BETWEEN, IN or the function itself
    if (this.tok.kind === "punct" && COMPARATORS.has(this.tok.text)) {
      const op = this.next().text as Comparator;
      const right = this.parseOperand();
      this.checkMisused([left, right]);
      return { type: "compare", op, left, right };
    }
    if (this.isKeyword("BETWEEN")) {
      this.pos++;
      const low = this.parseOperand();
      if (!this.isKeyword("AND")) this.syntaxError();
      this.pos++;
      const high = this.parseOperand();
      this.checkMisused([left, low, high]);
      return { type: "between", operand: left, low, high };
    }
    if (this.isKeyword("IN")) {
      this.pos++;
      this.expectPunct("(");
      const list = [this.parseOperand()];
      while (this.isPunct(",")) {
        this.pos++;
        list.push(this.parseOperand());
      }
      this.expectPunct(")");
      if (list.length > 100) {
        this.staticError("limits", `The IN operator is provided with too many operands; number of operands: ${list.length}`);
      }
      this.checkMisused([left, ...list]);
      return { type: "in", operand: left, list };
    }
    if (left.type === "call") return left;
    return this.syntaxError();
  }

  private parseOperand(): Operand {
    const t = this.tok;
    if (t.kind === "valueRef") return { type: "value", ref: this.next().text };
    if (this.isCallStart()) return this.parseCall(CONDITION_FUNCTIONS, () => this.parseOperand());
    if (t.kind === "name" || t.kind === "nameRef") return { type: "path", path: this.parsePath() };
    return this.syntaxError();
  }

  // Only size() yields a value; other functions are conditions in their own right.
  private checkMisused(operands: Operand[]): void {
    for (const o of operands) {
      if (o.type === "call" && o.name !== "size") this.misused(o.name);
    }
  }

  private checkBareSize(cond: Condition): void {
    if (cond.type === "call" && cond.name === "size") this.misused("size");
    else if (cond.type === "and" || cond.type === "or") {
      this.checkBareSize(cond.left);
      this.checkBareSize(cond.right);
    } else if (cond.type === "not") this.checkBareSize(cond.operand);
  }

  private misused(name: string): void {
    this.staticError("misusedFunction", `The function is not allowed to be used this way in an expression; function: ${name}`);
  }
}

class ProjectionParser extends TokenParser {
  parse(): ProjectionExpression {
    const paths = [this.parsePath()];
    while (this.isPunct(",")) {
      this.pos++;
      paths.push(this.parsePath());
    }
    this.expectEnd();
    this.throwStatic(["reserved"]);
    return paths;
  }
}

/** Parse a ConditionExpression (also FilterExpression, KeyConditionExpression). Placeholders stay unresolved. */
export function parseConditionExpression(src: string): Condition {
  return new ConditionParser(src).parse();
}

export function parseProjectionExpression(src: string): ProjectionExpression {
  return new ProjectionParser(src).parse();
}
