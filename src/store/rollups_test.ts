import assert from "node:assert/strict";
import { liveDialects } from "../../tests/support/databases.ts";
import { log, span, spanId, traceId } from "../../tests/support/fixtures.ts";
import { dashboard, serviceMap, serviceNames, serviceStats } from "./metric_queries.ts";
import { interpolate } from "./query_support.ts";
import {
  addToHistogram,
  bucketBounds,
  bucketOf,
  type Histogram,
  histogramPercentiles,
  isEntrySpan,
  MINUTE_US,
  minuteOf,
  rollupDeltas,
} from "./rollups.ts";
import type { SpanRow } from "./rows.ts";
import { Store } from "./store.ts";

/** percentile_cont over exact values, as the raw-row queries compute it. */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const ranks = new Map(sorted.map((v, i) => [i + 1, v]));
  return interpolate(ranks, sorted.length, p);
}

function histogramOf(values: number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) addToHistogram(h, bucketOf(v), 1, v);
  return h;
}

/** A deterministic pseudo-random sequence (xorshift). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

Deno.test("bucketOf: every duration lies inside its bucket's bounds; sub-µs durations share bucket 0", () => {
  const next = random(7);
  const samples = [0, 0.5, 1, 2, 3, 1000, 1024, 999_999, 2 ** 40];
  for (let i = 0; i < 5000; i++) samples.push(Math.floor(next() ** 4 * 3.6e9));
  for (const d of samples) {
    const b = bucketOf(d);
    const [lo, hi] = bucketBounds(b);
    assert.ok(lo <= d && d < hi, `${d} in bucket ${b} = [${lo}, ${hi})`);
  }
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(-5), 0);
  assert.ok(bucketOf(2) > bucketOf(1));
});

Deno.test("histogramPercentiles: within 4.5 % of percentile_cont on random latencies, exact for values alone in their buckets", () => {
  const next = random(42);
  for (const size of [1, 2, 5, 50, 1000, 20_000]) {
    // Log-normal-ish latencies from 100 µs to a few seconds, plus a slow tail.
    const values = Array.from(
      { length: size },
      () => Math.round(100 * Math.exp(next() * 9) + (next() < 0.02 ? 5e6 : 0)),
    );
    const estimates = histogramPercentiles(histogramOf(values), [50, 95, 99]);
    [50, 95, 99].forEach((p, i) => {
      const want = exact(values, p);
      assert.ok(Math.abs(estimates[i] - want) <= 0.045 * want, `n=${size} p${p}: ${estimates[i]} vs ${want}`);
    });
  }
  // 20, 100, 300 and 500 ms fall in four different buckets: the bucket means are the values.
  const spread = [20_000, 100_000, 300_000, 500_000];
  assert.deepEqual(
    histogramPercentiles(histogramOf(spread), [50, 95, 99]),
    [50, 95, 99].map((p) => exact(spread, p)),
  );
  assert.deepEqual(histogramPercentiles(new Map(), [50, 95]), [0, 0]);
  // The worst case stays within one bucket (2^(1/8) ≈ 9 %): the estimate and the value at opposite ends.
  const skewed = [...Array(989).fill(942), ...Array(11).fill(1023)];
  const [p99] = histogramPercentiles(histogramOf(skewed), [99]);
  assert.ok(Math.abs(p99 - exact(skewed, 99)) <= (2 ** (1 / 8) - 1) * exact(skewed, 99), `${p99}`);
});

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0) * 1000;

Deno.test("rollupDeltas: an edge is counted once, when the second of parent and child arrives", () => {
  const parent = span({
    trace_id: traceId(1),
    span_id: spanId(1),
    service_name: "web",
    kind: "CLIENT",
    start_us: T0,
  });
  const child = span({
    trace_id: traceId(1),
    span_id: spanId(2),
    parent_span_id: spanId(1),
    service_name: "db",
    status_code: "ERROR",
    start_us: T0 + 10,
    end_us: T0 + 510,
  });
  const sameService = span({
    trace_id: traceId(1),
    span_id: spanId(3),
    parent_span_id: spanId(1),
    service_name: "web",
    kind: "INTERNAL",
    start_us: T0 + 20,
  });
  const edge = [[minuteOf(T0), "web", "db", 1, 1, 500]];
  // Both in one batch.
  assert.deepEqual(rollupDeltas([parent, child, sameService], [], [], []).edge_minutes, edge);
  // Child first: no edge yet (its parent is unknown), then the parent's batch finds the stored child.
  assert.deepEqual(rollupDeltas([child], [], [], []).edge_minutes, []);
  assert.deepEqual(rollupDeltas([parent], [child, sameService], [], []).edge_minutes, edge);
  // Parent first, then the child: the child's batch finds the stored parent.
  assert.deepEqual(rollupDeltas([child], [parent], [], []).edge_minutes, edge);
  // Both stored already (a replayed batch has no fresh spans): nothing more.
  assert.deepEqual(rollupDeltas([], [parent, child], [], []).edge_minutes, []);
});

Deno.test("rollupDeltas: a changed trace summary takes its old contribution back", () => {
  const before = {
    trace_id: traceId(1),
    service_name: "web",
    name: "GET /",
    root_span_id: spanId(1),
    start_us: T0 + 30 * 1_000_000,
    end_us: T0 + 31 * 1_000_000,
    duration_us: 1_000_000,
    status: "OK" as const,
    span_count: 2,
    error_count: 0,
    services: ["web"],
  };
  // A late span moves the start into the previous minute and fails.
  const after = {
    ...before,
    start_us: T0 - 1_000_000,
    duration_us: 32_000_000,
    status: "ERROR" as const,
    span_count: 3,
    error_count: 1,
    services: ["db", "web"],
  };
  const rows = rollupDeltas([], [], [{ before, after }], []).trace_minutes;
  const b0 = bucketOf(before.duration_us), b1 = bucketOf(after.duration_us);
  assert.deepEqual(rows, [
    [T0, "", b0, -1, 0, -2, -1_000_000],
    [T0, "web", b0, -1, 0, -2, -1_000_000],
    [T0 - MINUTE_US, "", b1, 1, 1, 3, 32_000_000],
    [T0 - MINUTE_US, "db", b1, 1, 1, 3, 32_000_000],
    [T0 - MINUTE_US, "web", b1, 1, 1, 3, 32_000_000],
  ]);
  // A summary that did not move nets out to nothing.
  assert.deepEqual(rollupDeltas([], [], [{ before, after: before }], []).trace_minutes, []);
});

/** Traces over 10 minutes: web → api → (db | cache), some failing, random durations. */
function workload(): SpanRow[] {
  const next = random(3);
  const spans: SpanRow[] = [];
  for (let t = 1; t <= 300; t++) {
    const start = T0 + Math.floor(next() * 10 * MINUTE_US);
    const d = () => Math.floor(1000 + next() * next() * 2_000_000);
    const fail = next() < 0.1;
    const root = span({
      trace_id: traceId(t),
      span_id: spanId(1),
      name: next() < 0.5 ? "GET /a" : "GET /b",
      service_name: "web",
      start_us: start,
      end_us: start + d() + 2_000_000,
    });
    const call = span({
      trace_id: traceId(t),
      span_id: spanId(2),
      parent_span_id: spanId(1),
      name: "call api",
      service_name: "web",
      kind: "CLIENT",
      start_us: start + 10,
      end_us: start + 10 + d(),
    });
    const api = span({
      trace_id: traceId(t),
      span_id: spanId(3),
      parent_span_id: spanId(2),
      name: "handle",
      service_name: "api",
      kind: "SERVER",
      start_us: start + 20,
      end_us: start + 20 + d(),
      status_code: fail ? "ERROR" : "OK",
    });
    const store = span({
      trace_id: traceId(t),
      span_id: spanId(4),
      parent_span_id: spanId(3),
      name: "query",
      service_name: next() < 0.5 ? "db" : "cache",
      kind: "SERVER",
      start_us: start + 30,
      end_us: start + 30 + d(),
    });
    spans.push(root, call, api, store);
  }
  return spans;
}

for (const dialect of liveDialects().run) {
  Deno.test(`rollups on ${dialect.name}: spans in any order and batch, with retries, give the raw rows' figures`, async () => {
    const { db, close } = await dialect.fresh();
    try {
      const repo = new Store(db).forTenant("acme");
      const spans = workload();
      // Shuffled into batches of 37, so parents and children of a trace arrive in different batches and
      // in either order; then a third of the batches is sent again, as a retrying client would.
      const next = random(11);
      const shuffled = [...spans].sort(() => next() - 0.5);
      const batches: SpanRow[][] = [];
      for (let i = 0; i < shuffled.length; i += 37) batches.push(shuffled.slice(i, i + 37));
      for (const b of batches) await repo.writeBatch(b, []);
      for (let i = 0; i < batches.length; i += 3) await repo.writeBatch(batches[i], []);
      await repo.writeBatch([], [
        log(1, { timestamp_us: T0 + 5, service_name: "web", severity_number: 17, severity: "ERROR" }),
        log(2, { timestamp_us: T0 + 6, service_name: "worker" }),
      ]);

      const q = { startUs: T0, endUs: T0 + 10 * MINUTE_US, services: [] as string[] };
      const entry = spans.filter(isEntrySpan);
      const byService = Map.groupBy(entry, (s) => s.service_name);
      const map = await serviceMap(repo, q);
      assert.deepEqual(map.nodes.map((n) => [n.name, n.request_count, n.error_count]), [
        ...["api", "cache", "db", "web"].map((name) => {
          const list = byService.get(name) ?? [];
          return [name, list.length, list.filter((s) => s.status_code === "ERROR").length];
        }),
      ]);
      for (const n of map.nodes) {
        const durations = byService.get(n.name)!.map((s) => s.duration_us);
        const avg = durations.reduce((a, b) => a + b, 0) / durations.length;
        assert.ok(Math.abs(n.avg_latency_ms * 1000 - avg) <= 1, `${n.name} avg`);
        const p95 = exact(durations, 95);
        assert.ok(Math.abs(n.p95_latency_ms * 1000 - p95) <= 0.045 * p95, `${n.name} p95`);
      }
      const byId = new Map(spans.map((s) => [s.trace_id + s.span_id, s]));
      const calls = new Map<string, number>();
      for (const c of spans) {
        const p = byId.get(c.trace_id + c.parent_span_id);
        if (p && p.service_name !== c.service_name) {
          const key = `${p.service_name}>${c.service_name}`;
          calls.set(key, (calls.get(key) ?? 0) + 1);
        }
      }
      assert.deepEqual(
        map.edges.map((e) => [`${e.source}>${e.target}`, e.call_count]),
        [...calls].sort(([a], [b]) => a < b ? -1 : 1),
      );
      assert.equal(
        map.edges.find((e) => e.target === "api")?.error_count,
        entry.filter((s) => s.service_name === "api" && s.status_code === "ERROR").length,
      );

      // The dashboard's trace figures: the summaries as the traces table holds them.
      const d = await dashboard(repo, q);
      const summaries = await db.driver.query("SELECT duration_us, status, span_count FROM traces", []);
      assert.equal(d.total_traces, 300);
      assert.equal(d.total_spans, spans.length);
      assert.equal(d.error_traces, summaries.filter((t) => t.status === "ERROR").length);
      const traceDurations = summaries.map((t) => Number(t.duration_us));
      const p99 = exact(traceDurations, 99);
      assert.ok(Math.abs(d.p99_latency_ms * 1000 - p99) <= 0.045 * p99);
      assert.deepEqual([d.total_logs, d.error_logs, d.active_services], [2, 1, 4]);
      // Filtered on one service: the traces involving it.
      const viaDb = await dashboard(repo, { ...q, services: ["db"] });
      const dbTraces = new Set(spans.filter((s) => s.service_name === "db").map((s) => s.trace_id));
      assert.equal(viaDb.total_traces, dbTraces.size);
      assert.equal(viaDb.active_services, 1);
      // Filtered on two: the raw rows count a trace involving both once.
      const both = await dashboard(repo, { ...q, services: ["db", "cache"] });
      assert.equal(both.total_traces, 300);

      const red = await serviceStats(repo, q);
      const webA = entry.filter((s) => s.name === "GET /a");
      assert.equal(red.find((r) => r.operation === "GET /a")?.request_count, webA.length);
      assert.deepEqual(await serviceNames(repo, q), ["api", "cache", "db", "web", "worker"]);
      // A window that starts after the data's last minute sees none of it.
      const later = await serviceMap(repo, {
        ...q,
        startUs: T0 + 10 * MINUTE_US + 1,
        endUs: T0 + 20 * MINUTE_US,
      });
      assert.deepEqual(later, { nodes: [], edges: [] });
    } finally {
      await close();
    }
  });
}

for (const dialect of liveDialects().run) {
  Deno.test(`rollups on ${dialect.name}: a service name empty once cleaned is unknown_service, not the all-traces row`, async () => {
    const { db, close } = await dialect.fresh();
    try {
      const repo = new Store(db).forTenant("acme");
      await repo.writeBatch([
        span({ trace_id: traceId(1), service_name: "\u0000", start_us: T0 }),
        span({ trace_id: traceId(2), service_name: "  ", start_us: T0 + 1 }),
        span({ trace_id: traceId(3), service_name: "web", start_us: T0 + 2 }),
      ], []);
      const q = { startUs: T0, endUs: T0 + MINUTE_US, services: [] as string[] };
      assert.equal((await dashboard(repo, q)).total_traces, 3);
      assert.deepEqual(await serviceNames(repo, q), ["unknown_service", "web"]);
      assert.equal((await dashboard(repo, { ...q, services: ["unknown_service"] })).total_traces, 2);
    } finally {
      await close();
    }
  });
}
