import assert from "node:assert/strict";
import { createVerify } from "node:crypto";
import { describe, it } from "node:test";
import { canonicalString, NOTIFICATION_FIELDS, Signer } from "./signing.js";

// SignatureVersion 1 as "Verifying the signatures of Amazon SNS messages" describes it.

describe("SNS message signatures", () => {
  const message = { Type: "Notification", MessageId: "m-1", TopicArn: "arn:aws:sns:us-east-1:000000000000:t", Message: "hi", Timestamp: "2026-01-01T00:00:00.000Z" };

  it("builds the canonical string in AWS's field order, skipping an unset Subject", () => {
    assert.equal(canonicalString(message, NOTIFICATION_FIELDS), "Message\nhi\nMessageId\nm-1\nTimestamp\n2026-01-01T00:00:00.000Z\nTopicArn\narn:aws:sns:us-east-1:000000000000:t\nType\nNotification\n");
    assert.match(canonicalString({ ...message, Subject: "s" }, NOTIFICATION_FIELDS), /MessageId\nm-1\nSubject\ns\nTimestamp/);
  });

  it("signs with SHA1withRSA, verifiable with the served public key", () => {
    const signer = new Signer();
    const signature = signer.sign(message);
    const verify = createVerify("RSA-SHA1");
    verify.update(canonicalString(message, NOTIFICATION_FIELDS));
    assert.ok(verify.verify(signer.publicKeyPem(), signature, "base64"));
  });
});
