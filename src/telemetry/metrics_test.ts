import assert from "node:assert/strict";
import type { PipelineStats } from "../ingest/pipeline.ts";
import type { ExportCounters } from "../ingest/export.ts";
import { Metrics } from "./metrics.ts";

/** The value of one sample line, e.g. `argus_dlq_size` or `argus_ws_clients{stream="logs"}`. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith(series + " ")) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

const counters = (): ExportCounters => ({
  accepted: { spans: 40, logs: 30 },
  rejectedInvalid: { spans: 2, logs: 1 },
  filteredService: { spans: 5, logs: 3 },
  filteredSeverity: { logs: 7 },
  requests: { traces: 4, logs: 3 },
});

const stats = (): PipelineStats => ({
  queuedItems: 12,
  storedSpans: 35,
  storedLogs: 20,
  duplicateSpans: 1,
  duplicateLogs: 0,
  dlqBatches: 2,
  dlqFailures: 1,
  refusedOverload: 3,
  transactions: 9,
  failedTransactions: 2,
  dbAvailable: false,
});

Deno.test("scrape-time sources: counters read from the exporter, pipeline and DLQ, not counted twice", async () => {
  const m = new Metrics({ version: "1.2.3", processMetrics: false });
  m.provide({
    exporter: counters,
    pipeline: stats,
    dlq: () => Promise.resolve({ files: 4, bytes: 4096 }),
    dlqQuarantined: () => 1,
  });
  const text = await m.render();
  const expect: Record<string, number> = {
    'argus_ingestion_rate{signal="traces"}': 40,
    'argus_ingestion_rate{signal="logs"}': 30,
    'argus_ingest_items_total{signal="traces",outcome="accepted"}': 35,
    'argus_ingest_items_total{signal="traces",outcome="rejected"}': 2,
    'argus_ingest_items_total{signal="traces",outcome="filtered_service"}': 5,
    'argus_ingest_items_total{signal="logs",outcome="accepted"}': 20,
    'argus_ingest_items_total{signal="logs",outcome="filtered_severity"}': 7,
    'argus_otlp_requests_total{signal="logs"}': 3,
    "argus_ingest_queue_items": 12,
    "argus_ingest_overload_refusals_total": 3,
    'argus_stored_items_total{signal="traces"}': 35,
    'argus_db_transactions_total{outcome="committed"}': 7,
    'argus_db_transactions_total{outcome="failed"}': 2,
    "argus_db_up": 0,
    "argus_dlq_size": 4,
    "argus_dlq_bytes": 4096,
    "argus_dlq_batches_total": 2,
    "argus_dlq_write_failures_total": 1,
    "argus_dlq_quarantined_total": 1,
    "argus_ai_queue_depth": 0,
    "argus_ai_dropped_total": 0,
    'argus_build_info{version="1.2.3"}': 1,
  };
  for (const [series, value] of Object.entries(expect)) assert.equal(sample(text, series), value, series);
  // A second scrape reads the same sources again: no accumulation.
  assert.equal(sample(await m.render(), 'argus_ingestion_rate{signal="traces"}'), 40);
  assert.equal(sample(text, "process_cpu_seconds_total"), undefined);
});

Deno.test("WebSocket counts: only the known streams become label values", async () => {
  const m = new Metrics({ version: "1", processMetrics: false });
  m.provide({ wsClients: () => ({ logs: 2, health: 1, 'evil"stream': 50 } as Record<string, number>) });
  const text = await m.render();
  assert.equal(sample(text, 'argus_ws_clients{stream="logs"}'), 2);
  assert.equal(sample(text, 'argus_ws_clients{stream="events"}'), 0);
  assert.equal(sample(text, "argus_active_connections"), 3);
  assert.equal(m.activeConnections(), 3);
  assert.ok(!text.includes("evil"));
});

Deno.test("database timings: a histogram per operation; each instance has its own registry", async () => {
  const a = new Metrics({ version: "1", processMetrics: false });
  const b = new Metrics({ version: "1", processMetrics: false });
  a.observeDb("transaction", 0.003, true);
  a.observeDb("transaction", 0.2, false);
  const text = await a.render();
  assert.equal(sample(text, 'argus_db_latency_count{operation="transaction"}'), 2);
  assert.equal(sample(text, 'argus_db_latency_bucket{le="0.005",operation="transaction"}'), 1);
  assert.equal(sample(text, 'argus_db_latency_bucket{le="0.25",operation="transaction"}'), 2);
  assert.equal(sample(text, 'argus_db_errors_total{operation="transaction"}'), 1);
  assert.match(text, /# TYPE argus_db_latency histogram/);
  assert.equal(sample(await b.render(), 'argus_db_latency_count{operation="transaction"}'), 0);
});

Deno.test("process metrics work under Deno; stub Node series are left out", async () => {
  const m = new Metrics({ version: "1" });
  const res = await m.response();
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await res.text();
  assert.ok((sample(text, "process_resident_memory_bytes") ?? 0) > 0);
  assert.ok((sample(text, "nodejs_heap_size_used_bytes") ?? 0) > 0);
  assert.ok(!text.includes("nodejs_active_handles"));
});
