import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchPattern, parsePattern, type PatternOptions } from "./index.js";

// More of AWS's documented examples, beside event-patterns.test.ts (106 distinct
// cases there, 263 runs across dialects): the S3 "Object Created" event of
// "Amazon EventBridge event patterns" and "Content filtering" (prefix, suffix,
// wildcard on keys, numeric sizes, anything-but reasons, $or), the EventBridge
// docs' "Matching on null and empty values" and arrays, and the SNS developer
// guide's filter policy pages ("Attribute string value matching", "Attribute
// numeric value matching", "Key matching", "AND/OR logic", "Payload-based
// filtering") on the customer-transaction message and its nested variant. Each
// case runs in every dialect that accepts its syntax.

const EB: PatternOptions = { dialect: "eventbridge" };
const SNS_BODY: PatternOptions = { dialect: "sns", scope: "MessageBody" };
const SNS_ATTRS: PatternOptions = { dialect: "sns", scope: "MessageAttributes" };
const ALL = [EB, SNS_BODY];
const FLAT = [EB, SNS_BODY, SNS_ATTRS];

const s3Event = {
  version: "0", id: "17793124-05d4-b198-2fde-7ededc63b103", "detail-type": "Object Created", source: "aws.s3",
  account: "111122223333", time: "2021-11-12T00:00:00Z", region: "ca-central-1",
  resources: ["arn:aws:s3:::amzn-s3-demo-bucket"],
  detail: {
    version: "0", bucket: { name: "amzn-s3-demo-bucket" },
    object: { key: "my-files/photos/photo.JPG", size: 5000, etag: "b1946ac92492d2347c6235b4d2611184", sequencer: "00617F08299329D189" },
    "request-id": "N4N7GDK58NMKJ12R", requester: "123456789012", "source-ip-address": "1.2.3.4", reason: "PutObject",
  },
};

/** "Matching on null and empty values": the example event with a null and an empty string. */
const nullEvent = { detail: { responseElements: null, eventVersion: "", count: 0, tags: [] as string[], list: ["a", null] } };

/** The SNS customer-transaction message, as attributes (flat) and as a body (nested). */
const attrs = { store: "example_corp", event: "order_placed", customer_interests: ["soccer", "rugby", "hockey"], price_usd: 210.75, encrypted: false, source_ip: "10.0.0.5" };
const body = {
  store: "example_corp", event: "order_placed", customer_interests: ["soccer", "rugby", "hockey"], price_usd: 210.75,
  customer: { name: "Jane", address: { city: "Seattle", zip: "98101" }, tier: 3 },
  items: [{ sku: "A-1", qty: 2 }, { sku: "B-7", qty: 1 }],
};

type Case = [name: string, pattern: unknown, event: unknown, expected: boolean, dialects: PatternOptions[]];

const cases: Case[] = [
  // S3 Object Created (EventBridge's own examples)
  ["s3: source and detail-type", { source: ["aws.s3"], "detail-type": ["Object Created"] }, s3Event, true, ALL],
  ["s3: bucket name", { detail: { bucket: { name: ["amzn-s3-demo-bucket"] } } }, s3Event, true, ALL],
  ["s3: bucket name miss", { detail: { bucket: { name: ["other-bucket"] } } }, s3Event, false, ALL],
  ["s3: key prefix", { detail: { object: { key: [{ prefix: "my-files/" }] } } }, s3Event, true, ALL],
  ["s3: key prefix miss", { detail: { object: { key: [{ prefix: "other/" }] } } }, s3Event, false, ALL],
  ["s3: key suffix", { detail: { object: { key: [{ suffix: ".JPG" }] } } }, s3Event, true, ALL],
  ["s3: key suffix is case-sensitive", { detail: { object: { key: [{ suffix: ".jpg" }] } } }, s3Event, false, ALL],
  ["s3: key suffix ignoring case", { detail: { object: { key: [{ suffix: { "equals-ignore-case": ".jpg" } }] } } }, s3Event, true, [EB]],
  ["s3: key wildcard", { detail: { object: { key: [{ wildcard: "my-files/*.JPG" }] } } }, s3Event, true, [EB]],
  ["s3: key wildcard across slashes", { detail: { object: { key: [{ wildcard: "my-files/*/photo.*" }] } } }, s3Event, true, [EB]],
  ["s3: key wildcard miss", { detail: { object: { key: [{ wildcard: "*.png" }] } } }, s3Event, false, [EB]],
  ["s3: size over 1 KB", { detail: { object: { size: [{ numeric: [">", 1024] }] } } }, s3Event, true, ALL],
  ["s3: size range", { detail: { object: { size: [{ numeric: [">=", 1000, "<", 10000] }] } } }, s3Event, true, ALL],
  ["s3: size range miss", { detail: { object: { size: [{ numeric: [">=", 10000] }] } } }, s3Event, false, ALL],
  ["s3: size in scientific notation", { detail: { object: { size: [{ numeric: ["=", 5e3] }] } } }, s3Event, true, ALL],
  ["s3: reason anything-but", { detail: { reason: [{ "anything-but": ["CopyObject", "CompleteMultipartUpload"] }] } }, s3Event, true, ALL],
  ["s3: reason anything-but miss", { detail: { reason: [{ "anything-but": "PutObject" }] } }, s3Event, false, ALL],
  ["s3: requester anything-but prefix", { detail: { requester: [{ "anything-but": { prefix: "999" } }] } }, s3Event, true, ALL],
  ["s3: source ip cidr", { detail: { "source-ip-address": [{ cidr: "1.2.3.0/24" }] } }, s3Event, true, ALL],
  ["s3: source ip cidr miss", { detail: { "source-ip-address": [{ cidr: "10.0.0.0/8" }] } }, s3Event, false, ALL],
  ["s3: resources array", { resources: ["arn:aws:s3:::amzn-s3-demo-bucket"] }, s3Event, true, ALL],
  ["s3: resources array prefix", { resources: [{ prefix: "arn:aws:s3:::amzn" }] }, s3Event, true, ALL],
  ["s3: region one of", { region: ["us-east-1", "ca-central-1"] }, s3Event, true, ALL],
  ["s3: account exact", { account: ["111122223333"] }, s3Event, true, ALL],
  ["s3: etag exists", { detail: { object: { etag: [{ exists: true }] } } }, s3Event, true, ALL],
  ["s3: versionId absent", { detail: { object: { "version-id": [{ exists: false }] } } }, s3Event, true, ALL],
  ["s3: versionId present miss", { detail: { object: { "version-id": [{ exists: true }] } } }, s3Event, false, ALL],
  ["s3: $or key or size", { detail: { $or: [{ object: { key: [{ prefix: "logs/" }] } }, { object: { size: [{ numeric: [">", 4096] }] } }] } }, s3Event, true, ALL],
  ["s3: $or neither", { detail: { $or: [{ object: { key: [{ prefix: "logs/" }] } }, { reason: ["DeleteObject"] }] } }, s3Event, false, ALL],
  ["s3: $or at top with detail-type", { $or: [{ "detail-type": ["Object Deleted"] }, { detail: { reason: ["PutObject"] } }], source: ["aws.s3"] }, s3Event, true, ALL],
  ["s3: several conditions on one field", { detail: { object: { key: [{ prefix: "x" }, { suffix: ".JPG" }] } } }, s3Event, true, ALL],
  ["s3: equals-ignore-case detail-type", { "detail-type": [{ "equals-ignore-case": "object created" }] }, s3Event, true, ALL],
  ["s3: wildcard on source", { source: [{ wildcard: "aws.*" }] }, s3Event, true, [EB]],
  // null and empty values
  ["null: matches a null field", { detail: { responseElements: [null] } }, nullEvent, true, ALL],
  ["null: does not match an empty string", { detail: { eventVersion: [null] } }, nullEvent, false, ALL],
  ["empty: matches an empty string", { detail: { eventVersion: [""] } }, nullEvent, true, ALL],
  ["empty: does not match null", { detail: { responseElements: [""] } }, nullEvent, false, ALL],
  ["zero: matches numeric zero", { detail: { count: [0] } }, nullEvent, true, ALL],
  ["zero: is not false", { detail: { count: [false] } }, nullEvent, false, ALL],
  ["array: an empty array matches nothing", { detail: { tags: ["a"] } }, nullEvent, false, ALL],
  ["array: null element", { detail: { list: [null] } }, nullEvent, true, ALL],
  ["array: string element", { detail: { list: ["a"] } }, nullEvent, true, ALL],
  // SNS: attribute string value matching
  ["sns: one of two interests", { customer_interests: ["rugby", "tennis"] }, attrs, true, FLAT],
  ["sns: none of two interests", { customer_interests: ["tennis", "golf"] }, attrs, false, FLAT],
  ["sns: store and event", { store: ["example_corp"], event: ["order_placed"] }, attrs, true, FLAT],
  ["sns: event prefix order_", { event: [{ prefix: "order_" }] }, attrs, true, FLAT],
  ["sns: event suffix _placed", { event: [{ suffix: "_placed" }] }, attrs, true, FLAT],
  ["sns: event suffix miss", { event: [{ suffix: "_cancelled" }] }, attrs, false, FLAT],
  ["sns: anything-but list of events", { event: [{ "anything-but": ["order_cancelled", "order_failed"] }] }, attrs, true, FLAT],
  ["sns: anything-but prefix on interests", { customer_interests: [{ "anything-but": { prefix: "soc" } }] }, attrs, true, FLAT],
  ["sns: equals-ignore-case store", { store: [{ "equals-ignore-case": "Example_Corp" }] }, attrs, true, FLAT],
  // SNS: numeric value matching
  ["sns: price exactly", { price_usd: [{ numeric: ["=", 210.75] }] }, attrs, true, FLAT],
  ["sns: price at least 100", { price_usd: [{ numeric: [">=", 100] }] }, attrs, true, FLAT],
  ["sns: price below 100", { price_usd: [{ numeric: ["<", 100] }] }, attrs, false, FLAT],
  ["sns: price between 100 and 500", { price_usd: [{ numeric: [">", 100, "<=", 500] }] }, attrs, true, FLAT],
  ["sns: price anything-but numbers", { price_usd: [{ "anything-but": [100, 500] }] }, attrs, true, FLAT],
  ["sns: price string does not match a number", { price_usd: ["210.75"] }, attrs, false, FLAT],
  // SNS: key matching and IP addresses
  ["sns: key exists", { encrypted: [{ exists: true }] }, attrs, true, FLAT],
  ["sns: key absent", { discount: [{ exists: false }] }, attrs, true, FLAT],
  ["sns: key absent miss", { store: [{ exists: false }] }, attrs, false, FLAT],
  ["sns: source ip /16", { source_ip: [{ cidr: "10.0.0.0/16" }] }, attrs, true, FLAT],
  ["sns: source ip other net", { source_ip: [{ cidr: "192.168.0.0/16" }] }, attrs, false, FLAT],
  ["sns: boolean true miss", { encrypted: [true] }, attrs, false, FLAT],
  // SNS: AND / OR
  ["sns: AND of three keys", { store: ["example_corp"], customer_interests: ["hockey"], price_usd: [{ numeric: [">", 200] }] }, attrs, true, FLAT],
  ["sns: AND one fails", { store: ["example_corp"], customer_interests: ["hockey"], price_usd: [{ numeric: [">", 300] }] }, attrs, false, FLAT],
  ["sns: OR of values in one key", { event: ["order_cancelled", "order_placed"] }, attrs, true, FLAT],
  ["sns: $or across keys", { $or: [{ store: ["other_corp"] }, { customer_interests: ["soccer"] }] }, attrs, true, FLAT],
  ["sns: $or across keys none", { $or: [{ store: ["other_corp"] }, { price_usd: [{ numeric: ["<", 1] }] }] }, attrs, false, FLAT],
  ["sns: $or with a common key", { store: ["example_corp"], $or: [{ event: ["order_placed"] }, { price_usd: [{ numeric: [">", 1000] }] }] }, attrs, true, FLAT],
  // SNS: payload-based filtering (nested keys in the message body)
  ["body: nested city", { customer: { address: { city: ["Seattle"] } } }, body, true, ALL],
  ["body: nested city miss", { customer: { address: { city: ["Portland"] } } }, body, false, ALL],
  ["body: nested zip prefix", { customer: { address: { zip: [{ prefix: "981" }] } } }, body, true, ALL],
  ["body: nested numeric tier", { customer: { tier: [{ numeric: [">=", 3] }] } }, body, true, ALL],
  ["body: nested and top-level", { store: ["example_corp"], customer: { name: ["Jane"] } }, body, true, ALL],
  ["body: array of objects sku", { items: { sku: ["B-7"] } }, body, true, ALL],
  ["body: array of objects qty numeric", { items: { qty: [{ numeric: [">", 1] }] } }, body, true, ALL],
  ["body: array of objects miss", { items: { sku: ["C-9"] } }, body, false, ALL],
  ["body: nested key absent", { customer: { phone: [{ exists: false }] } }, body, true, ALL],
  ["body: nested anything-but", { customer: { name: [{ "anything-but": ["John", "Joe"] }] } }, body, true, ALL],
  ["body: $or nested", { customer: { $or: [{ tier: [1] }, { address: { city: ["Seattle"] } }] } }, body, true, ALL],
  ["body: object where a leaf is expected", { customer: ["Jane"] }, body, false, ALL],
  ["body: interests array in body", { customer_interests: [{ prefix: "rug" }] }, body, true, ALL],
];

describe("event patterns: more of AWS's documented examples", () => {
  let runs = 0;
  for (const [name, pattern, event, expected, dialects] of cases) {
    for (const options of dialects) {
      runs++;
      it(`${name} (${options.dialect}${"scope" in options ? ` ${options.scope}` : ""})`, () => {
        assert.equal(matchPattern(parsePattern(pattern, options), event), expected);
      });
    }
  }
  it("adds enough distinct cases to reach 150 with event-patterns.test.ts", () => {
    assert.ok(cases.length + 106 >= 150, String(cases.length));
    assert.ok(runs >= cases.length);
  });
});
