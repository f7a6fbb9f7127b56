import assert from "node:assert/strict";
import { DEFAULT_LOG_FILTERS, DEFAULT_TRACE_FILTERS } from "../model/url_state.ts";
import { logListParams, rangeParams, traceListParams } from "./params.ts";

const NOW = 1_714_560_000_000;

Deno.test("rangeParams resolves a relative range against now and repeats service_name", () => {
  const p = rangeParams({ kind: "relative", duration: "1h" }, NOW, ["a", "b"]);
  assert.equal(p.toString(), `start=${NOW - 3_600_000}&end=${NOW}&service_name=a&service_name=b`);
});

Deno.test("traceListParams sends filters with the API's names and an offset from the page", () => {
  const p = traceListParams(
    {
      ...DEFAULT_TRACE_FILTERS,
      status: "ERROR",
      minDurationMs: 5,
      search: " checkout ",
      attrs: ["http.method=POST"],
      sortBy: "duration",
      order: "asc",
      page: 3,
      pageSize: 25,
    },
    { kind: "absolute", startMs: 1000, endMs: 2000 },
    NOW,
  );
  assert.equal(
    p.toString(),
    "start=1000&end=2000&status=ERROR&search=checkout&min_duration_ms=5&attr=http.method%3DPOST" +
      "&sort_by=duration&order_by=asc&limit=25&offset=50",
  );
});

Deno.test("logListParams repeats severity and passes trace_id", () => {
  const p = logListParams(
    { ...DEFAULT_LOG_FILTERS, severities: ["ERROR", "FATAL"], traceId: "a".repeat(32) },
    { kind: "absolute", startMs: 1000, endMs: 2000 },
    NOW,
    200,
    400,
  );
  assert.deepEqual(p.getAll("severity"), ["ERROR", "FATAL"]);
  assert.equal(p.get("trace_id"), "a".repeat(32));
  assert.equal(p.get("offset"), "400");
});
