import assert from "node:assert/strict";
import { backoffDelay } from "./backoff.ts";

Deno.test("backoffDelay doubles from the base and stops at the cap", () => {
  const max = () => 1;
  const opts = { baseMs: 500, maxMs: 30_000 };
  assert.deepEqual([0, 1, 2, 3, 6, 7, 50].map((n) => backoffDelay(n, opts, max)), [
    500,
    1000,
    2000,
    4000,
    30_000,
    30_000,
    30_000,
  ]);
});

Deno.test("backoffDelay jitter stays within the upper half of the exponential delay", () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  assert.equal(backoffDelay(2, opts, () => 0), 2000);
  assert.equal(backoffDelay(2, opts, () => 0.5), 3000);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(3, opts);
    assert.ok(d >= 4000 && d <= 8000, String(d));
  }
});
