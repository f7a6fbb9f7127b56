import assert from "node:assert/strict";
import { isErrorSeverity, normalizeSeverity, severityColor, severityRank } from "./severity.ts";

Deno.test("normalizeSeverity follows the OTLP number ranges", () => {
  assert.equal(normalizeSeverity("", 1), "TRACE");
  assert.equal(normalizeSeverity("", 5), "DEBUG");
  assert.equal(normalizeSeverity("", 9), "INFO");
  assert.equal(normalizeSeverity("", 13), "WARN");
  assert.equal(normalizeSeverity("", 17), "ERROR");
  assert.equal(normalizeSeverity("", 24), "FATAL");
});

Deno.test("normalizeSeverity reads the text when the number is 0", () => {
  assert.equal(normalizeSeverity("warning"), "WARN");
  assert.equal(normalizeSeverity("Err"), "ERROR");
  assert.equal(normalizeSeverity("critical"), "FATAL");
  assert.equal(normalizeSeverity("whatever"), "INFO");
});

Deno.test("severity ranks, colours and the error test", () => {
  assert.ok(severityRank("ERROR") > severityRank("WARN"));
  assert.equal(severityColor("ERROR"), "red");
  assert.equal(severityColor("", 14), "orange");
  assert.equal(isErrorSeverity("FATAL"), true);
  assert.equal(isErrorSeverity("WARN"), false);
  assert.equal(isErrorSeverity("", 17), true);
});
