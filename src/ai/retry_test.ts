import assert from "node:assert/strict";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { DEFAULT_RETRY, retryAfterMs, retryDelayMs, withRetries } from "./retry.ts";

const apiError = (status: number, headers: Record<string, string> = {}) =>
  new APIError(status, {}, "x", new Headers(headers));
const half = () => 0.5;

Deno.test("429, 408, 409, 5xx and refused connections are retried with back-off; others are not", () => {
  for (const status of [408, 409, 429, 500, 502, 503]) {
    assert.equal(retryDelayMs(apiError(status), 1, DEFAULT_RETRY, half), 500 * 0.875, String(status));
  }
  assert.equal(retryDelayMs(apiError(503), 2, DEFAULT_RETRY, half), 1000 * 0.875);
  assert.equal(retryDelayMs(new APIConnectionError({ message: "refused" }), 1, DEFAULT_RETRY, half), 437.5);
  for (const err of [apiError(400), apiError(401), apiError(404), new Error("x"), new APIUserAbortError()]) {
    assert.equal(retryDelayMs(err, 1, DEFAULT_RETRY), undefined, String(err));
  }
  assert.equal(
    retryDelayMs(new APIConnectionTimeoutError(), 1, DEFAULT_RETRY),
    undefined,
    "timeouts are final",
  );
  assert.equal(retryDelayMs(apiError(503), 3, DEFAULT_RETRY), undefined, "attempts run out");
});

Deno.test("Retry-After is honoured up to the policy's limit", () => {
  assert.equal(retryDelayMs(apiError(429, { "retry-after": "2" }), 1, DEFAULT_RETRY), 2000);
  assert.equal(retryDelayMs(apiError(429, { "retry-after-ms": "150" }), 1, DEFAULT_RETRY), 150);
  assert.equal(retryDelayMs(apiError(429, { "retry-after": "3600" }), 1, DEFAULT_RETRY), undefined);
  const now = Date.UTC(2025, 0, 1);
  assert.equal(retryAfterMs(new Headers({ "retry-after": new Date(now + 4000).toUTCString() }), now), 4000);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" })), undefined);
  assert.equal(retryAfterMs(new Headers()), undefined);
});

Deno.test("withRetries stops at success, at a final error, or when attempts run out", async () => {
  let calls = 0;
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 1 };
  assert.equal(
    await withRetries(() => ++calls < 3 ? Promise.reject(apiError(500)) : Promise.resolve("ok"), policy),
    "ok",
  );
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(() => withRetries(() => (calls++, Promise.reject(apiError(500))), policy), APIError);
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(() => withRetries(() => (calls++, Promise.reject(apiError(401))), policy), APIError);
  assert.equal(calls, 1);
  const ac = new AbortController();
  const slow = withRetries(() => Promise.reject(apiError(429, { "retry-after": "20" })), policy, {
    signal: ac.signal,
  });
  // Aborted while waiting out the 20 s: the wait ends at once with the abort reason.
  const started = Date.now();
  setTimeout(() => ac.abort(new Error("stop")), 10);
  await assert.rejects(slow, /stop/);
  assert.ok(Date.now() - started < 5000);
});
