import { test } from "node:test";
import assert from "node:assert/strict";
import { parseExpression, RequestExpressions } from "./index.js";
import { ExpressionError } from "./errors.js";

function throwsMessage(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ExpressionError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

test("precedence: NOT binds tighter than AND, AND tighter than OR", () => {
  const c = parseExpression("ConditionExpression", "a = :a OR b = :b AND NOT c = :c");
  assert.equal(c.type, "or");
  assert.equal(c.type === "or" && c.right.type, "and");
  const r = c.type === "or" && c.right.type === "and" ? c.right.right : undefined;
  assert.equal(r?.type, "not");
  const p = parseExpression("ConditionExpression", "(a = :a OR b = :b) AND c = :c");
  assert.equal(p.type, "and");
});

test("BETWEEN's AND is not the logical AND; keywords in any case", () => {
  const c = parseExpression("ConditionExpression", "a between :lo and :hi AND b in (:x, :y)");
  assert.equal(c.type, "and");
  assert.ok(c.type === "and" && c.left.type === "between" && c.right.type === "in");
});

test("paths: nested maps, list indexes, placeholders", () => {
  const p = parseExpression("ProjectionExpression", "a.b[0][1].c, #n.d");
  assert.deepEqual(p, [["a", "b", 0, 1, "c"], ["#n", "d"]]);
  const r = new RequestExpressions({ "#n": "name" }, undefined).projection("a.b[0][1].c, #n.d");
  assert.deepEqual(r, [["a", "b", 0, 1, "c"], ["name", "d"]]);
});

test("functions and size", () => {
  const c = parseExpression("ConditionExpression", "attribute_exists(a) AND size(b) > :n AND begins_with(#c, :p)");
  assert.equal(c.type, "and");
});

test("syntax errors name the token and the source around it", () => {
  throwsMessage(() => parseExpression("UpdateExpression", "ADD hits : incr"),
    'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"');
  throwsMessage(() => parseExpression("UpdateExpression", "INVALID SYNTAX HERE"),
    'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
  throwsMessage(() => parseExpression("UpdateExpression", "SET a = :v,"),
    'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","');
  throwsMessage(() => parseExpression("ConditionExpression", "a = "),
    'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="');
  throwsMessage(() => parseExpression("ConditionExpression", "a == :v"),
    'Invalid ConditionExpression: Syntax error; token: "=", near: "== :v"');
  throwsMessage(() => parseExpression("UpdateExpression", "SET #a = list_append(#a, :v), #"),
    'Invalid UpdateExpression: Syntax error; token: "#", near: ", #"');
  throwsMessage(() => parseExpression("ConditionExpression", ""),
    "Invalid ConditionExpression: The expression can not be empty;");
});

test("static errors: reserved words, unknown and misused functions, parentheses, sections", () => {
  throwsMessage(() => parseExpression("ConditionExpression", "status = :s"),
    "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
  throwsMessage(() => parseExpression("ConditionExpression", "foo(a)"),
    "Invalid ConditionExpression: Invalid function name; function: foo");
  throwsMessage(() => parseExpression("ConditionExpression", "begins_with(a, :b) = :c"),
    "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with");
  throwsMessage(() => parseExpression("ConditionExpression", "size(a)"),
    "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size");
  throwsMessage(() => parseExpression("ConditionExpression", "((a = :a))"),
    "Invalid ConditionExpression: The expression has redundant parentheses;");
  throwsMessage(() => parseExpression("UpdateExpression", "SET a = :a SET b = :b"),
    'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
});

test("limits: 100 IN operands, 300 operators", () => {
  const list = (n: number) => Array.from({ length: n }, (_, i) => `:v${i}`).join(", ");
  parseExpression("FilterExpression", `a IN (${list(100)})`);
  throwsMessage(() => parseExpression("FilterExpression", `a IN (${list(101)})`),
    "Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101");
  const ors = (n: number) => Array.from({ length: n }, (_, i) => `a = :v${i}`).join(" OR ");
  parseExpression("FilterExpression", ors(150)); // 150 comparisons + 149 ORs
  throwsMessage(() => parseExpression("FilterExpression", ors(151)),
    "Invalid FilterExpression: The expression contains too many operators; operator count: 301");
});

test("placeholders: undefined and unused", () => {
  throwsMessage(() => new RequestExpressions(undefined, { ":a": { S: "x" } }).condition("#n = :a"),
    "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n");
  throwsMessage(() => new RequestExpressions({ "#n": "n" }, undefined).condition("#n = :a"),
    "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :a");
  const req = new RequestExpressions({ "#n": "n", "#m": "m" }, { ":a": { S: "x" }, ":x": { N: "1" } });
  req.condition("#n = :a");
  throwsMessage(() => req.assertAllUsed(), "Value provided in ExpressionAttributeNames unused in expressions: keys: {#m}");
  const req2 = new RequestExpressions(undefined, { ":a": { S: "x" }, ":x": { N: "1" } });
  req2.update("SET a = :a");
  throwsMessage(() => req2.assertAllUsed(), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}");
  throwsMessage(() => new RequestExpressions({ "n": "n" }, undefined),
    'ExpressionAttributeNames contains invalid key: Syntax error; key: "n"');
  throwsMessage(() => new RequestExpressions(undefined, {}), "ExpressionAttributeValues must not be empty");
});

test("operand checks after binding", () => {
  const req = () => new RequestExpressions(undefined, { ":n": { N: "1" }, ":s": { S: "x" }, ":t": { S: "XX" }, ":m": { N: "0" } });
  throwsMessage(() => req().condition("begins_with(a, :n)"),
    "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
  throwsMessage(() => req().condition("attribute_exists(:s)"),
    "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists");
  throwsMessage(() => req().condition("begins_with(a)"),
    "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1");
  throwsMessage(() => req().condition("a = a"),
    "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]");
  throwsMessage(() => req().condition("attribute_type(a, :t)"),
    "Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  throwsMessage(() => req().condition("a BETWEEN :n AND :s"),
    "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}");
  throwsMessage(() => req().condition("a BETWEEN :n AND :m"),
    "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {N:0}");
  throwsMessage(() => req().update("SET a = :s + :n"),
    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S");
  throwsMessage(() => req().update("SET a = list_append(:n, b)"),
    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N");
  throwsMessage(() => req().update("ADD a :s"),
    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
  throwsMessage(() => req().update("DELETE a :n"),
    "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER");
  throwsMessage(() => req().update("SET a = if_not_exists(:n, :n)"),
    "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists");
});

test("update paths may not overlap or conflict", () => {
  const req = () => new RequestExpressions({ "#a": "a" }, { ":v": { N: "1" } });
  throwsMessage(() => req().update("SET #a = :v REMOVE a.b"),
    "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
  throwsMessage(() => req().update("SET #a[0] = :v, a.b = :v"),
    "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]");
  throwsMessage(() => new RequestExpressions(undefined, undefined).projection("a.b, a"),
    "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]");
});

test("parse results are cached per text and never mutated by binding", () => {
  const a = parseExpression("UpdateExpression", "SET #x = :v");
  const b = parseExpression("UpdateExpression", "SET #x = :v");
  assert.equal(a, b);
  new RequestExpressions({ "#x": "x" }, { ":v": { S: "1" } }).update("SET #x = :v");
  assert.deepEqual(a.set[0]!.path, ["#x"]);
});
