import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodePolicyDocument, identityPolicyProblem, trustPolicyProblem } from "./policy-document.js";

// Expected messages are AWS's answers to CreatePolicy with these documents, as recorded
// against AWS in localstack/localstack tests/aws/services/iam/test_iam_policies.snapshot.json
// (TestPolicyDocumentValidity::test_create_policy_invalid_document[invalid-N]); the
// number in each case name is N there.

const bucket = "arn:aws:s3:::example_bucket";
const stmt = (s: object) => ({ Version: "2012-10-17", Statement: s });
const allowList = { Effect: "Allow", Action: "s3:ListBucket" };

const INVALID: [string, unknown, string][] = [
  ["0 not json", "This is not a json document", "Syntax errors in policy."],
  ["1 no Version", { Statement: { ...allowList, Resource: bucket } }, "Policy document must be version 2012-10-17 or greater."],
  ["2 old Version", { Version: "2008-10-17", Statement: { ...allowList, Resource: bucket } }, "Policy document must be version 2012-10-17 or greater."],
  ["3 unknown Version", { Version: "2013-10-17", Statement: { ...allowList, Resource: bucket } }, "Syntax errors in policy."],
  ["4 no Statement", { Version: "2012-10-17" }, "Syntax errors in policy."],
  ["5 statement not an object", { Version: "2012-10-17", Statement: ["afd"] }, "Syntax errors in policy."],
  ["6 extra top-level field", { ...stmt({ ...allowList, Resource: bucket }), "Extra field": "value" }, "Syntax errors in policy."],
  ["7 extra statement field", stmt({ ...allowList, Resource: bucket, "Extra field": "value" }), "Syntax errors in policy."],
  ["8 Id a list", { ...stmt({ ...allowList, Resource: bucket }), Id: ["x"] }, "Syntax errors in policy."],
  ["10 bad Effect", stmt({ Effect: "invalid", Action: "s3:ListBucket", Resource: bucket }), "Syntax errors in policy."],
  ["11 action without vendor", stmt({ Effect: "Allow", Action: "invalid", Resource: bucket }), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."],
  ["12 empty NotAction", stmt({ Effect: "Allow", NotAction: "", Resource: bucket }), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."],
  ["13 vendor with a space", stmt({ Effect: "Allow", Action: "a a:ListBucket", Resource: bucket }), "Vendor a a is not valid"],
  ["14 two colons", stmt({ Effect: "Allow", Action: "s3:List:Bucket", Resource: bucket }), "Actions/Condition can contain only one colon."],
  ["16 resource not an ARN", stmt({ ...allowList, Resource: "invalid resource" }), 'Resource invalid resource must be in ARN format or "*".'],
  ["18 resource error before action error", stmt({ Effect: "Allow", Action: "s:3:ListBucket", Resource: "sdfsadf" }), 'Resource sdfsadf must be in ARN format or "*".'],
  ["20 empty resource", stmt({ ...allowList, Resource: "" }), 'Resource  must be in ARN format or "*".'],
  ["21 bad partition", stmt({ Effect: "Allow", NotAction: "s3s:ListBucket", Resource: "a:bsdfdsafsad" }), 'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".'],
  ["22 bad partition", stmt({ Effect: "Allow", NotAction: "s3s:ListBucket", Resource: "a:b:cadfsdf" }), 'Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".'],
  ["23 bad partition", stmt({ Effect: "Allow", NotAction: "s3s:ListBucket", Resource: "a:b:c:d:e:f:g:h" }), 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".'],
  ["24 missing arn:", stmt({ ...allowList, Resource: "aws:s3:::example_bucket" }), 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
  ["25 last bad resource wins", stmt({ ...allowList, Resource: ["arn:error:s3:::example_bucket", "arn:error:s3::example_bucket"] }), 'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".'],
  ["26 empty Statement", { Version: "2012-10-17", Statement: [] }, "Syntax errors in policy."],
  ["27 no Resource", stmt(allowList), "Policy statement must contain resources."],
  ["28 empty Resource", stmt({ ...allowList, Resource: [] }), "Policy statement must contain resources."],
  ["29 no Resource, bad action", stmt({ Effect: "Allow", Action: "invalid" }), "Policy statement must contain resources."],
  ["30 no Action", stmt({ Effect: "Allow", Resource: bucket }), "Policy statement must contain actions."],
  ["31 no Effect", stmt({ Action: "s3:ListBucket", Resource: bucket }), "Syntax errors in policy."],
  ["33 empty Action", stmt({ Effect: "Allow", Action: [], Resource: bucket }), "Policy statement must contain actions."],
  ["35 bad IAM path", stmt({ ...allowList, Resource: "arn:aws:iam:::example_bucket" }), 'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.'],
  ["36 short S3 ARN", stmt({ ...allowList, Resource: "arn:aws:s3::example_bucket" }), "The policy failed legacy parsing"],
  ["38 vendor missing", stmt({ ...allowList, Resource: "arn:aws" }), "Resource vendor must be fully qualified and cannot contain regexes."],
  ["39 Resource an object", stmt({ ...allowList, Resource: { a: bucket } }), "Syntax errors in policy."],
  ["41 Resource and NotResource", stmt({ Effect: "Allow", NotAction: "s3:ListBucket", Resource: bucket, NotResource: [] }), "Syntax errors in policy."],
  ["45 Condition a list", stmt({ ...allowList, Resource: bucket, Condition: [] }), "Syntax errors in policy."],
  ["47 Condition value not an object", stmt({ ...allowList, Resource: bucket, Condition: { a: "b" } }), "Syntax errors in policy."],
  ["50 condition value an object", stmt({ ...allowList, Resource: bucket, Condition: { DateGreaterThan: { a: {} } } }), "Syntax errors in policy."],
  ["52 unknown operator", stmt({ ...allowList, Resource: bucket, Condition: { x: { a: "1" } } }), "Syntax errors in policy."],
  ["53 malformed set operator", stmt({ ...allowList, Resource: bucket, Condition: { "ForAnyValue::StringEqualsIfExists": { a: "asf" } } }), "Syntax errors in policy."],
  ["55 IAM with region", stmt({ ...allowList, Resource: "arn:aws:iam:us-east-1::example_bucket" }), "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."],
  ["56 S3 with region", stmt({ ...allowList, Resource: "arn:aws:s3:us-east-1::example_bucket" }), "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."],
  ["57 Sid an object", stmt({ Sid: {}, ...allowList, Resource: bucket }), "Syntax errors in policy."],
  ["59 duplicate Sid", stmt([{ Sid: "sdf", ...allowList, Resource: bucket }, { Sid: "sdf", Effect: "Allow" }]), "Statement IDs (SID) in a single policy must be unique."],
  ["60 no Version before duplicate Sid", { Statement: [{ Sid: "sdf", ...allowList, Resource: bucket }, { Sid: "sdf", Effect: "Allow" }] }, "Policy document must be version 2012-10-17 or greater."],
  ["63 Effect case", stmt({ Effect: "denY", Action: "s3:ListBucket", Resource: bucket }), "The policy failed legacy parsing"],
  ["64 bad date", stmt({ ...allowList, Resource: bucket, Condition: { DateGreaterThan: { a: "sdfdsf" } } }), "The policy failed legacy parsing"],
  ["67 legacy before missing action", stmt({ Effect: "Allow", Condition: { DateGreaterThan: { a: "sdfdsf" } } }), "The policy failed legacy parsing"],
  ["68 empty service", stmt({ Effect: "Allow", NotAction: "s3:ListBucket", Resource: "arn:aws::::example_bucket" }), "The policy failed legacy parsing"],
  ["70 legacy before duplicate Sid", stmt([{ Sid: "sdf", Effect: "aLLow", Action: "s3:ListBucket", Resource: bucket }, { Sid: "sdf", Effect: "Allow" }]), "The policy failed legacy parsing"],
  ["72 month 13", stmt({ ...allowList, Resource: bucket, Condition: { DateLessThanEquals: { a: "234-13" } } }), "The policy failed legacy parsing"],
  ["73 one-digit zone", stmt({ ...allowList, Resource: bucket, Condition: { DateLessThanEquals: { a: "2016-12-13t2:00:00.593194+1" } } }), "The policy failed legacy parsing"],
  ["74 ten fraction digits", stmt({ ...allowList, Resource: bucket, Condition: { DateLessThanEquals: { a: "2016-12-13t2:00:00.1999999999+10:59" } } }), "The policy failed legacy parsing"],
  ["75 epoch overflow", stmt({ ...allowList, Resource: bucket, Condition: { DateLessThan: { a: "9223372036854775808" } } }), "The policy failed legacy parsing"],
  ["76 legacy before partition error", stmt({ ...allowList, Resource: "arn:error:s3:::example_bucket", Condition: { DateGreaterThan: { a: "sdfdsf" } } }), "The policy failed legacy parsing"],
  ["77 missing service", stmt({ ...allowList, Resource: "arn:aws::fdsasf" }), "The policy failed legacy parsing"],
];

// test_create_policy_valid_document[valid-N]: AWS accepted these.
const VALID: [string, unknown][] = [
  ["0", stmt({ ...allowList, Resource: [bucket] })],
  ["1 action with spaces", stmt({ Effect: "Allow", Action: "iam: asdf safdsf af ", Resource: bucket })],
  ["3 wildcard action", stmt({ Effect: "Allow", Action: "*", Resource: bucket })],
  ["5 date conditions", stmt({ Effect: "Allow", Action: "service-prefix:action-name", Resource: "*", Condition: { DateGreaterThan: { "aws:CurrentTime": "2017-07-01T00:00:00Z" }, DateLessThan: { "aws:CurrentTime": "2017-12-31T23:59:59Z" } } })],
  ["7 IAM user", stmt({ ...allowList, Resource: "arn:aws:iam:::user/example_bucket" })],
  ["9 short ARN", stmt({ ...allowList, Resource: "arn:aws:fdsasf" })],
  ["12 regional CloudWatch", stmt({ ...allowList, Resource: "arn:aws:cloudwatch:us-east-1::example_bucket" })],
  ["19 unknown operator, empty", stmt({ ...allowList, Resource: bucket, Condition: { a: {} } })],
  ["23 NotResource", stmt({ Effect: "Deny", Action: "s3:*", NotResource: ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"] })],
  ["26 vendor with hyphen", stmt({ Effect: "Allow", Action: "s3-s:ListBucket", Resource: bucket })],
  ["30 short date", stmt({ ...allowList, Resource: bucket, Condition: { DateGreaterThan: { a: "01T" } } })],
  ["33 set operator with IfExists", stmt({ ...allowList, Resource: bucket, Condition: { "ForAnyValue:StringEqualsIfExists": { a: "asf" } } })],
  ["bool and number values", stmt({ ...allowList, Resource: bucket, Condition: { Bool: { "aws:SecureTransport": false }, NumericLessThan: { "s3:max-keys": 10 } } })],
];

const text = (doc: unknown) => (typeof doc === "string" ? doc : JSON.stringify(doc));

describe("identity policy validation", () => {
  for (const [name, doc, message] of INVALID) {
    it(`rejects invalid-${name}`, () => assert.equal(identityPolicyProblem(text(doc)), message));
  }
  for (const [name, doc] of VALID) {
    it(`accepts valid-${name}`, () => assert.equal(identityPolicyProblem(text(doc)), undefined));
  }
  it("refuses a Principal in an identity policy (hashicorp/terraform#13449)", () => {
    const doc = stmt({ ...allowList, Resource: bucket, Principal: { AWS: "arn:aws:iam::123456789012:root" } });
    assert.equal(identityPolicyProblem(text(doc)), "Policy document should not specify a principal.");
  });
});

describe("trust policy validation", () => {
  const trust = (s: object) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole", ...s }] });
  it("accepts a service trust policy, also in the 2008 grammar", () => {
    assert.equal(trustPolicyProblem(trust({})), undefined);
    assert.equal(trustPolicyProblem(trust({}).replace("2012-10-17", "2008-10-17")), undefined);
    assert.equal(trustPolicyProblem(trust({ Action: ["sts:AssumeRole", "sts:TagSession"] })), undefined);
    assert.equal(trustPolicyProblem(trust({ Action: "sts:*" })), undefined);
  });
  // test_iam_roles.snapshot.json, test_update_assume_role_policy_errors
  it("answers AWS's trust policy messages", () => {
    assert.equal(trustPolicyProblem("not valid json"), "This policy contains invalid Json");
    assert.equal(trustPolicyProblem(trust({ Action: "sts:InvalidAction" })), "AssumeRole policy may only specify STS AssumeRole actions.");
    assert.equal(trustPolicyProblem(trust({ Resource: bucket })), "Has prohibited field Resource");
    assert.match(trustPolicyProblem(trust({ Principal: undefined })) ?? "", /statement with no principals!$/);
  });
});

describe("policy document encoding", () => {
  it("escapes all but RFC 3986's unreserved characters", () => {
    const doc = '{"Action": "s3:*", "Resource": ["arn:aws:s3:::b/(x)!\'"]}';
    const encoded = encodePolicyDocument(doc);
    assert.equal(encoded, "%7B%22Action%22%3A%20%22s3%3A%2A%22%2C%20%22Resource%22%3A%20%5B%22arn%3Aaws%3As3%3A%3A%3Ab%2F%28x%29%21%27%22%5D%7D");
    assert.equal(decodeURIComponent(encoded), doc);
  });
});
