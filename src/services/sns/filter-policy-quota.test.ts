import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryThrottle } from "./delivery-throttle.js";
import { FilterPolicyQuota } from "./filter-policy-quota.js";

// The filter policy quota (per topic and per account) and the HTTP/S delivery pace, on
// their own: small limits stand for AWS's 200 and 10,000, which the client tests reach
// for one topic only.

describe("SNS filter policy quota", () => {
  it("counts policies per topic and in all, a replaced policy fitting", () => {
    const quota = new FilterPolicyQuota(2, 3);
    quota.set("t1", "t1:a", true);
    quota.set("t1", "t1:b", true);
    assert.equal(quota.exceededBy("t1", undefined), "topic");
    assert.equal(quota.exceededBy("t1", "t1:a"), undefined);
    assert.equal(quota.exceededBy("t1", "t1:c"), "topic");
    quota.set("t2", "t2:a", true);
    assert.equal(quota.exceededBy("t2", undefined), "account");
    quota.set("t1", "t1:b", false);
    assert.equal(quota.exceededBy("t1", undefined), undefined);
    quota.remove("t2", "t2:a");
    quota.set("t3", "t3:a", true);
    quota.set("t3", "t3:b", true);
    assert.equal(quota.exceededBy("t4", undefined), "account");
    quota.remove("t3", "t3:a");
    assert.equal(quota.exceededBy("t4", undefined), undefined);
  });
});

describe("SNS delivery throttle", () => {
  it("gives each delivery the next slot of its subscription, 1/rate apart, and idles back", () => {
    const throttle = new DeliveryThrottle();
    assert.deepEqual([0, 1, 2].map(() => throttle.delayFor("s", 4, 1000)), [0, 250, 500]);
    // Another subscription has its own pace.
    assert.equal(throttle.delayFor("other", 4, 1000), 0);
    // Time passing uses up the backlog's slots.
    assert.equal(throttle.delayFor("s", 4, 1600), 150);
    assert.equal(throttle.delayFor("s", 4, 5000), 0);
  });
});
