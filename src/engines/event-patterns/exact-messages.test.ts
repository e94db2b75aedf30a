import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePattern, PatternError } from "./index.js";

// EventBridge's InvalidEventPatternException reasons, exactly as AWS sends them
// (after "Event pattern is not valid. Reason: "): the reason, then the location
// of AWS's JSON parser, twice for the list errors AWS's compiler re-raises. The
// expectations are AWS's answers as recorded against AWS in LocalStack's
// tests/aws/services/events/test_events_patterns.snapshot.json (raw messages),
// for the same pattern texts; the CIDR reasons carry no location there either.

const at = (source: string, column: number) => `\n at [Source: (String)"${source}"; line: 1, column: ${column}]`;

const recorded: Array<[pattern: string, reason: string]> = [
  ['{"int": 42}', '"int" must be an object or an array' + at('{"int": 42}', 11)],
  ['{"string": "my-value"}', '"string" must be an object or an array' + at('{"string": "my-value"}', 13)],
  ['{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', "Unrecognized match type NUMERIC" + at('{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', 36)],
  ['{"my_key": [{"EXISTS": true}]}', "Unrecognized match type EXISTS" + at('{"my_key": [{"EXISTS": true}]}', 28)],
  ['{"resources": []}', "Empty arrays are not allowed" + at('{"resources": []}', 17)],
  ['{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', "Bad numeric range operator: >" + at('{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 49)],
  ['{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', "Value of < must be numeric" + at('{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 50)],
  ['{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}',
    "Consecutive wildcard characters at pos 26" + at('{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', 72)],
  ['{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}',
    "equals-ignore-case match pattern must be a string" + at('{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}', 42)],
  ['{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}',
    "equals-ignore-case match pattern must be a string" + at('{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}', 42)],
  ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}',
    "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported." + at('{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}', 66)],
  ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}',
    "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported." +
      at('{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}', 67).repeat(2)],
  ['{"EventBusArn": [{"wildcard": 123}]}', "wildcard match pattern must be a string" + at('{"EventBusArn": [{"wildcard": 123}]}', 34)],
  ['{"EventBusArn": [{"wildcard": ["arn:aws:events:us-east-1:**:event-bus/*"]}]}',
    "wildcard match pattern must be a string" + at('{"EventBusArn": [{"wildcard": ["arn:aws:events:us-east-1:**:event-bus/*"]}]}', 32)],
  ['{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}',
    "wildcard match pattern must be a string" + at('{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}', 57).repeat(2)],
  ['{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}',
    "wildcard match pattern must be a string" + at('{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}', 59)],
  ['{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}',
    "prefix/suffix match pattern must be a string" + at('{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}', 58).repeat(2)],
  ['{"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}}',
    "prefix/suffix match pattern must be a string" + at('{"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}}', 57)],
  ['{"detail": {"state": [{"anything-but": {"prefix": [123, "test"]}}]}}',
    "prefix/suffix match pattern must be a string" + at('{"detail": {"state": [{"anything-but": {"prefix": [123, "test"]}}]}}', 55).repeat(2)],
  ['{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}',
    "prefix/suffix match pattern must be a string" + at('{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', 54)],
  ['{"time": [{"prefix": ["2022-07-13"]}]}', "prefix match pattern must be a string" + at('{"time": [{"prefix": ["2022-07-13"]}]}', 23)],
  ['{"time": [{"prefix": 123}]}', "prefix match pattern must be a string" + at('{"time": [{"prefix": 123}]}', 25)],
  ['{"FileName": [{"suffix": 123}]}', "suffix match pattern must be a string" + at('{"FileName": [{"suffix": 123}]}', 29)],
  ['{"FileName": [{"suffix": [".png"]}]}', "suffix match pattern must be a string" + at('{"FileName": [{"suffix": [".png"]}]}', 27)],
  ['{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}',
    "Value of anything-but must be an array or single string/number value." + at('{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}', 55)],
  ['{"detail": {"FileName": [{"anything-but": {"suffix": {"equals-ignore-case": ".png"}}}]}}',
    "Value of anything-but must be an array or single string/number value." + at('{"detail": {"FileName": [{"anything-but": {"suffix": {"equals-ignore-case": ".png"}}}]}}', 55)],
  ['{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', "prefix match pattern must be a string" + at('{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', 43)],
  ['{"detail": {"sourceIPAddress": [{"cidr": "bad-filter"}]}}', "Malformed CIDR, one '/' required"],
  ['{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/xx"}]}}', "Malformed CIDR, mask bits must be an integer"],
  ['{"detail": {"sourceIPAddress": [{"cidr": "xx.11.xx/24"}]}}', "Nonstandard IP address: xx.11.xx"],
  ['{"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/56"}]}}', "Nonstandard IP address: xxxx:db8:1234:1a00::"],
  ["this is valid json but not a dict",
    "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')" + at("this is valid json but not a dict", 5)],
  ["{'bad': 'quotation'}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name" + at("{'bad': 'quotation'}", 2)],
  ['{"not": closed mark"',
    "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')" + at('{"not": closed mark"', 15)],
  ['["not", "a", "dict", "but valid json"]', "Filter is not an object" + at('["not", "a", "dict", "but valid json"]', 2)],
];

describe("EventBridge pattern errors: AWS's exact reasons and locations", () => {
  for (const [pattern, reason] of recorded) {
    it(pattern, () => {
      assert.throws(() => parsePattern(pattern, { dialect: "eventbridge" }), (e: unknown) => {
        assert.ok(e instanceof PatternError);
        assert.equal(e.detail, reason);
        return true;
      });
    });
  }

  it("counts lines and columns from the last line break, and truncates the source after 500 characters", () => {
    const multiline = '{\n  "detail-type": ["x"],\n  "detail": {\n    "slug": "some-pipeline"\n  }\n}';
    assert.throws(() => parsePattern(multiline, { dialect: "eventbridge" }), (e: unknown) =>
      e instanceof PatternError && e.detail === `"slug" must be an object or an array${at(multiline, 14).replace("line: 1", "line: 4")}`);
    const long = `{"a": ["${"x".repeat(600)}"], "b": 1}`;
    assert.throws(() => parsePattern(long, { dialect: "eventbridge" }), (e: unknown) =>
      e instanceof PatternError && e.detail.endsWith(`"[truncated ${long.length - 500} chars]; line: 1, column: ${long.length}]`));
  });

  it("refuses the empty pattern and empty objects, as the Ruler does", () => {
    for (const [pattern, column] of [["{}", 3], ['{"detail": {}}', 14]] as const) {
      assert.throws(() => parsePattern(pattern, { dialect: "eventbridge" }), (e: unknown) =>
        e instanceof PatternError && e.detail === "Empty objects are not allowed" + at(pattern, column));
    }
  });

  it("words the other refusals as the Ruler does", () => {
    const reason = (pattern: string) => {
      try {
        parsePattern(pattern, { dialect: "eventbridge" });
      } catch (e) {
        return (e as PatternError).detail.split("\n at ")[0];
      }
      return "accepted";
    };
    assert.equal(reason('{"a": [{"numeric": 5}]}'), "Value of numeric must be an array.");
    assert.equal(reason('{"a": [{"anything-but": ["x", 1]}]}'), "Inside anything but list, either all values are number or string, mixed type is not supported");
    assert.equal(reason('{"a": [{"anything-but": [true]}]}'), "Inside anything but list, start|null|boolean is not supported.");
    assert.equal(reason('{"a": [{"anything-but": null}]}'), "Value of anything-but must be an array or single string/number value.");
    assert.equal(reason('{"a": [{"anything-but": {"prefix": ""}}]}'), "Null prefix/suffix not allowed");
    assert.equal(reason('{"$or": [{"a": ["1"]}]}'), "There must have at least 2 Objects in $or relationship.");
    assert.equal(reason('{"$or": {"a": ["1"]}}'), "It must be an Array followed with $or.");
    assert.equal(reason('{"$or": [{"a": ["1"]}, "b"]}'), "Only JSON object is allowed in array of $or relationship.");
    assert.equal(reason('{"$or": [{"a": ["1"]}, {"prefix": ["b"]}]}'), "prefix is Ruler reserved fieldName which cannot be used inside $or.");
    assert.equal(reason('{"a": [{}]}'), "Match expression name not found");
    assert.equal(reason('{"a": [["b"]]}'), "Match value must be String, number, true, false, or null");
    assert.equal(reason('{"a": [{"prefix": "x", "suffix": "y"}]}'), "Only one key allowed in match expression");
    assert.equal(reason('{"a": [{"cidr": "10.0.0.0/-1"}]}'), "Malformed CIDR, mask bits must not be negative");
    // The Ruler's WildcardParser: only \* and \\ are escapes; positions count UTF-8 bytes from the opening quote.
    assert.equal(reason('{"a": [{"wildcard": "a\\\\b"}]}'), "Invalid escape character at pos 2");
    assert.equal(reason('{"a": [{"wildcard": "ab\\\\"}]}'), "Invalid escape character at pos 3");
    assert.equal(reason('{"a": [{"anything-but": {"wildcard": "x\\\\y"}}]}'), "Invalid escape character at pos 2");
    assert.equal(reason('{"a": [{"wildcard": "\u00e9**"}]}'), "Consecutive wildcard characters at pos 3");
    assert.equal(reason('{"a": [{"wildcard": "a\\\\\\\\b\\\\*"}]}'), "accepted");
    assert.equal(reason('{"a": [{"cidr": "2001:db8::/128"}]}'), "IPv6 mask bits must be < 128");
    assert.equal(reason('{"a": ["b"]'), `Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"a": ["b"]"; line: 1, column: 1])`);
    // Like AWS's compiler, nothing after the pattern's closing brace is read.
    assert.equal(reason('{"a": ["b"]} trailing'), "accepted");
  });

  it("takes anything-but lists of prefixes, suffixes, wildcards and case-insensitive values", async () => {
    const { matchPattern } = await import("./index.js");
    const match = (pattern: unknown, value: unknown) => matchPattern(parsePattern(JSON.stringify(pattern), { dialect: "eventbridge" }), { v: value });
    assert.equal(match({ v: [{ "anything-but": { prefix: ["us-", "eu-"] } }] }, "ap-south-1"), true);
    assert.equal(match({ v: [{ "anything-but": { prefix: ["us-", "eu-"] } }] }, "eu-west-1"), false);
    assert.equal(match({ v: [{ "anything-but": { suffix: [".png", ".jpg"] } }] }, "a.jpg"), false);
    assert.equal(match({ v: [{ "anything-but": { suffix: [".png", ".jpg"] } }] }, "a.gif"), true);
    assert.equal(match({ v: [{ "anything-but": { wildcard: ["*/lib/*", "*/bin/*"] } }] }, "/usr/bin/x"), false);
    assert.equal(match({ v: [{ "anything-but": { "equals-ignore-case": ["STOPPED", "running"] } }] }, "Running"), false);
    assert.equal(match({ v: [{ "anything-but": { prefix: "us-" } }] }, null), true);
    assert.equal(match({ v: [{ "anything-but": { prefix: "1" } }] }, 123), true);
    // A key given twice keeps its last list, as the Ruler's compiler does.
    const twice = parsePattern('{"v": ["a"], "v": ["b"]}', { dialect: "eventbridge" });
    assert.equal(matchPattern(twice, { v: "b" }), true);
    assert.equal(matchPattern(twice, { v: "a" }), false);
  });
});
