import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_RESPONSE_BYTES, RuntimeEndpoint, type Invocation } from "./runtime-api.js";

// The Runtime API as a runtime sees it, including AWS's answers to misuse
// (status codes and bodies as AWS's runtime interface emulator renders them).

function invocation(requestId: string): Invocation {
  return {
    requestId,
    payload: Buffer.from('{"k":"v"}'),
    deadlineMs: 1_700_000_000_000,
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f",
    traceId: "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0",
    clientContext: '{"custom":{}}',
  };
}

async function open() {
  const events = { ready: 0, initErrors: [] as { type?: string; body: string }[] };
  const endpoint = await RuntimeEndpoint.open({
    onReady: () => events.ready++,
    onInitError: (type, body) => events.initErrors.push({ type, body: body.toString() }),
  });
  const url = (path: string) => `http://${endpoint.address}/2018-06-01/runtime/${path}`;
  return { endpoint, events, url };
}

test("next long-polls until an event is dispatched, with the Lambda-Runtime headers", async () => {
  const { endpoint, events, url } = await open();
  try {
    const next = fetch(url("invocation/next"));
    while (events.ready === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(events.ready, 1);
    const outcome = endpoint.dispatch(invocation("req-1"));
    const res = await next;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("lambda-runtime-aws-request-id"), "req-1");
    assert.equal(res.headers.get("lambda-runtime-deadline-ms"), "1700000000000");
    assert.equal(res.headers.get("lambda-runtime-invoked-function-arn"), "arn:aws:lambda:us-east-1:000000000000:function:f");
    assert.match(res.headers.get("lambda-runtime-trace-id")!, /^Root=1-/);
    assert.equal(res.headers.get("lambda-runtime-client-context"), '{"custom":{}}');
    assert.equal(res.headers.get("lambda-runtime-cognito-identity"), null);
    assert.equal(await res.text(), '{"k":"v"}');

    // A response for another request id: 400 InvalidRequestID.
    const wrong = await fetch(url("invocation/other/response"), { method: "POST", body: "1" });
    assert.equal(wrong.status, 400);
    assert.deepEqual(await wrong.json(), { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });

    const ok = await fetch(url("invocation/req-1/response"), { method: "POST", body: '"done"' });
    assert.equal(ok.status, 202);
    assert.deepEqual(await ok.json(), { status: "OK" });
    assert.deepEqual(await outcome, { kind: "response", body: Buffer.from('"done"') });

    // A second response for the same invocation: 403 InvalidStateTransition.
    const again = await fetch(url("invocation/req-1/response"), { method: "POST", body: "1" });
    assert.equal(again.status, 403);
    assert.deepEqual(await again.json(), {
      errorMessage: "State transition from InvocationResponse to InvocationResponse failed for runtime. Error: State transition is not allowed",
      errorType: "InvalidStateTransition",
    });
    // init/error after init: 403 as well.
    const lateInit = await fetch(url("init/error"), { method: "POST", body: "{}" });
    assert.equal(lateInit.status, 403);
  } finally {
    endpoint.close();
  }
});

test("an event dispatched before next is answered at once; errors carry their type", async () => {
  const { endpoint, url } = await open();
  try {
    const outcome = endpoint.dispatch(invocation("req-2"));
    const res = await fetch(url("invocation/next"));
    assert.equal(res.headers.get("lambda-runtime-aws-request-id"), "req-2");
    await res.arrayBuffer();
    const body = JSON.stringify({ errorType: "TypeError", errorMessage: "x", trace: [] });
    const posted = await fetch(url("invocation/req-2/error"), {
      method: "POST",
      body,
      headers: { "Lambda-Runtime-Function-Error-Type": "TypeError" },
    });
    assert.equal(posted.status, 202);
    assert.deepEqual(await outcome, { kind: "error", errorType: "TypeError", body: Buffer.from(body) });
  } finally {
    endpoint.close();
  }
});

test("a response over 6 MB is 413 RequestEntityTooLarge", async () => {
  const { endpoint, url } = await open();
  try {
    const outcome = endpoint.dispatch(invocation("req-3"));
    await (await fetch(url("invocation/next"))).arrayBuffer();
    const res = await fetch(url("invocation/req-3/response"), { method: "POST", body: Buffer.alloc(MAX_RESPONSE_BYTES + 1, 97) });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), {
      errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      errorType: "RequestEntityTooLarge",
    });
    assert.deepEqual(await outcome, { kind: "tooLarge" });
  } finally {
    endpoint.close();
  }
});

test("init/error during init is accepted and reported", async () => {
  const { endpoint, events, url } = await open();
  try {
    const res = await fetch(url("init/error"), {
      method: "POST",
      body: '{"errorType":"Runtime.ImportModuleError","errorMessage":"m"}',
      headers: { "Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError" },
    });
    assert.equal(res.status, 202);
    assert.deepEqual(events.initErrors, [{ type: "Runtime.ImportModuleError", body: '{"errorType":"Runtime.ImportModuleError","errorMessage":"m"}' }]);
    const unknown = await fetch(`http://${endpoint.address}/2018-06-01/runtime/nope`);
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  } finally {
    endpoint.close();
  }
});
