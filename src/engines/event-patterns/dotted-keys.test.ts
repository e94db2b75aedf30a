import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rulerView } from "./dotted-keys.js";
import { matchPattern, parsePattern, type PatternOptions } from "./index.js";

// Keys with dots. EventBridge's Ruler compiles patterns and flattens events into dotted
// paths (aws/event-ruler README, "Caveat: Compiled rules and JSON keys with dots"), so
// {"detail.name": ["x"]} matches {"detail": {"name": "x"}}: AWS's TestEventPattern
// answers true for it (checked against AWS in ministackorg/ministack#1493), and the
// README's two rules and two events all match each other. SNS filter policies are not
// compiled by the Ruler's path joining: a policy key is a message attribute's whole
// name (names may contain dots), so the SNS dialect keeps keys whole.

const EB: PatternOptions = { dialect: "eventbridge" };
const eb = (pattern: unknown, event: unknown) => matchPattern(parsePattern(JSON.stringify(pattern), EB), event);

describe("EventBridge: keys with dots are paths", () => {
  it("matches the README's two rules against its two events", () => {
    const rules = [{ detail: { state: { status: ["running"] } } }, { detail: { "state.status": ["running"] } }];
    const events = [{ detail: { state: { status: "running" } } }, { detail: { "state.status": "running" } }];
    for (const rule of rules) for (const event of events) assert.equal(eb(rule, event), true, `${JSON.stringify(rule)} / ${JSON.stringify(event)}`);
    assert.equal(eb(rules[1], { detail: { state: { status: "stopped" } } }), false);
  });

  it("reads a dotted top-level key as the nested field, with every operator", () => {
    const event = { source: "app", detail: { name: "x", size: 12, tags: ["a", "b"], ip: "10.0.0.7", items: [{ id: 1, kind: "a" }, { id: 2, kind: "b" }] } };
    assert.equal(eb({ "detail.name": ["x"] }, event), true);
    assert.equal(eb({ "detail.name": ["y"] }, event), false);
    assert.equal(eb({ "detail.size": [{ numeric: [">", 10] }] }, event), true);
    assert.equal(eb({ "detail.tags": ["b"] }, event), true);
    assert.equal(eb({ "detail.ip": [{ cidr: "10.0.0.0/24" }] }, event), true);
    assert.equal(eb({ "detail.missing": [{ exists: false }] }, event), true);
    assert.equal(eb({ "detail.name": [{ exists: false }] }, event), false);
    assert.equal(eb({ $or: [{ "detail.name": ["z"] }, { "detail.size": [12] }] }, event), true);
    // An object under a dotted key, and both spellings in one pattern: all must hold.
    assert.equal(eb({ "detail.items": { id: [2], kind: ["b"] } }, event), true);
    assert.equal(eb({ "detail.items": { id: [2], kind: ["a"] } }, event), false, "one element must match both");
    assert.equal(eb({ "detail.name": ["x"], detail: { size: [12] } }, event), true);
    assert.equal(eb({ "detail.name": ["x"], detail: { size: [13] } }, event), false);
  });

  it("keeps the last list given for one path, whichever spelling gave it", () => {
    assert.equal(eb({ "detail.a": ["x"], detail: { a: ["y"] } }, { detail: { a: "y" } }), true);
    assert.equal(eb({ "detail.a": ["x"], detail: { a: ["y"] } }, { detail: { a: "x" } }), false);
  });

  it("offers both values when an event has one path twice, and keeps a sibling with every array element", () => {
    assert.equal(eb({ "a.b": [1] }, { a: { b: 2 }, "a.b": 1 }), true);
    assert.equal(eb({ "a.b": [2] }, { a: { b: 2 }, "a.b": 1 }), true);
    assert.equal(eb({ a: { b: [1], c: [3] } }, { a: [{ b: 1 }, { b: 2 }], "a.c": 3 }), true);
  });

  it("leaves an event without dotted keys as it is (nothing copied), and never changes the event", () => {
    const plain = { detail: { a: 1, list: [{ x: 1 }] } };
    assert.equal(rulerView(plain), plain);
    const dotted = { detail: { "a.b": 1 } };
    const view = rulerView(dotted) as unknown as { detail: { a: { b: number } } };
    assert.equal(view.detail.a.b, 1);
    assert.deepEqual(dotted, { detail: { "a.b": 1 } });
    // A dotted key naming __proto__ is a field, not the object's prototype.
    const proto = rulerView(JSON.parse('{"a.__proto__": {"polluted": 1}}')) as Record<string, Record<string, unknown>>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(proto.a, "__proto__"), true);
  });
});

describe("SNS: keys are names, not paths", () => {
  // Message attribute names may contain dots ("Amazon SNS message attributes"). For the
  // MessageBody scope SNS documents nothing either way; its dialect keeps keys whole too.
  it("matches a dotted policy key only against the attribute of that name", () => {
    const policy = parsePattern({ "customer.tier": ["gold"] }, { dialect: "sns", scope: "MessageAttributes" });
    assert.equal(matchPattern(policy, { "customer.tier": "gold" }), true);
    assert.equal(matchPattern(policy, { customer: { tier: "gold" } }), false);
  });
});
