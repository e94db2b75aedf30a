import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadModel } from "../models/load.js";
import { errorsOf, modelError } from "./model-errors.js";

describe("modelError", () => {
  it("uses the query code, status and fault of a query service's error shape", () => {
    // IAM's NoSuchEntityException: error.code NoSuchEntity, 404, Sender.
    const error = errorsOf(loadModel("iam")).NoSuchEntityException("The role with name r cannot be found.");
    assert.equal(error.code, "NoSuchEntity");
    assert.equal(error.status, 404);
    assert.equal(error.senderFault, true);
    assert.equal(error.shapeName, "NoSuchEntityException");
    assert.equal(error.message, "The role with name r cannot be found.");
  });

  it("uses the shape name in json-family services and keeps extra fields", () => {
    const dynamodb = loadModel("dynamodb");
    const error = modelError(dynamodb, "TransactionCanceledException", "Transaction cancelled", {
      CancellationReasons: [{ Code: "None" }],
    });
    assert.equal(error.code, "TransactionCanceledException");
    assert.equal(error.status, 400);
    assert.deepEqual(error.fields, { CancellationReasons: [{ Code: "None" }] });
  });

  it("maps server faults to 500 and Receiver", () => {
    const error = errorsOf(loadModel("dynamodb")).InternalServerError("boom");
    assert.equal(error.status, 500);
    assert.equal(error.senderFault, false);
  });

  it("keeps the query-compatible shape name for codecs (SQS)", () => {
    const error = errorsOf(loadModel("sqs")).QueueDoesNotExist("The specified queue does not exist.");
    assert.equal(error.code, "QueueDoesNotExist");
    assert.equal(error.shapeName, "QueueDoesNotExist");
    assert.equal(error.status, 400);
  });

  it("refuses a shape that is not an error", () => {
    assert.throws(() => modelError(loadModel("dynamodb"), "PutItemInput", "x"), /no error shape PutItemInput/);
    assert.equal(errorsOf(loadModel("dynamodb")).PutItemInput, undefined);
  });
});
