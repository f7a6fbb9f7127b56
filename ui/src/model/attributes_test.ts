import assert from "node:assert/strict";
import { attributeValue, filterAttributes, toAttributes, valueText } from "./attributes.ts";

Deno.test("toAttributes sorts by key and ignores non-objects", () => {
  assert.deepEqual(toAttributes({ b: 1, a: "x" }), [{ key: "a", value: "x" }, { key: "b", value: 1 }]);
  assert.deepEqual(toAttributes(null), []);
  assert.deepEqual(toAttributes("{}"), []);
  assert.deepEqual(toAttributes([1, 2]), []);
});

Deno.test("valueText keeps strings and writes other values as JSON", () => {
  assert.equal(valueText("<b>hi</b>"), "<b>hi</b>");
  assert.equal(valueText(42), "42");
  assert.equal(valueText(true), "true");
  assert.equal(valueText([1, "a"]), '[1,"a"]');
  assert.equal(valueText({ k: null }), '{"k":null}');
  assert.equal(valueText(undefined), "");
});

Deno.test("filterAttributes matches key or value text, case-insensitively", () => {
  const rows = toAttributes({ "http.method": "POST", "http.status_code": 503, "user.id": "Alice" });
  assert.deepEqual(filterAttributes(rows, "HTTP").map((r) => r.key), ["http.method", "http.status_code"]);
  assert.deepEqual(filterAttributes(rows, "503").map((r) => r.key), ["http.status_code"]);
  assert.deepEqual(filterAttributes(rows, "alice").map((r) => r.key), ["user.id"]);
  assert.equal(filterAttributes(rows, "  ").length, 3);
  assert.equal(attributeValue(rows, "user.id"), "Alice");
});
