import assert from "node:assert/strict";
import { matchesTraceFilters, sortTraces } from "./trace_list.ts";
import type { TraceSummary } from "./types.ts";
import { DEFAULT_TRACE_FILTERS } from "./url_state.ts";

const t = (over: Partial<TraceSummary>): TraceSummary => ({
  traceId: "0".repeat(32),
  serviceName: "order",
  name: "GET /cart",
  startUs: 0,
  durationUs: 1000,
  status: "OK",
  spanCount: 1,
  errorCount: 0,
  services: ["order"],
  ...over,
});

Deno.test("matchesTraceFilters applies service, status, duration and search", () => {
  const f = { ...DEFAULT_TRACE_FILTERS };
  const trace = t({ services: ["order", "payment"], durationUs: 250_000, status: "ERROR" });
  assert.equal(matchesTraceFilters(trace, f), true);
  assert.equal(matchesTraceFilters(trace, { ...f, services: ["payment"] }), true);
  assert.equal(matchesTraceFilters(trace, { ...f, services: ["auth"] }), false);
  assert.equal(matchesTraceFilters(trace, { ...f, status: "OK" }), false);
  assert.equal(matchesTraceFilters(trace, { ...f, status: "ERROR" }), true);
  assert.equal(matchesTraceFilters(trace, { ...f, minDurationMs: 300 }), false);
  assert.equal(matchesTraceFilters(trace, { ...f, maxDurationMs: 200 }), false);
  assert.equal(matchesTraceFilters(trace, { ...f, minDurationMs: 250, maxDurationMs: 250 }), true);
  assert.equal(matchesTraceFilters(trace, { ...f, search: "cart" }), true);
  assert.equal(matchesTraceFilters(trace, { ...f, search: "checkout" }), false);
});

Deno.test("sortTraces sorts by the chosen column, newest first on ties", () => {
  const list = [
    t({ traceId: "a", startUs: 1, durationUs: 30, serviceName: "b" }),
    t({ traceId: "b", startUs: 2, durationUs: 10, serviceName: "a" }),
    t({ traceId: "c", startUs: 3, durationUs: 30, serviceName: "c" }),
  ];
  assert.deepEqual(sortTraces(list, "timestamp", "desc").map((x) => x.traceId), ["c", "b", "a"]);
  assert.deepEqual(sortTraces(list, "duration", "asc").map((x) => x.traceId), ["b", "c", "a"]);
  assert.deepEqual(sortTraces(list, "service_name", "asc").map((x) => x.traceId), ["b", "a", "c"]);
  assert.deepEqual(list.map((x) => x.traceId), ["a", "b", "c"], "input left untouched");
});
