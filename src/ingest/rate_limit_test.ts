import assert from "node:assert/strict";
import { RateLimitedError, TenantRateLimiter } from "./rate_limit.ts";

Deno.test("a tenant over its rate is refused with a retry delay; others are not", () => {
  let now = 0;
  const l = new TenantRateLimiter(100, 200, () => now);
  l.take("a", 150);
  l.take("a", 50);
  assert.throws(() => l.take("a", 10), (e: unknown) => e instanceof RateLimitedError && e.retryAfterS === 1);
  l.take("b", 200); // another tenant has its own bucket
  now = 500; // half a second refills 50 items
  l.take("a", 50);
  assert.throws(() => l.take("a", 1), RateLimitedError);
});

Deno.test("one request larger than the bucket passes when full, then its debt holds the rate", () => {
  let now = 0;
  const l = new TenantRateLimiter(10, 20, () => now);
  l.take("a", 1000);
  assert.throws(() => l.take("a", 1), RateLimitedError);
  now = 2000;
  assert.throws(
    () => l.take("a", 1000),
    (e: unknown) => e instanceof RateLimitedError && e.retryAfterS === 98,
  );
  now = 100_000; // 1000 items at 10/s: the bucket is full again after 100 s
  l.take("a", 1000);
});

Deno.test("rate 0 never limits", () => {
  const l = new TenantRateLimiter(0, 0);
  for (let i = 0; i < 1000; i++) l.take("a", 1_000_000);
  assert.equal(l.enabled, false);
});
