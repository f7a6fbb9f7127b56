import assert from "node:assert/strict";
import {
  DEFAULT_LOG_FILTERS,
  DEFAULT_TRACE_FILTERS,
  globalParams,
  hasTraceFilters,
  parseAttrFilter,
  parseLogFilters,
  parseTraceFilters,
  type TraceFilters,
  withQuery,
  writeLogFilters,
  writeTraceFilters,
} from "./url_state.ts";

Deno.test("an empty URL gives the default trace filters and writes back to nothing", () => {
  const f = parseTraceFilters(new URLSearchParams(""));
  assert.deepEqual(f, DEFAULT_TRACE_FILTERS);
  assert.equal(writeTraceFilters(new URLSearchParams(), f).toString(), "");
});

Deno.test("trace filters round-trip through the URL", () => {
  const f: TraceFilters = {
    services: ["order", "payment"],
    status: "ERROR",
    minDurationMs: 12.5,
    maxDurationMs: 900,
    search: "GET /cart",
    attrs: ["http.method=POST", "user.id=42"],
    sortBy: "duration",
    order: "asc",
    page: 3,
    pageSize: 100,
  };
  const params = writeTraceFilters(new URLSearchParams("range=1h"), f);
  assert.equal(params.get("range"), "1h");
  assert.deepEqual(params.getAll("service_name"), ["order", "payment"]);
  assert.deepEqual(parseTraceFilters(params), f);
});

Deno.test("malformed trace filter params fall back to defaults", () => {
  const f = parseTraceFilters(
    new URLSearchParams(
      "status=maybe&min_duration_ms=-3&max_duration_ms=abc&sort_by=name;drop&order_by=up&page=0&limit=x&attr=novalue&attr==x",
    ),
  );
  assert.deepEqual(f, DEFAULT_TRACE_FILTERS);
});

Deno.test("status is case-insensitive, repeated services are de-duplicated, limit is capped", () => {
  const f = parseTraceFilters(new URLSearchParams("status=error&service_name=a&service_name=a&limit=5000"));
  assert.equal(f.status, "ERROR");
  assert.deepEqual(f.services, ["a"]);
  assert.equal(f.pageSize, 1000);
});

Deno.test("parseAttrFilter splits on the first = only", () => {
  assert.deepEqual(parseAttrFilter("http.url=/a?b=c"), { key: "http.url", value: "/a?b=c" });
  assert.deepEqual(parseAttrFilter(" k = v "), { key: "k", value: "v" });
  assert.equal(parseAttrFilter("=v"), null);
  assert.equal(parseAttrFilter("novalue"), null);
});

Deno.test("log filters round-trip and reject unknown severities and malformed trace ids", () => {
  const params = new URLSearchParams(
    "severity=error&severity=FATAL&severity=LOUD&trace_id=ABCDEF0123456789abcdef0123456789&search=timeout",
  );
  const f = parseLogFilters(params);
  assert.deepEqual(f, {
    services: [],
    severities: ["ERROR", "FATAL"],
    search: "timeout",
    traceId: "abcdef0123456789abcdef0123456789",
  });
  assert.deepEqual(parseLogFilters(writeLogFilters(new URLSearchParams(), f)), f);
  assert.equal(parseLogFilters(new URLSearchParams("trace_id=xyz")).traceId, "");
  assert.equal(writeLogFilters(new URLSearchParams(), DEFAULT_LOG_FILTERS).toString(), "");
});

Deno.test("globalParams keeps only the time range; withQuery omits an empty query", () => {
  const kept = globalParams(new URLSearchParams("range=6h&status=ERROR&service_name=a"));
  assert.equal(kept.toString(), "range=6h");
  assert.equal(withQuery("/traces", kept), "/traces?range=6h");
  assert.equal(withQuery("/logs", new URLSearchParams()), "/logs");
});

Deno.test("hasTraceFilters ignores sort and paging", () => {
  assert.equal(
    hasTraceFilters({ ...DEFAULT_TRACE_FILTERS, page: 4, sortBy: "duration", pageSize: 25 }),
    false,
  );
  assert.equal(hasTraceFilters({ ...DEFAULT_TRACE_FILTERS, status: "ERROR" }), true);
  assert.equal(hasTraceFilters({ ...DEFAULT_TRACE_FILTERS, minDurationMs: 0 }), true);
  assert.equal(hasTraceFilters({ ...DEFAULT_TRACE_FILTERS, attrs: ["a=b"] }), true);
});
