import assert from "node:assert/strict";
import { applyInsight, matchesLogFilters, prependLogs } from "./log_list.ts";
import type { LogEntry } from "./types.ts";
import { DEFAULT_LOG_FILTERS } from "./url_state.ts";

const log = (id: string, timestampUs: number, over: Partial<LogEntry> = {}): LogEntry => ({
  id,
  timestampUs,
  traceId: "",
  spanId: "",
  severity: "INFO",
  severityNumber: 9,
  body: "hello",
  serviceName: "order",
  attributes: [],
  resource: [],
  aiInsight: "",
  aiStatus: "none",
  ...over,
});

Deno.test("prependLogs puts the newest first, drops duplicates and caps the buffer", () => {
  const buffer = [log("2", 20), log("1", 10)];
  const next = prependLogs(buffer, [log("3", 30), log("2", 20), log("4", 40)], 3);
  assert.deepEqual(next.map((l) => l.id), ["4", "3", "2"]);
  assert.equal(prependLogs(buffer, []), buffer);
});

Deno.test("matchesLogFilters applies service, severity, trace and body search", () => {
  const f = { ...DEFAULT_LOG_FILTERS };
  const err = log("1", 1, {
    severity: "ERROR",
    severityNumber: 17,
    body: "Payment TIMEOUT",
    traceId: "a".repeat(32),
  });
  assert.equal(matchesLogFilters(err, f), true);
  assert.equal(matchesLogFilters(err, { ...f, severities: ["WARN"] }), false);
  assert.equal(matchesLogFilters(err, { ...f, severities: ["ERROR", "FATAL"] }), true);
  assert.equal(matchesLogFilters(err, { ...f, services: ["auth"] }), false);
  assert.equal(matchesLogFilters(err, { ...f, search: "timeout" }), true);
  assert.equal(matchesLogFilters(err, { ...f, traceId: "b".repeat(32) }), false);
});

Deno.test("applyInsight replaces one log's insight without touching the others", () => {
  const buffer = [log("1", 1), log("2", 2)];
  const next = applyInsight(buffer, "2", "DB down", "done");
  assert.equal(next[1].aiInsight, "DB down");
  assert.equal(next[1].aiStatus, "done");
  assert.equal(next[0], buffer[0]);
  assert.equal(buffer[1].aiStatus, "none");
  assert.equal(applyInsight(buffer, "9", "x", "done"), buffer);
});
