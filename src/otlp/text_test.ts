import assert from "node:assert/strict";
import { cleanText } from "./text.ts";

Deno.test("cleanText removes NUL characters", () => {
  assert.equal(cleanText("a\0b\0"), "ab");
  assert.equal(cleanText("\0"), "");
});

Deno.test("cleanText replaces lone surrogates with U+FFFD", () => {
  assert.equal(cleanText("x\uD800y"), "x\uFFFDy");
  assert.equal(cleanText("\uDC00"), "\uFFFD");
  assert.equal(cleanText("end\uD83D"), "end\uFFFD");
});

Deno.test("cleanText keeps valid astral characters (4-byte UTF-8) and plain text", () => {
  const s = "order 🛒 paid 😀 ok — 中文";
  assert.equal(cleanText(s), s);
  assert.equal(cleanText("🛒\0"), "🛒");
  assert.equal(new TextEncoder().encode(cleanText("😀")).length, 4);
});

Deno.test("cleanText result is always well-formed and NUL-free", () => {
  for (const s of ["\uD800\0\uDFFF", "\0\uD83D\uDE00\0", "a\uDBFF\uDBFF"]) {
    const c = cleanText(s);
    assert.ok(c.isWellFormed(), s);
    assert.ok(!c.includes("\0"), s);
  }
});
