import assert from "node:assert/strict";
import {
  num,
  timeMs,
  toDashboard,
  toDlqFiles,
  toLiveSnapshot,
  toLogEntry,
  toServiceStats,
  toSpan,
  toTraceSummary,
  toTraffic,
} from "./convert.ts";
import type { WireDashboardStats, WireLogEntry, WireSpan } from "./wire.ts";

Deno.test("num accepts numbers and numeric strings (64-bit values from some drivers)", () => {
  assert.equal(num(5), 5);
  assert.equal(num("1714559696789000"), 1714559696789000);
  assert.equal(num("abc", -1), -1);
  assert.equal(num(null), 0);
});

Deno.test("timeMs reads RFC 3339 and epoch seconds, ms, µs and ns by magnitude", () => {
  const ms = Date.UTC(2024, 4, 1, 10, 34, 56, 789);
  assert.equal(timeMs("2024-05-01T10:34:56.789Z"), ms);
  assert.equal(timeMs(ms), ms);
  assert.equal(timeMs(String(ms)), ms);
  assert.equal(timeMs(ms * 1000), ms);
  assert.equal(timeMs(ms * 1e6), ms);
  assert.equal(timeMs(1714559696), 1714559696000);
  assert.ok(Number.isNaN(timeMs("soon")));
});

Deno.test("toTraceSummary converts snake_case wire fields and string integers", () => {
  const t = toTraceSummary({
    trace_id: "ab".repeat(16),
    service_name: "order",
    name: "GET /cart",
    start_us: "1714559696789000",
    timestamp: "2024-05-01T10:34:56.789Z",
    duration_us: 1500,
    duration_ms: 1.5,
    status: "ERROR",
    span_count: "12",
    error_count: 2,
    services: ["order", "payment"],
  });
  assert.deepEqual(t, {
    traceId: "ab".repeat(16),
    serviceName: "order",
    name: "GET /cart",
    startUs: 1714559696789000,
    durationUs: 1500,
    status: "ERROR",
    spanCount: 12,
    errorCount: 2,
    services: ["order", "payment"],
  });
});

Deno.test("toSpan keeps attribute objects as sorted rows and reads event times", () => {
  const span = toSpan({
    trace_id: "t",
    span_id: "s",
    parent_span_id: "",
    name: "SELECT",
    service_name: "db",
    kind: "CLIENT",
    start_us: 10,
    end_us: 30,
    duration_us: 20,
    status_code: "UNSET",
    status_message: "",
    attributes: { "z": 1, "a": "<script>" },
    resource_attributes: { "service.name": "db" },
    events: [{ name: "exception", time_us: 15, attributes: { "exception.message": "boom" } }, {
      name: "nano",
      time_unix_nano: "20000",
    }],
    links: [],
    scope_name: "pg",
    scope_version: "1.0",
  } as WireSpan);
  assert.deepEqual(span.attributes.map((a) => a.key), ["a", "z"]);
  assert.equal(span.attributes[0].value, "<script>");
  assert.equal(span.events[0].timeUs, 15);
  assert.equal(span.events[1].timeUs, 20);
  assert.equal(span.status, "UNSET");
});

Deno.test("toLogEntry turns a numeric id into a string and a null insight into ''", () => {
  const log = toLogEntry({
    id: 42,
    timestamp_us: 5,
    timestamp: "",
    trace_id: "",
    span_id: "",
    severity: "ERROR",
    severity_number: 17,
    body: "boom",
    service_name: "order",
    attributes: {},
    resource_attributes: {},
    ai_insight: null,
    ai_status: "weird",
  } as WireLogEntry);
  assert.equal(log.id, "42");
  assert.equal(log.aiInsight, "");
  assert.equal(log.aiStatus, "none");
});

Deno.test("toDashboard computes the error share from counts, else reads error_rate as 0..1 or %", () => {
  const base = { total_traces: 200, error_traces: 10, error_rate: 5 } as WireDashboardStats;
  assert.equal(toDashboard(base).errorRate, 0.05);
  assert.equal(toDashboard({ ...base, total_traces: 0, error_rate: 0.2 }).errorRate, 0.2);
  assert.equal(toDashboard({ ...base, total_traces: 0, error_rate: 20 }).errorRate, 0.2);
});

Deno.test("toTraffic sorts buckets by time and drops unreadable ones", () => {
  const pts = toTraffic([
    { timestamp: "2024-05-01T10:01:00Z", count: 3, error_count: 1 },
    { timestamp: "2024-05-01T10:00:00Z", count: 5, error_count: 0 },
    { timestamp: "never", count: 1, error_count: 0 },
  ]);
  assert.deepEqual(pts.map((p) => p.count), [5, 3]);
});

Deno.test("toServiceStats accepts the expected and the alternative field names", () => {
  const rows = toServiceStats({
    data: [
      {
        service_name: "a",
        operation: "GET",
        request_count: 100,
        error_count: 5,
        rate_per_min: 10,
        p95_ms: 80,
      },
      { service: "b", operation_name: "POST", count: 10, error_rate: 0.1, rate: 2, p95_latency_ms: 9 },
    ],
  });
  assert.deepEqual(rows.map((r) => [r.serviceName, r.operation, r.errorRate, r.ratePerMin, r.p95Ms]), [
    ["a", "GET", 0.05, 10, 80],
    ["b", "POST", 0.1, 2, 9],
  ]);
});

Deno.test("toDlqFiles reads a bare list or one under data, with ages given or derived", () => {
  const now = 1_714_560_000_000;
  assert.deepEqual(toDlqFiles([{ name: "batch_1_0.json", size_bytes: 10, age_s: 5, attempts: 2 }], now), [
    { name: "batch_1_0.json", sizeBytes: 10, ageS: 5, attempts: 2 },
  ]);
  assert.deepEqual(toDlqFiles({ data: [{ file: "x", size: 3, created_ms: now - 60_000 }] }, now), [
    { name: "x", sizeBytes: 3, ageS: 60, attempts: 0 },
  ]);
  assert.deepEqual(toDlqFiles({ unexpected: true }), []);
});

Deno.test("toLiveSnapshot converts every part", () => {
  const snap = toLiveSnapshot({
    type: "snapshot",
    service: "",
    window: { start: "2024-05-01T10:00:00Z", end: 1714558500000 },
    dashboard: { total_traces: 1 } as WireDashboardStats,
    traffic: [],
    traces: [],
    service_map: {
      nodes: [{ id: "a", name: "a", request_count: 1, error_count: 0, avg_latency_ms: 1, p95_latency_ms: 2 }],
      edges: [],
    },
  });
  assert.equal(snap.window.startMs, Date.UTC(2024, 4, 1, 10));
  assert.equal(snap.window.endMs, 1714558500000);
  assert.equal(snap.dashboard.totalTraces, 1);
  assert.equal(snap.serviceMap.nodes[0].p95LatencyMs, 2);
});
