import assert from "node:assert/strict";
import {
  ATTR_HASHES,
  attributeHashes,
  BLOOM_COLUMN_NAMES,
  bloomCovers,
  bloomOf,
  bloomTest,
  hashesOfSpan,
  mergeBloom,
  pairHash,
} from "./attr_bloom.ts";

/** Whether a summary with these columns passes the search's test for key = value. */
function passes(bloom: readonly number[], key: string, value: string): boolean {
  const t = bloomTest(key, value)!;
  return bloomCovers(bloom[BLOOM_COLUMN_NAMES.indexOf(t.column)], t.mask);
}

Deno.test("the pair hash is pinned: stored filters depend on it", () => {
  assert.deepEqual(
    [pairHash("http.method", "GET"), pairHash("enduser.id", "user-111"), pairHash("", "")],
    [990412935, 834489014, 33667398],
  );
});

Deno.test("values are hashed as the databases compare them", () => {
  const [int, str, bool, upper, padded] = [
    attributeHashes({ code: 503 }),
    attributeHashes({ code: "503" }),
    attributeHashes({ ok: true }),
    attributeHashes({ m: "GeT" }),
    attributeHashes({ m: "get  " }),
  ];
  assert.deepEqual(int, str);
  assert.deepEqual(bool, [pairHash("ok", "true")]);
  // ASCII case and trailing spaces folded (SQL Server compares case-insensitively; MySQL pads).
  assert.deepEqual(upper, padded);
  // Keys are exact: every dialect's JSON path is.
  assert.notDeepEqual(attributeHashes({ M: "get" }), upper);
  // Null as MySQL reads it; doubles, unsafe integers, arrays and objects are not hashed.
  assert.deepEqual(attributeHashes({ n: null }), [pairHash("n", "null")]);
  assert.deepEqual(attributeHashes({ r: 0.5, big: 2 ** 60, a: [1], o: { x: 1 } }), []);
});

Deno.test("a search uses the filter only for values every dialect spells as hashed", () => {
  for (const v of ["GET", "user-111", "503", "-7", "0", "true", "", "a b", 'say "hi"']) {
    assert.ok(bloomTest("k", v), v);
  }
  for (
    const v of ["0.5", "0.5 ", "0503", "+5", "1e3", "1234567890123456", "[1]", '{"a":1}', "café", "tab\t"]
  ) {
    assert.equal(bloomTest("k", v), undefined, v);
  }
});

Deno.test("a filter never rules out a pair it was given, across merges", () => {
  const pairs = Array.from({ length: 60 }, (_, i) => ({ [`key.${i % 7}`]: `value-${i}` }));
  let bloom = mergeBloom(undefined, [attributeHashes(pairs[0])]);
  for (const p of pairs.slice(1)) bloom = mergeBloom(bloom, [attributeHashes(p)]);
  for (const p of pairs) {
    const [key, value] = Object.entries(p)[0];
    assert.ok(passes(bloom!, key, value), `${key}=${value}`);
    assert.ok(passes(bloom!, key, value.toUpperCase() + "  "), `${key}=${value} folded`);
  }
});

Deno.test("a filter of forty pairs rules out nearly every other pair", () => {
  const bloom = mergeBloom(undefined, [
    attributeHashes(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`attr.${i}`, `v${i}`]))),
  ])!;
  let passed = 0;
  for (let i = 0; i < 2000; i++) if (passes(bloom, `attr.${i % 40}`, `other-${i}`)) passed++;
  // About 2 % expected with 8 × 48 bits and 4 bits per pair.
  assert.ok(passed < 100, `${passed} of 2000 passed`);
});

Deno.test("an unknown filter stays unknown; columns read back from any driver's integers", () => {
  assert.equal(mergeBloom(null, [[1, 2, 3]]), null);
  const row = Object.fromEntries(BLOOM_COLUMN_NAMES.map((c, i) => [c, i === 0 ? "281474976710655" : i]));
  assert.deepEqual(bloomOf(row), [2 ** 48 - 1, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(bloomOf({ ...row, attr_bloom_3: null }), null);
  assert.equal(bloomOf({}), null);
});

Deno.test("a span's hashes come from the mapper when known, else from its attributes text", () => {
  const span = { attributes: '{"a":"x","n":1}' };
  assert.deepEqual(hashesOfSpan(span), [pairHash("a", "x"), pairHash("n", "1")]);
  assert.deepEqual(hashesOfSpan({ ...span, [ATTR_HASHES]: [42] }), [42]);
  assert.deepEqual(hashesOfSpan({ attributes: "not json" }), []);
});
