import assert from "node:assert/strict";
import { filterLogs, filterSpans } from "./filters.ts";
import { log, span } from "../../tests/support/fixtures.ts";

const none = { minSeverity: 0, allowedServices: [], excludedServices: [] };

Deno.test("services are allowed and excluded", () => {
  const spans = [span({ service_name: "a" }), span({ service_name: "b" }), span({ service_name: "c" })];
  assert.deepEqual(filterSpans(spans, none).kept.length, 3);
  const allowed = filterSpans(spans, { ...none, allowedServices: ["a", "b"], excludedServices: ["b"] });
  assert.deepEqual(allowed.kept.map((s) => s.service_name), ["a"]);
  assert.equal(allowed.droppedService, 2);
});

Deno.test("logs below the minimum severity are dropped; number 0 uses the text", () => {
  const logs = [
    log(1, { severity_number: 5, severity: "DEBUG" }),
    log(2, { severity_number: 9, severity: "INFO" }),
    log(3, { severity_number: 0, severity: "debug" }),
    log(4, { severity_number: 0, severity: "warn" }),
    log(5, { severity_number: 0, severity: "notice" }), // unknown text: kept, never silently lost
    log(6, { severity_number: 17, severity: "ERROR", service_name: "noisy" }),
  ];
  const r = filterLogs(logs, { minSeverity: 9, allowedServices: [], excludedServices: ["noisy"] });
  assert.deepEqual(r.kept.map((l) => l.id), [2, 4, 5]);
  assert.equal(r.droppedSeverity, 2);
  assert.equal(r.droppedService, 1);
});
