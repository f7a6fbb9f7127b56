import assert from "node:assert/strict";
import { bodyShape, LruCache } from "./shape.ts";

Deno.test("bodies that differ in numbers, ids, UUIDs, hex, addresses and quoted values share a shape", () => {
  const same: [string, string][] = [
    ['payment 8812 failed for "bob"', 'payment 9120 failed for "eve"'],
    ["order ord-12ab not found", "order ord-99zz not found"],
    [
      "request 550e8400-e29b-41d4-a716-446655440000 timed out",
      "request 6fa459ea-ee8a-3ca4-894e-db77e160355e timed out",
    ],
    ["object at 0x7f3a2c failed", "object at 0x1b2c3d failed"],
    ["digest deadbeefcafe mismatch", "digest abcdefabcdef mismatch"],
    ["connect 10.0.0.1:5432 refused", "connect 192.168.1.20:6543 refused"],
    ["mail to bob@example.com bounced", "mail to eve@corp.example bounced"],
    ["user 'alice' can't log in", "user 'bob' can't log in"],
    ["a  b\n\tc", "a b c"],
  ];
  for (const [a, b] of same) assert.equal(bodyShape(a), bodyShape(b), `${a} | ${b}`);
});

Deno.test("different messages keep different shapes", () => {
  const different: [string, string][] = [
    ["payment failed", "payment declined"],
    ["connection refused", "connection reset"],
    ["user can't log in", "user can't sign up"],
  ];
  for (const [a, b] of different) assert.notEqual(bodyShape(a), bodyShape(b), `${a} | ${b}`);
  assert.equal(bodyShape('charge 42 failed for "x"'), 'charge # failed for "_"');
});

Deno.test("the LRU cache evicts the least recently used entry and expires after its TTL", () => {
  let now = 0;
  const cache = new LruCache<string>(2, 100, () => now);
  cache.set("a", "A");
  cache.set("b", "B");
  assert.equal(cache.get("a"), "A"); // a is now the most recent
  cache.set("c", "C");
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), "A");
  assert.equal(cache.size, 2);
  now = 100;
  assert.equal(cache.get("a"), undefined);
  assert.throws(() => new LruCache(0, 1), RangeError);
});
