import assert from "node:assert/strict";
import { createVerify } from "node:crypto";
import { describe, it } from "node:test";
import { Envelopes, type PublishedMessage } from "./delivery.js";
import type { SubscriptionRecord, TopicRecord } from "./records.js";
import { canonicalString, NOTIFICATION_FIELDS, Signer } from "./signing.js";
import type { SnsStore } from "./store.js";

// One publish's envelopes are signed and serialized once, then spliced per
// subscription: each must be exactly the JSON of its own envelope, and verify. A FIFO
// topic's are not signed.

const topic: TopicRecord = { name: "t", arn: "arn:aws:sns:us-east-1:000000000000:t", fifo: false, attributes: {}, tags: {}, subscriptionsDeleted: 0 };
const fifoTopic: TopicRecord = { ...topic, name: "t.fifo", arn: "arn:aws:sns:us-east-1:000000000000:t.fifo", fifo: true };
const sub = (n: number): SubscriptionRecord => ({
  arn: `${topic.arn}:sub-${n}`, topicArn: topic.arn, protocol: "sqs", endpoint: `arn:aws:sqs:us-east-1:000000000000:q${n}`, owner: "000000000000",
  attributes: {}, pendingConfirmation: false,
});

describe("SNS envelopes", () => {
  it("splices each subscription's UnsubscribeURL into the same signed JSON", () => {
    const signer = new Signer();
    let signatures = 0;
    const counting = { sign: (m: Record<string, string | undefined>, v?: string) => (signatures++, signer.sign(m, v)) };
    const store = { account: "000000000000", region: "us-east-1", signer: counting } as unknown as SnsStore;
    const msg: PublishedMessage = {
      messageId: "m-1", topic, message: 'say "hi"\n', subject: "s", timestamp: "2026-01-01T00:00:00.000Z",
      attributes: { a: { DataType: "String", StringValue: "v" }, b: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2]) } },
    };
    const envelopes = new Envelopes(store, msg, "localhost:4566");
    for (const n of [1, 2, 3]) {
      const json = envelopes.json(sub(n), msg.message);
      assert.equal(json, JSON.stringify(envelopes.object(sub(n), msg.message)));
      const parsed = JSON.parse(json) as Record<string, string>;
      assert.deepEqual(Object.keys(parsed), [
        "Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes",
      ]);
      assert.match(parsed.UnsubscribeURL, new RegExp(`SubscriptionArn=${encodeURIComponent(sub(n).arn)}&`));
      assert.deepEqual(parsed.MessageAttributes, { a: { Type: "String", Value: "v" }, b: { Type: "Binary", Value: "AQI=" } });
      const verify = createVerify("RSA-SHA1").update(canonicalString(parsed, NOTIFICATION_FIELDS));
      assert.ok(verify.verify(signer.publicKeyPem(), parsed.Signature, "base64"));
    }
    assert.equal(signatures, 1);
  });

  it("leaves a FIFO topic's notifications unsigned, with their SequenceNumber", () => {
    let signatures = 0;
    const store = { account: "000000000000", region: "us-east-1", signer: { sign: () => (signatures++, "") } } as unknown as SnsStore;
    const msg: PublishedMessage = { messageId: "m-2", topic: fifoTopic, message: "in order", sequenceNumber: "10000000000000000001", timestamp: "2026-01-01T00:00:00.000Z" };
    const parsed = JSON.parse(new Envelopes(store, msg, "localhost:4566").json({ ...sub(1), topicArn: fifoTopic.arn }, msg.message));
    assert.deepEqual(Object.keys(parsed), ["Type", "MessageId", "SequenceNumber", "TopicArn", "Message", "Timestamp", "UnsubscribeURL"]);
    assert.equal(parsed.SequenceNumber, "10000000000000000001");
    assert.equal(signatures, 0);
  });
});
