import assert from "node:assert/strict";
import { int64ToJson, nanosToMicros, parseJsonInt64 } from "./int64.ts";

function long(v: bigint, unsigned: boolean) {
  const bits = BigInt.asUintN(64, v);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned };
}

Deno.test("nanosToMicros floors exactly for Long, bigint and number inputs", () => {
  const ns = 1700000000123456789n;
  assert.equal(nanosToMicros(long(ns, true)), 1700000000123456);
  assert.equal(nanosToMicros(ns), 1700000000123456);
  assert.equal(nanosToMicros(long(999n, true)), 0);
  assert.equal(nanosToMicros(long(1000n, true)), 1);
  assert.equal(nanosToMicros(1999), 1);
  // A Long flagged signed with the top bit set is still a fixed64: read unsigned, clamp.
  assert.equal(nanosToMicros(long(2n ** 64n - 1n, false)), Number.MAX_SAFE_INTEGER);
  assert.equal(nanosToMicros(null), 0);
  assert.equal(nanosToMicros(-5), 0);
});

Deno.test("nanosToMicros matches bigint arithmetic on many random times", () => {
  for (let i = 0; i < 10000; i++) {
    const ns = BigInt(Math.floor(Math.random() * 2 ** 52)) * 1000n + BigInt(Math.floor(Math.random() * 1000));
    assert.equal(nanosToMicros(long(ns, true)), Number(ns / 1000n), ns.toString());
  }
});

Deno.test("int64ToJson keeps safe integers as numbers and the rest as exact decimal strings", () => {
  assert.equal(int64ToJson(long(-5n, false)), -5);
  assert.equal(int64ToJson(long(2n ** 53n - 1n, false)), 9007199254740991);
  assert.equal(int64ToJson(long(2n ** 53n, false)), "9007199254740992");
  assert.equal(int64ToJson(long(-(2n ** 63n), false)), "-9223372036854775808");
  assert.equal(int64ToJson(long(2n ** 63n - 1n, false)), "9223372036854775807");
  assert.equal(int64ToJson(-(2n ** 60n)), "-1152921504606846976");
  assert.equal(int64ToJson(12n), 12);
});

Deno.test("parseJsonInt64 accepts numbers and decimal strings, refuses the rest", () => {
  assert.equal(parseJsonInt64("42", true), 42);
  assert.equal(parseJsonInt64(42, false), 42);
  assert.equal(parseJsonInt64("-42", true), -42);
  assert.equal(parseJsonInt64("9223372036854775807", true), 9223372036854775807n);
  assert.equal(parseJsonInt64("18446744073709551615", false), 18446744073709551615n);
  assert.equal(parseJsonInt64("9007199254740991", true), 9007199254740991);
  for (const bad of ["9223372036854775808", "1.5", "", "0x10", " 1", true, null, {}, 1.5]) {
    assert.equal(parseJsonInt64(bad, true), undefined, String(bad));
  }
  assert.equal(parseJsonInt64("-1", false), undefined);
  assert.equal(parseJsonInt64(-1, false), undefined);
});
