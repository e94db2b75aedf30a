import type { Operand, UpdateExpression } from "./ast.js";
import { TokenParser } from "./parser.js";

// UpdateExpression := ( SET action ("," action)*
//                     | REMOVE path ("," path)*
//                     | ADD path :value ("," path :value)*
//                     | DELETE path :value ("," path :value)* )+
// action := path "=" value ; value := term ( ("+" | "-") term )?
// term := path | :value | function "(" value ("," value)* ")" | "(" value ")"
// (Developer Guide, "Using update expressions in DynamoDB"). Each section at
// most once; keywords in any case.

export const UPDATE_FUNCTIONS: Readonly<Record<string, number>> = { if_not_exists: 2, list_append: 2 };
const SECTIONS = ["SET", "REMOVE", "ADD", "DELETE"] as const;
type Section = (typeof SECTIONS)[number];

class UpdateParser extends TokenParser {
  parse(): UpdateExpression {
    const out: UpdateExpression = { set: [], remove: [], add: [], delete: [], targets: [] };
    const seen = new Set<Section>();
    do {
      const section = SECTIONS.find((s) => this.isKeyword(s));
      if (!section) this.syntaxError();
      this.pos++;
      if (seen.has(section)) {
        this.staticError("section", `The "${section}" section can only be used once in an update expression;`);
      }
      seen.add(section);
      do {
        if (section === "SET") {
          const path = this.parsePath();
          out.targets.push(path);
          this.expectPunct("=");
          out.set.push({ path, value: this.parseValue() });
        } else if (section === "REMOVE") {
          const path = this.parsePath();
          out.targets.push(path);
          out.remove.push(path);
        } else {
          const path = this.parsePath();
          out.targets.push(path);
          if (this.tok.kind !== "valueRef") this.syntaxError();
          out[section === "ADD" ? "add" : "delete"].push({ path, value: { type: "value", ref: this.next().text } });
        }
      } while (this.isPunct(",") && this.pos++ >= 0);
    } while (this.tok.kind !== "eof");
    this.throwStatic(["reserved", "unknownFunction", "section"]);
    return out;
  }

  private parseValue(): Operand {
    const left = this.parseTerm();
    if (this.isPunct("+") || this.isPunct("-")) {
      const op = this.next().text as "+" | "-";
      return { type: "arith", op, left, right: this.parseTerm() };
    }
    return left;
  }

  private parseTerm(): Operand {
    const t = this.tok;
    if (t.kind === "valueRef") return { type: "value", ref: this.next().text };
    if (this.isPunct("(")) {
      this.pos++;
      const inner = this.parseValue();
      this.expectPunct(")");
      return inner;
    }
    if (this.isCallStart()) return this.parseCall(UPDATE_FUNCTIONS, () => this.parseValue());
    if (t.kind === "name" || t.kind === "nameRef") return { type: "path", path: this.parsePath() };
    return this.syntaxError();
  }
}

export function parseUpdateExpression(src: string): UpdateExpression {
  return new UpdateParser(src).parse();
}
