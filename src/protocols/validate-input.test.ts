import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadModel } from "../models/load.js";
import {
  formatValidationMessage,
  javaDouble,
  validateInput,
  validationErrorCode,
  validationErrorFor,
} from "./validate-input.js";

// Expected strings are AWS's own answers, quoted from the sources cited beside
// each case. AWS orders violations by its internal hash maps; we order them by
// the model, so multi-violation cases assert the set, not AWS's order.

const dynamodb = loadModel("dynamodb");
const iam = loadModel("iam");
const lambda = loadModel("lambda");
const cloudformation = loadModel("cloudformation");

const message = (model: Parameters<typeof validateInput>[0], op: string, input: unknown) =>
  formatValidationMessage(validateInput(model, op, input));

const item = { pk: { S: "x" } };

describe("DynamoDB (json 1.0)", () => {
  it("reports a missing required member as Value null", () => {
    // dynalite test/query.js, recorded against DynamoDB: "Value null at 'tableName' ... Member must not be null"
    assert.equal(
      message(dynamodb, "Query", {}),
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("reports string length with the value quoted", () => {
    // us-east-1 answer quoted in https://github.com/nubo-db/dynoxide/issues/11 (PutItem, TableName '')
    assert.equal(
      message(dynamodb, "PutItem", { TableName: "", Item: item }),
      "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("reports enums in model order", () => {
    // https://github.com/ExtendDB/extenddb/pull/9 (real DynamoDB message for ReturnValues: "INVALID")
    assert.equal(
      message(dynamodb, "PutItem", { TableName: "t", Item: item, ReturnValues: "INVALID" }),
      "1 validation error detected: Value 'INVALID' at 'returnValues' failed to satisfy constraint: " +
        "Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]",
    );
  });

  it("quotes numbers and checks ranges, collections and map values", () => {
    // dynalite test/query.js "should return ValidationException for incorrect attributes"
    const violations = validateInput(dynamodb, "Query", {
      TableName: "abc",
      Limit: -1,
      ReturnConsumedCapacity: "hi",
      AttributesToGet: [],
      Select: "hi",
      KeyConditions: { a: {}, b: { ComparisonOperator: "" } },
    });
    const expected = [
      "Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
      "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
      "Value null at 'keyConditions.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null",
    ];
    for (const v of expected) assert.ok(violations.includes(v), `missing: ${v}\nin: ${violations.join("\n")}`);
    // Same path and value as AWS; AWS lists this enum as [IN, NULL, BETWEEN, ...], its internal order.
    assert.ok(violations.some((v) => v.startsWith("Value '' at 'keyConditions.b.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [")));
    assert.ok(violations.some((v) => v.startsWith("Value 'hi' at 'select' failed")));
    assert.equal(violations.length, 6);
  });

  it("numbers list elements from 1 with .member", () => {
    // https://github.com/ryanfitz/vogels/issues/128: "Value 'BOOLEAN' at 'attributeDefinitions.3.member.attributeType'"
    const violations = validateInput(dynamodb, "CreateTable", {
      TableName: "abc",
      AttributeDefinitions: [
        { AttributeName: "a", AttributeType: "S" },
        { AttributeName: "b", AttributeType: "N" },
        { AttributeName: "c", AttributeType: "BOOLEAN" },
      ],
      KeySchema: [{ AttributeName: "a" }],
    });
    assert.equal(violations.length, 2);
    assert.match(violations[0], /^Value 'BOOLEAN' at 'attributeDefinitions\.3\.member\.attributeType' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    assert.equal(violations[1], "Value null at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must not be null");
  });

  it("stops at 10 violations and says 10", () => {
    // dynalite test/createTable.js: nine empty LocalSecondaryIndexes -> "10 validation errors detected: ..."
    const violations = validateInput(dynamodb, "CreateTable", {
      TableName: "abc",
      AttributeDefinitions: [{ AttributeName: "a", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "a", KeyType: "HASH" }],
      LocalSecondaryIndexes: Array.from({ length: 9 }, () => ({})),
    });
    assert.equal(violations.length, 10);
    assert.equal(violations[0], "Value null at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must not be null");
    assert.match(formatValidationMessage(violations), /^10 validation errors detected: Value null at /);
  });

  it("reports a map value's constraints once, at the map", () => {
    // us-east-1 capture quoted in nubo-db/dynoxide scripts/lib/drift.test.mjs (BatchWriteItem, 26 requests)
    const requests = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `bw-${i}` } } } }));
    const violations = validateInput(dynamodb, "BatchWriteItem", { RequestItems: { t1: requests } });
    assert.equal(violations.length, 1);
    assert.match(
      violations[0],
      /^Value '\{t1=\[WriteRequest\(putRequest=PutRequest\(item=\{pk=AttributeValue\(s=bw-0, .*\)\}\), deleteRequest=null\), .*\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/,
    );
  });

  it("renders structures as Java toString", () => {
    // The KeySchemaElement rendering AWS echoes, from the capture quoted in
    // https://github.com/nubo-db/dynoxide/issues/11 (the bound itself is service logic, not the model)
    const violations = validateInput(dynamodb, "CreateTable", {
      TableName: "abc",
      KeySchema: [],
    });
    assert.deepEqual(violations, [
      "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
    const two = validateInput(dynamodb, "CreateTable", {
      TableName: "abc",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "", KeyType: "RANGE" }],
    });
    assert.deepEqual(two, [
      "Value '' at 'keySchema.2.member.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
  });

  it("accepts a valid request", () => {
    assert.deepEqual(validateInput(dynamodb, "PutItem", { TableName: "my-table", Item: item }), []);
  });
});

describe("IAM (query)", () => {
  it("reports a long role name", () => {
    // https://github.com/NixOS/nixops/issues/328 (IAM's XML error body, Code ValidationError)
    const name = "charon-31f85414-3f74-11e5-b275-f23c91ae92d9-DynamoReadOnlyPermission";
    assert.equal(
      message(iam, "CreateRole", { RoleName: name, AssumeRolePolicyDocument: "{}" }),
      `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  });

  it("checks \\p{...} patterns inside list elements", () => {
    // https://github.com/SWO-GS/auto-tag/issues/90 (CreateUser tag value with a comma)
    const value = "SourceIP: XX.xx.xxx.xxx, UserAgent: aws-cli/2.1.17 Python/3.7.4 Darwin/20.3.0 exe/x86_64 prompt/off command/iam.create-user";
    const tags = [1, 2, 3, 4, 5].map((i) => ({ Key: `k${i}`, Value: "ok" })).concat([{ Key: "k6", Value: value }]);
    assert.equal(
      message(iam, "CreateUser", { UserName: "bob", Tags: tags }),
      `1 validation error detected: Value '${value}' at 'tags.6.member.value' failed to satisfy constraint: ` +
        "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
    );
  });

  it("reports the missing user name", () => {
    assert.equal(
      message(iam, "CreateUser", {}),
      "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("answers ValidationError, 400, Sender", () => {
    const error = validationErrorFor(iam, validateInput(iam, "CreateUser", {}));
    assert.equal(error.code, "ValidationError");
    assert.equal(error.status, 400);
    assert.equal(error.senderFault, true);
    assert.equal(validationErrorCode(dynamodb), "ValidationException");
    assert.equal(validationErrorCode(loadModel("cloudwatch")), "ValidationError");
  });
});

describe("other services", () => {
  it("Lambda: the role pattern", () => {
    // https://github.com/aarondfrancis/sidecar/issues/147
    const violations = validateInput(lambda, "CreateFunction", { FunctionName: "f", Role: "lambdarole", Code: {} });
    assert.deepEqual(violations, [
      "Value 'lambdarole' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
        "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
    ]);
  });

  it("Lambda: list elements are reported at the list with every element constraint", () => {
    // A boto3 ClientError from CreateFunctionUrlConfig quoted in public notes (no stable URL):
    // "Value '[GET, POST, OPTIONS]' at 'cors.allowMethods' failed to satisfy constraint: Member must
    // satisfy constraint: [Member must have length less than or equal to 6, Member must have length
    // greater than or equal to 0, Member must satisfy regular expression pattern: .*, Member must not
    // be null]". Lambda appends "Member must not be null", which no model trait says; we do not.
    const violations = validateInput(lambda, "CreateFunctionUrlConfig", {
      FunctionName: "f",
      AuthType: "NONE",
      Cors: { AllowMethods: ["GET", "POST", "OPTIONS", "TOOLONGMETHOD"] },
    });
    assert.deepEqual(violations, [
      "Value '[GET, POST, OPTIONS, TOOLONGMETHOD]' at 'cors.allowMethods' failed to satisfy constraint: Member must satisfy constraint: " +
        "[Member must have length less than or equal to 6, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: .*]",
    ]);
  });

  it("Lambda: doubles print as Java doubles", () => {
    const violations = validateInput(lambda, "CreateAlias", {
      FunctionName: "f",
      Name: "live",
      FunctionVersion: "1",
      RoutingConfig: { AdditionalVersionWeights: { "2": 1.5 } },
    });
    assert.deepEqual(violations, [
      "Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: " +
        "[Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]",
    ]);
  });

  it("Lambda: sensitive members are not echoed", () => {
    // Lambda answers "Value at 'environment.variables' ..." for a bad variable name: the map is sensitive.
    const violations = validateInput(lambda, "CreateFunction", {
      FunctionName: "f",
      Role: "arn:aws:iam::123456789012:role/r",
      Code: {},
      Environment: { Variables: { _BAD: "x" } },
    });
    assert.equal(violations.length, 1);
    assert.match(violations[0], /^Value at 'environment\.variables' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must satisfy regular expression pattern: /);
  });

  it("CloudFormation: length before pattern, both reported", () => {
    // Shape of https://github.com/serverless/serverless/issues/2036 and a CDK report:
    // "2 validation errors detected: Value '' at 'stackName' ... length ...; Value '' at 'stackName' ... pattern ..."
    // (The public model leaves DescribeStackEvents' StackName unconstrained; DetectStackDrift's is.)
    const violations = validateInput(cloudformation, "DetectStackDrift", { StackName: "" });
    assert.equal(violations.length, 2);
    assert.equal(violations[0], "Value '' at 'stackName' failed to satisfy constraint: Member must have length greater than or equal to 1");
    assert.match(violations[1], /^Value '' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
  });
});

describe("formatting", () => {
  it("Java's Double.toString", () => {
    assert.equal(javaDouble(1), "1.0");
    assert.equal(javaDouble(0.5), "0.5");
    assert.equal(javaDouble(1e7), "1.0E7");
    assert.equal(javaDouble(1.5e-4), "1.5E-4");
    assert.equal(javaDouble(-2), "-2.0");
  });

  it("uses the singular for one error", () => {
    assert.equal(formatValidationMessage(["a"]), "1 validation error detected: a");
    assert.equal(formatValidationMessage(["a", "b"]), "2 validation errors detected: a; b");
  });
});
