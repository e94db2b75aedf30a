import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchPattern, parsePattern, PatternError, type PatternOptions } from "./index.js";

// Table-driven cases from AWS's docs: "Content filtering in Amazon EventBridge event
// patterns" / "Event patterns" (the EC2 instance state-change event) and "Amazon SNS
// subscription filter policies" (the customer-transaction message). Each runs in
// the dialects that accept its syntax.

const EB: PatternOptions = { dialect: "eventbridge" };
const SNS_BODY: PatternOptions = { dialect: "sns", scope: "MessageBody" };
const SNS_ATTRS: PatternOptions = { dialect: "sns", scope: "MessageAttributes" };

const ec2Event = {
  version: "0", id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2", account: "111122223333", time: "2017-12-22T18:43:48Z", region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: {
    "instance-id": "i-1234567890abcdef0", state: "terminated", "c-count": 5, "d-count": 3, "x-limit": 301.8,
    "source-ip": "10.0.0.123", location: "us-east-1", "image-id": "ami-0a1b2c3d", "event-name": "ec2:terminate",
    filename: "file.png", eventSource: "ec2.amazonaws.com",
    "detail-object": { name: "alice", tags: ["red", "blue"], nothing: null },
    items: [{ id: 1, kind: "a" }, { id: 2, kind: "b" }],
    empty: "", flag: true, version6: "2001:db8:1:2:3:4:5:6",
  },
};

/** SNS's example message attributes, as the service presents them to the engine. */
const transaction = {
  customer_interests: ["soccer", "rugby", "hockey"], store: "example_corp", event: "order_placed",
  price_usd: 210.75, encrypted: false, source_ip: "10.0.0.5",
};

type Case = [name: string, pattern: unknown, event: unknown, expected: boolean, dialects?: PatternOptions[]];
const ALL = [EB, SNS_BODY];
const FLAT = [EB, SNS_BODY, SNS_ATTRS];

const cases: Case[] = [
  // exact values
  ["source exact", { source: ["aws.ec2"] }, ec2Event, true, ALL],
  ["source exact miss", { source: ["aws.s3"] }, ec2Event, false, ALL],
  ["source one of list", { source: ["aws.s3", "aws.ec2"] }, ec2Event, true, ALL],
  ["two keys both match", { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] }, ec2Event, true, ALL],
  ["two keys one misses", { source: ["aws.ec2"], "detail-type": ["x"] }, ec2Event, false, ALL],
  ["nested exact", { detail: { state: ["terminated"] } }, ec2Event, true, ALL],
  ["nested exact miss", { detail: { state: ["running"] } }, ec2Event, false, ALL],
  ["deep nested", { detail: { "detail-object": { name: ["alice"] } } }, ec2Event, true, ALL],
  ["exact is case-sensitive", { detail: { state: ["Terminated"] } }, ec2Event, false, ALL],
  ["number exact", { detail: { "c-count": [5] } }, ec2Event, true, ALL],
  ["number compares numerically", { detail: { "c-count": [5.0] } }, ec2Event, true, ALL],
  ["number vs string", { detail: { "c-count": ["5"] } }, ec2Event, false, ALL],
  ["string vs number", { detail: { state: [5] } }, ec2Event, false, ALL],
  ["boolean exact", { detail: { flag: [true] } }, ec2Event, true, ALL],
  ["boolean miss", { detail: { flag: [false] } }, ec2Event, false, ALL],
  ["null matches null", { detail: { "detail-object": { nothing: [null] } } }, ec2Event, true, ALL],
  ["null does not match missing", { detail: { missing: [null] } }, ec2Event, false, ALL],
  ["empty string", { detail: { empty: [""] } }, ec2Event, true, ALL],
  ["array in event: any element", { resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"] }, ec2Event, true, ALL],
  ["array in event: element of tags", { detail: { "detail-object": { tags: ["blue"] } } }, ec2Event, true, ALL],
  ["array in event: none", { detail: { "detail-object": { tags: ["green"] } } }, ec2Event, false, ALL],
  ["array of objects", { detail: { items: { kind: ["b"] } } }, ec2Event, true, ALL],
  ["array of objects miss", { detail: { items: { kind: ["c"] } } }, ec2Event, false, ALL],
  ["missing key", { detail: { nope: ["x"] } }, ec2Event, false, ALL],
  ["key is an object, not a leaf", { detail: ["x"] }, ec2Event, false, ALL],
  // SNS's attribute examples
  ["sns: store exact", { store: ["example_corp"] }, transaction, true, FLAT],
  ["sns: String.Array any", { customer_interests: ["rugby"] }, transaction, true, FLAT],
  ["sns: String.Array none", { customer_interests: ["baseball"] }, transaction, false, FLAT],
  ["sns: all keys must match", { store: ["example_corp"], event: ["order_cancelled"] }, transaction, false, FLAT],
  ["sns: docs policy", { store: ["example_corp"], event: [{ "anything-but": "order_cancelled" }], customer_interests: ["rugby", "football", "baseball"], price_usd: [{ numeric: [">=", 100] }] }, transaction, true, FLAT],
  ["sns: boolean attribute", { encrypted: [false] }, transaction, true, FLAT],
  ["sns: ignores attributes not in policy", { event: ["order_placed"] }, transaction, true, FLAT],
  // prefix / suffix
  ["prefix", { detail: { "image-id": [{ prefix: "ami-" }] } }, ec2Event, true, ALL],
  ["prefix miss", { detail: { "image-id": [{ prefix: "ami-x" }] } }, ec2Event, false, ALL],
  ["prefix on a number", { detail: { "c-count": [{ prefix: "5" }] } }, ec2Event, false, ALL],
  ["prefix empty string", { detail: { state: [{ prefix: "" }] } }, ec2Event, true, ALL],
  ["prefix in array", { resources: [{ prefix: "arn:aws:ec2" }] }, ec2Event, true, ALL],
  ["suffix", { detail: { filename: [{ suffix: ".png" }] } }, ec2Event, true, ALL],
  ["suffix miss", { detail: { filename: [{ suffix: ".jpg" }] } }, ec2Event, false, ALL],
  ["prefix ignore case", { detail: { "image-id": [{ prefix: { "equals-ignore-case": "AMI-" } }] } }, ec2Event, true, [EB]],
  ["suffix ignore case", { detail: { filename: [{ suffix: { "equals-ignore-case": ".PNG" } }] } }, ec2Event, true, [EB]],
  ["sns: prefix", { store: [{ prefix: "example" }] }, transaction, true, FLAT],
  ["sns: suffix", { store: [{ suffix: "_corp" }] }, transaction, true, FLAT],
  ["sns: prefix in String.Array", { customer_interests: [{ prefix: "hock" }] }, transaction, true, FLAT],
  // equals-ignore-case
  ["equals-ignore-case", { detail: { state: [{ "equals-ignore-case": "TERMINATED" }] } }, ec2Event, true, ALL],
  ["equals-ignore-case miss", { detail: { state: [{ "equals-ignore-case": "RUNNING" }] } }, ec2Event, false, ALL],
  ["sns: equals-ignore-case", { store: [{ "equals-ignore-case": "EXAMPLE_CORP" }] }, transaction, true, FLAT],
  // anything-but
  ["anything-but string", { detail: { state: [{ "anything-but": "initializing" }] } }, ec2Event, true, ALL],
  ["anything-but string miss", { detail: { state: [{ "anything-but": "terminated" }] } }, ec2Event, false, ALL],
  ["anything-but number", { detail: { "c-count": [{ "anything-but": 0 }] } }, ec2Event, true, ALL],
  ["anything-but number miss", { detail: { "c-count": [{ "anything-but": 5 }] } }, ec2Event, false, ALL],
  ["anything-but list", { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, ec2Event, true, ALL],
  ["anything-but list miss", { detail: { state: [{ "anything-but": ["stopped", "terminated"] }] } }, ec2Event, false, ALL],
  ["anything-but number list", { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, ec2Event, true, ALL],
  ["anything-but prefix", { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, ec2Event, true, ALL],
  ["anything-but prefix miss", { detail: { state: [{ "anything-but": { prefix: "term" } }] } }, ec2Event, false, ALL],
  ["anything-but suffix", { detail: { filename: [{ "anything-but": { suffix: ".txt" } }] } }, ec2Event, true, ALL],
  ["anything-but suffix miss", { detail: { filename: [{ "anything-but": { suffix: ".png" } }] } }, ec2Event, false, ALL],
  ["anything-but wildcard", { detail: { filename: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, ec2Event, true, [EB]],
  ["anything-but wildcard miss", { detail: { filename: [{ "anything-but": { wildcard: "*.png" } }] } }, ec2Event, false, [EB]],
  ["anything-but equals-ignore-case", { detail: { state: [{ "anything-but": { "equals-ignore-case": ["STOPPED", "RUNNING"] } }] } }, ec2Event, true, [EB]],
  ["anything-but equals-ignore-case miss", { detail: { state: [{ "anything-but": { "equals-ignore-case": "TERMINATED" } }] } }, ec2Event, false, ALL],
  ["anything-but does not match a missing key", { detail: { nope: [{ "anything-but": "x" }] } }, ec2Event, false, ALL],
  ["sns: anything-but", { event: [{ "anything-but": "order_cancelled" }] }, transaction, true, FLAT],
  ["sns: anything-but list miss", { event: [{ "anything-but": ["order_placed", "x"] }] }, transaction, false, FLAT],
  ["sns: anything-but prefix", { event: [{ "anything-but": { prefix: "order-" } }] }, transaction, true, FLAT],
  ["sns: anything-but prefix miss", { event: [{ "anything-but": { prefix: "order_" } }] }, transaction, false, FLAT],
  ["sns: anything-but numeric on Number", { price_usd: [{ "anything-but": [100, 210.75] }] }, transaction, false, FLAT],
  // numeric
  ["numeric >", { detail: { "c-count": [{ numeric: [">", 0] }] } }, ec2Event, true, ALL],
  ["numeric range", { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } }, ec2Event, true, ALL],
  ["numeric range exclusive top", { detail: { "c-count": [{ numeric: [">", 0, "<", 5] }] } }, ec2Event, false, ALL],
  ["numeric <", { detail: { "d-count": [{ numeric: ["<", 10] }] } }, ec2Event, true, ALL],
  ["numeric =", { detail: { "x-limit": [{ numeric: ["=", 301.8] }] } }, ec2Event, true, ALL],
  ["numeric = miss", { detail: { "x-limit": [{ numeric: ["=", 301] }] } }, ec2Event, false, ALL],
  ["numeric >= <=", { detail: { "x-limit": [{ numeric: [">=", 301.8, "<=", 302] }] } }, ec2Event, true, ALL],
  ["numeric on a string", { detail: { state: [{ numeric: [">", 0] }] } }, ec2Event, false, ALL],
  ["numeric missing", { detail: { nope: [{ numeric: [">", 0] }] } }, ec2Event, false, ALL],
  ["numeric negative", { v: [{ numeric: ["<", -1] }] }, { v: -5 }, true, FLAT],
  ["numeric in array", { v: [{ numeric: [">", 10] }] }, { v: [1, 2, 30] }, true, ALL],
  ["sns: numeric price", { price_usd: [{ numeric: [">=", 100] }] }, transaction, true, FLAT],
  ["sns: numeric price range", { price_usd: [{ numeric: [">", 0, "<=", 150] }] }, transaction, false, FLAT],
  ["sns: numeric exact number", { price_usd: [210.75] }, transaction, true, FLAT],
  // exists
  ["exists true", { detail: { state: [{ exists: true }] } }, ec2Event, true, ALL],
  ["exists true miss", { detail: { nope: [{ exists: true }] } }, ec2Event, false, ALL],
  ["exists false", { detail: { nope: [{ exists: false }] } }, ec2Event, true, ALL],
  ["exists false miss", { detail: { state: [{ exists: false }] } }, ec2Event, false, ALL],
  ["exists on an object is not a leaf", { detail: { "detail-object": [{ exists: true }] } }, ec2Event, false, ALL],
  ["exists false with missing parent", { nothere: { deeper: [{ exists: false }] } }, ec2Event, true, ALL],
  ["exists true on null", { detail: { "detail-object": { nothing: [{ exists: true }] } } }, ec2Event, true, ALL],
  ["exists true on array", { resources: [{ exists: true }] }, ec2Event, true, ALL],
  ["sns: exists true", { store: [{ exists: true }] }, transaction, true, FLAT],
  ["sns: exists false", { store: [{ exists: false }] }, transaction, false, FLAT],
  ["sns: exists false missing", { color: [{ exists: false }] }, transaction, true, FLAT],
  ["exists or value", { v: ["a", { exists: false }] }, {}, true, FLAT],
  // cidr
  ["cidr v4", { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } }, ec2Event, true, ALL],
  ["cidr v4 miss", { detail: { "source-ip": [{ cidr: "10.0.1.0/24" }] } }, ec2Event, false, ALL],
  ["cidr v4 /31", { detail: { "source-ip": [{ cidr: "10.0.0.122/31" }] } }, ec2Event, true, ALL],
  ["cidr v4 /8", { detail: { "source-ip": [{ cidr: "10.0.0.0/8" }] } }, ec2Event, true, ALL],
  ["cidr v6", { detail: { version6: [{ cidr: "2001:db8::/32" }] } }, ec2Event, true, ALL],
  ["cidr v6 miss", { detail: { version6: [{ cidr: "2001:db9::/32" }] } }, ec2Event, false, ALL],
  ["cidr on a non-ip", { detail: { state: [{ cidr: "10.0.0.0/8" }] } }, ec2Event, false, ALL],
  ["cidr v4 vs v6", { detail: { "source-ip": [{ cidr: "::/0" }] } }, ec2Event, false, ALL],
  ["sns: cidr", { source_ip: [{ cidr: "10.0.0.0/24" }] }, transaction, true, FLAT],
  // wildcard (EventBridge)
  ["wildcard", { detail: { eventSource: [{ wildcard: "*.amazonaws.com" }] } }, ec2Event, true, [EB]],
  ["wildcard middle", { detail: { filename: [{ wildcard: "f*.png" }] } }, ec2Event, true, [EB]],
  ["wildcard miss", { detail: { filename: [{ wildcard: "*.jpg" }] } }, ec2Event, false, [EB]],
  ["wildcard star alone", { detail: { state: [{ wildcard: "*" }] } }, ec2Event, true, [EB]],
  ["wildcard escaped star", { v: [{ wildcard: "a\\*b" }] }, { v: "a*b" }, true, [EB]],
  ["wildcard escaped star miss", { v: [{ wildcard: "a\\*b" }] }, { v: "axb" }, false, [EB]],
  ["wildcard regex characters literal", { v: [{ wildcard: "a.c*" }] }, { v: "abcd" }, false, [EB]],
  ["wildcard two stars", { v: [{ wildcard: "us-*-1*" }] }, { v: "us-west-1a" }, true, [EB]],
  ["wildcard case-sensitive", { v: [{ wildcard: "A*" }] }, { v: "abc" }, false, [EB]],
  // $or
  ["$or first", { $or: [{ detail: { state: ["terminated"] } }, { source: ["aws.s3"] }] }, ec2Event, true, ALL],
  ["$or second", { $or: [{ source: ["aws.s3"] }, { detail: { "c-count": [{ numeric: [">", 1] }] } }] }, ec2Event, true, ALL],
  ["$or none", { $or: [{ source: ["aws.s3"] }, { detail: { state: ["running"] } }] }, ec2Event, false, ALL],
  ["$or with sibling", { source: ["aws.ec2"], $or: [{ region: ["us-west-1"] }, { region: ["eu-west-1"] }] }, ec2Event, true, ALL],
  ["$or with failing sibling", { source: ["aws.s3"], $or: [{ region: ["us-west-1"] }, { region: ["eu-west-1"] }] }, ec2Event, false, ALL],
  ["$or nested inside detail", { detail: { $or: [{ "c-count": [{ numeric: [">", 0, "<=", 5] }] }, { "d-count": [{ numeric: ["<", 10] }] }] } }, ec2Event, true, ALL],
  ["$or nested $or", { $or: [{ source: ["x"] }, { $or: [{ region: ["a"] }, { account: ["111122223333"] }] }] }, ec2Event, true, ALL],
  ["sns: $or", { source_ip: [{ cidr: "10.0.0.0/24" }], $or: [{ store: ["other"] }, { price_usd: [{ numeric: [">", 200] }] }] }, transaction, true, FLAT],
  ["sns: $or none", { $or: [{ store: ["other"] }, { event: ["x"] }] }, transaction, false, FLAT],
  // several matchers on one key
  ["mixed matchers any", { detail: { state: [{ prefix: "x" }, "terminated"] } }, ec2Event, true, ALL],
  ["mixed matchers none", { detail: { state: [{ prefix: "x" }, "running", { numeric: [">", 0] }] } }, ec2Event, false, ALL],
  ["empty pattern matches all (SNS; EventBridge refuses it)", {}, ec2Event, true, [SNS_BODY]],
  ["body not an object", { a: ["b"] }, "plain text", false, ALL],
];

describe("event patterns: AWS's documented examples", () => {
  let n = 0;
  for (const [name, pattern, event, expected, dialects = [EB]] of cases) {
    for (const options of dialects) {
      n++;
      it(`${name} (${options.dialect}${"scope" in options ? ` ${options.scope}` : ""})`, () => {
        assert.equal(matchPattern(parsePattern(pattern, options), event), expected);
      });
    }
  }
  it("runs at least 150 cases", () => assert.ok(n >= 150, String(n)));
});

type Invalid = [pattern: unknown, detail: string, dialect: PatternOptions];
const invalid: Invalid[] = [
  [{ a: "b" }, '"a" must be an object or an array', EB],
  [{ a: 5 }, '"a" must be an object or an array', SNS_ATTRS],
  [[1], "Filter is not an object", EB],
  [{ a: [] }, "Empty arrays are not allowed", EB],
  [{ a: [[1]] }, "Match value must be String, number, true, false, or null", SNS_ATTRS],
  [{ a: [{ foo: 1 }] }, "Unrecognized match type foo", EB],
  [{ a: [{ wildcard: "x*" }] }, "Unrecognized match type wildcard", SNS_BODY],
  [{ a: [{ prefix: 1 }] }, "prefix match pattern must be a string", SNS_ATTRS],
  [{ a: [{ suffix: [] }] }, "suffix match pattern must be a string", EB],
  [{ a: [{ "equals-ignore-case": 1 }] }, "equals-ignore-case match pattern must be a string", EB],
  [{ a: [{ exists: "yes" }] }, "exists match pattern must be either true or false.", SNS_ATTRS],
  [{ a: [{ prefix: "x", suffix: "y" }] }, "Only one key allowed in match expression", SNS_ATTRS],
  [{ a: [{ numeric: [] }] }, "Invalid member in numeric match: ]", SNS_ATTRS],
  [{ a: [{ numeric: ["!", 1] }] }, "Unrecognized numeric range operator: !", SNS_ATTRS],
  [{ a: [{ numeric: ["=", "x"] }] }, "Value of equals must be numeric", SNS_ATTRS],
  [{ a: [{ numeric: ["<", 1, ">", 0] }] }, "Too many elements in numeric expression", SNS_ATTRS],
  [{ a: [{ numeric: [">", 1, "=", 5] }] }, "Bad numeric range operator: =", SNS_ATTRS],
  [{ a: [{ numeric: [">", 5, "<", 1] }] }, "Bottom must be less than top", SNS_ATTRS],
  [{ a: [{ wildcard: "a**" }] }, "Consecutive wildcard characters at pos 2", EB],
  [{ a: [{ "anything-but": true }] }, "Value of anything-but must be an array or single string/number value.", EB],
  [{ a: [{ "anything-but": { numeric: [">", 1] } }] }, "Unsupported anything-but pattern: numeric", EB],
  [{ a: [{ cidr: "10.0.0.0/40" }] }, "IPv4 mask bits must be < 32", EB],
  [{ a: [{ cidr: "10.0.0.0" }] }, "Malformed CIDR, one '/' required", EB],
  [{ a: ["1"], b: ["1"], c: ["1"], d: ["1"], e: ["1"], f: ["1"] }, "Filter policy can not have more than 5 keys", SNS_ATTRS],
  [{ a: Array.from({ length: 151 }, (_, i) => String(i)) }, "Filter policy is too complex", SNS_ATTRS],
  [{ a: { b: ["x"] } }, "Filter policy scope MessageAttributes does not support nested filter policy", SNS_ATTRS],
  ["{not json", "failed to parse JSON.", SNS_ATTRS],
];

describe("event patterns: validation", () => {
  // EventBridge's reasons end with the parser's location (exact-messages.test.ts checks it); here, the reason.
  for (const [pattern, detail, options] of invalid) {
    it(`${options.dialect}: ${detail}`, () => {
      assert.throws(() => parsePattern(pattern, options), (e: unknown) => e instanceof PatternError && e.detail.split("\n at [Source: ")[0] === detail);
    });
  }

  it("counts SNS combinations as the developer guide's nested example (3 x 4 x 2 x 3 = 72)", async () => {
    const { combinations } = await import("./parse.js");
    const policy = parsePattern({ key_a: { key_b: { key_c: ["1", "2", "3", "4"] } }, key_d: { key_e: ["1", "2", "3"] } }, SNS_BODY);
    assert.equal(combinations(policy, 1), 72);
  });

  it("accepts 150 combinations and an $or adding up", () => {
    parsePattern({ a: Array.from({ length: 150 }, (_, i) => String(i)) }, SNS_ATTRS);
    parsePattern({ $or: [{ a: Array.from({ length: 75 }, (_, i) => String(i)) }, { b: Array.from({ length: 75 }, (_, i) => String(i)) }] }, SNS_ATTRS);
    assert.throws(() => parsePattern({ $or: [{ a: Array.from({ length: 76 }, (_, i) => String(i)) }, { b: Array.from({ length: 75 }, (_, i) => String(i)) }] }, SNS_ATTRS));
  });
});

describe("field names that objects inherit", () => {
  it("an event field is only what the event has: constructor, toString and __proto__ are names like any other", () => {
    for (const name of ["constructor", "toString", "__proto__"]) {
      const absent = parsePattern(`{"detail": {"${name}": [{"exists": false}]}}`, EB);
      const present = parsePattern(`{"detail": {"${name}": [{"exists": true}]}}`, EB);
      const equal = parsePattern(`{"detail": {"${name}": ["v"]}}`, EB);
      assert.equal(matchPattern(absent, { detail: {} }), true, `${name} absent`);
      assert.equal(matchPattern(present, { detail: {} }), false, `${name} absent, exists: true`);
      const withIt = JSON.parse(`{"detail": {"${name}": "v"}}`);
      assert.equal(matchPattern(present, withIt), true, `${name} present`);
      assert.equal(matchPattern(equal, withIt), true, `${name} equals`);
    }
  });
});
