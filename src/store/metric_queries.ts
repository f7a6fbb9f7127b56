/**
 * Aggregate reads: dashboard figures, traffic, latency scatter, service map,
 * RED per operation, metadata and the live snapshot. Percentiles are computed
 * the same way on every dialect (window functions pick the two closest ranks,
 * then linear interpolation as percentile_cont does), so all databases give
 * the same numbers.
 *
 * "Entry spans" — SERVER or CONSUMER spans and roots — are a service's requests
 * for the RED figures and the service map, as in Jaeger's service performance view.
 *
 * The dashboard, the service map, RED per operation and the service list read
 * the per-minute rollups (`rollups.ts`): a minute counts when it starts inside
 * the window, and percentiles are estimated from latency buckets (within one bucket, 9 %).
 * The traffic chart, the latency scatter and a dashboard filtered on several
 * services (a trace involving two of them must count once) read the raw rows.
 *
 * @module
 */

import type { Row } from "../db/contract.ts";
import { type Fragment, join, raw, scoped, spell, sql } from "../db/sql.ts";
import type { Repository } from "./repository.ts";
import {
  inList,
  interpolate,
  paging,
  percentileRanks,
  PERCENTILES,
  traceHasAnyService,
  usToMs,
} from "./query_support.ts";
import { addToHistogram, type Histogram, histogramPercentiles } from "./rollups.ts";

/** A time range and an optional service filter. */
export interface MetricQuery {
  startUs: number;
  endUs: number;
  services: string[];
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const num = (v: unknown) => v === null || v === undefined ? 0 : Number(v);

function traceRange(q: MetricQuery): Fragment {
  const where = [sql`t.start_us >= ${q.startUs}`, sql`t.start_us <= ${q.endUs}`];
  if (q.services.length) where.push(sql`(${traceHasAnyService(q.services)})`);
  return join(where, " AND ");
}

/** Rollup rows (alias `m`) of the minutes that start inside the window [start, end). */
function minuteRange(q: MetricQuery, serviceColumn?: string): Fragment {
  const where = [sql`m.minute_us >= ${q.startUs}`, sql`m.minute_us < ${q.endUs}`];
  if (serviceColumn && q.services.length) where.push(sql`m.${raw(serviceColumn)} IN (${inList(q.services)})`);
  return join(where, " AND ");
}

/** Requests, errors, duration sum and latency histogram, summed from rollup rows grouped by bucket. */
interface Red {
  n: number;
  errors: number;
  durationUs: number;
  histogram: Histogram;
}

function addRed(to: Red | undefined, r: Row): Red {
  const red = to ?? { n: 0, errors: 0, durationUs: 0, histogram: new Map() };
  red.n += num(r.n);
  red.errors += num(r.e);
  red.durationUs += num(r.d);
  addToHistogram(red.histogram, num(r.bucket), num(r.n), num(r.d));
  return red;
}

const average = (red: Red | undefined) => red && red.n ? red.durationUs / red.n : 0;

/** Percentiles of `value` per group, from `from` (a FROM … WHERE … fragment). */
async function percentiles(
  repo: Repository,
  groups: readonly string[],
  value: string,
  from: Fragment,
): Promise<Map<string, { n: number; p50: number; p95: number; p99: number }>> {
  const partition = groups.length ? `PARTITION BY ${groups.join(", ")} ` : "";
  const cols = groups.map((g, i) => `${g} AS g${i}`).join(", ");
  const rows = await repo.reads.query(
    sql`SELECT x.* FROM (SELECT ${raw(cols ? cols + ", " : "")}${raw(value)} AS v, ROW_NUMBER() OVER (${
      raw(partition)
    }ORDER BY ${raw(value)}) AS rn, COUNT(*) OVER (${raw(partition.trim())}) AS cnt ${from}) x WHERE ${
      percentileRanks("x.rn", "x.cnt")
    }`,
  );
  const picked = new Map<string, { n: number; values: Map<number, number> }>();
  for (const r of rows) {
    const key = JSON.stringify(groups.map((_, i) => String(r[`g${i}`])));
    let entry = picked.get(key);
    if (!entry) picked.set(key, entry = { n: num(r.cnt), values: new Map() });
    entry.values.set(num(r.rn), num(r.v));
  }
  const out = new Map<string, { n: number; p50: number; p95: number; p99: number }>();
  for (const [key, { n, values }] of picked) {
    out.set(key, {
      n,
      p50: interpolate(values, n, 50),
      p95: interpolate(values, n, 95),
      p99: interpolate(values, n, 99),
    });
  }
  return out;
}

interface TraceFigures {
  total: number;
  errors: number;
  spans: number;
  avgUs: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Trace counts and latency of the window: from `trace_minutes`, unless several services filter it. */
async function traceFigures(repo: Repository, q: MetricQuery): Promise<TraceFigures> {
  if (q.services.length > 1) {
    // A trace involving two of the services is one trace: the per-service rollups cannot tell.
    const [traces, pct] = await Promise.all([
      repo.reads.query(
        sql`SELECT COUNT(*) AS n, SUM(CASE WHEN t.status = 'ERROR' THEN 1 ELSE 0 END) AS e, SUM(t.span_count) AS spans, AVG(t.duration_us * 1.0) AS avg_us FROM ${
          scoped("traces")
        } t WHERE ${traceRange(q)}`,
      ),
      percentiles(repo, [], "t.duration_us", sql`FROM ${scoped("traces")} t WHERE ${traceRange(q)}`),
    ]);
    const p = pct.get("[]") ?? { p50: 0, p95: 0, p99: 0 };
    return {
      total: num(traces[0]?.n),
      errors: num(traces[0]?.e),
      spans: num(traces[0]?.spans),
      avgUs: num(traces[0]?.avg_us),
      ...p,
    };
  }
  const rows = await repo.reads.query(
    sql`SELECT m.bucket, SUM(m.trace_count) AS n, SUM(m.error_count) AS e, SUM(m.span_count) AS spans, SUM(m.duration_sum_us) AS d FROM ${
      scoped("trace_minutes")
    } m WHERE ${minuteRange(q)} AND m.service_name = ${q.services[0] ?? ""} GROUP BY m.bucket`,
  );
  let red: Red | undefined;
  let spans = 0;
  for (const r of rows) {
    red = addRed(red, r);
    spans += num(r.spans);
  }
  const [p50, p95, p99] = histogramPercentiles(red?.histogram ?? new Map(), PERCENTILES);
  return { total: red?.n ?? 0, errors: red?.errors ?? 0, spans, avgUs: average(red), p50, p95, p99 };
}

/** DashboardStats of SPEC §6. */
export async function dashboard(repo: Repository, q: MetricQuery) {
  const [t, logs, services] = await Promise.all([
    traceFigures(repo, q),
    repo.reads.query(
      sql`SELECT SUM(m.record_count) AS n, SUM(CASE WHEN m.severity_number >= 17 THEN m.record_count ELSE 0 END) AS e FROM ${
        scoped("log_minutes")
      } m WHERE ${minuteRange(q, "service_name")}`,
    ),
    repo.reads.query(
      sql`SELECT COUNT(DISTINCT m.service_name) AS n FROM ${scoped("span_minutes")} m WHERE ${
        minuteRange(q, "service_name")
      }`,
    ),
  ]);
  const minutes = Math.max(1, (q.endUs - q.startUs) / 60_000_000);
  return {
    total_traces: t.total,
    total_spans: t.spans,
    total_logs: num(logs[0]?.n),
    error_traces: t.errors,
    error_rate: t.total ? round3(t.errors / t.total) : 0,
    error_logs: num(logs[0]?.e),
    avg_latency_ms: usToMs(t.avgUs),
    p50_latency_ms: usToMs(t.p50),
    p95_latency_ms: usToMs(t.p95),
    p99_latency_ms: usToMs(t.p99),
    throughput_per_min: round3(t.total / minutes),
    active_services: num(services[0]?.n),
  };
}

/** The bucket width for about 60 buckets over a range, in whole seconds. */
export function bucketWidthUs(startUs: number, endUs: number, buckets = 60): number {
  return Math.max(1, Math.ceil((endUs - startUs) / buckets / 1_000_000)) * 1_000_000;
}

/** Traces and error traces per bucket, every bucket present. */
export async function traffic(repo: Repository, q: MetricQuery) {
  const width = bucketWidthUs(q.startUs, q.endUs);
  const bucket = spell((s, emit) => s.intDiv(emit(sql`t.start_us - ${q.startUs}`), emit(sql`${width}`)));
  const rows = await repo.reads.query(
    sql`SELECT x.b, COUNT(*) AS n, SUM(x.e) AS e FROM (SELECT ${bucket} AS b, CASE WHEN t.status = 'ERROR' THEN 1 ELSE 0 END AS e FROM ${
      scoped("traces")
    } t WHERE ${traceRange(q)}) x GROUP BY x.b`,
  );
  const counts = new Map(rows.map((r) => [num(r.b), { n: num(r.n), e: num(r.e) }]));
  const out = [];
  for (let b = 0; q.startUs + b * width <= q.endUs; b++) {
    const c = counts.get(b);
    out.push({
      timestamp: new Date((q.startUs + b * width) / 1000).toISOString(),
      count: c?.n ?? 0,
      error_count: c?.e ?? 0,
    });
  }
  return out;
}

/** Trace start times and durations (ms), at most `max` points, evenly sampled in time order. */
export async function latencyHeatmap(repo: Repository, q: MetricQuery, max = 2000) {
  const [count] = await repo.reads.query(
    sql`SELECT COUNT(*) AS n FROM ${scoped("traces")} t WHERE ${traceRange(q)}`,
  );
  const step = Math.max(1, Math.ceil(num(count?.n) / max));
  const rows = await repo.reads.query(
    sql`SELECT x.start_us, x.duration_us FROM (SELECT t.start_us, t.duration_us, ROW_NUMBER() OVER (ORDER BY t.start_us, t.trace_id) AS rn FROM ${
      scoped("traces")
    } t WHERE ${traceRange(q)}) x WHERE (x.rn - 1) % ${step} = 0 ORDER BY x.start_us`,
  );
  return rows.map((r) => ({
    timestamp: new Date(num(r.start_us) / 1000).toISOString(),
    duration: usToMs(num(r.duration_us)),
  }));
}

/** Requests per service (and operation, when `byOperation`) by latency bucket, from `span_minutes`. */
async function requests(repo: Repository, q: MetricQuery, byOperation: boolean): Promise<Map<string, Red>> {
  const group = byOperation ? "m.service_name, m.name" : "m.service_name";
  const rows = await repo.reads.query(
    sql`SELECT ${
      raw(group)
    }, m.bucket, SUM(m.span_count) AS n, SUM(m.error_count) AS e, SUM(m.duration_sum_us) AS d FROM ${
      scoped("span_minutes")
    } m WHERE ${minuteRange(q, "service_name")} AND m.bucket >= 0 GROUP BY ${raw(group)}, m.bucket`,
  );
  const out = new Map<string, Red>();
  for (const r of rows) {
    const key = JSON.stringify(
      byOperation ? [String(r.service_name), String(r.name)] : [String(r.service_name)],
    );
    out.set(key, addRed(out.get(key), r));
  }
  return out;
}

/** Nodes (services, from their entry spans) and edges (a parent in one service, its child in another). */
export async function serviceMap(repo: Repository, q: MetricQuery) {
  const [nodes, edges] = await Promise.all([
    requests(repo, q, false),
    repo.reads.query(
      sql`SELECT m.parent_service, m.child_service, SUM(m.call_count) AS n, SUM(m.error_count) AS e, SUM(m.duration_sum_us) AS d FROM ${
        scoped("edge_minutes")
      } m WHERE ${minuteRange(q, "child_service")} GROUP BY m.parent_service, m.child_service`,
    ),
  ]);
  const byName = new Map<
    string,
    {
      id: string;
      name: string;
      request_count: number;
      error_count: number;
      avg_latency_ms: number;
      p95_latency_ms: number;
    }
  >();
  for (const [key, red] of nodes) {
    const [name] = JSON.parse(key) as string[];
    byName.set(name, {
      id: name,
      name,
      request_count: red.n,
      error_count: red.errors,
      avg_latency_ms: usToMs(average(red)),
      p95_latency_ms: usToMs(histogramPercentiles(red.histogram, [95])[0]),
    });
  }
  const edgeList = edges.map((r) => {
    const n = num(r.n);
    return {
      source: String(r.parent_service),
      target: String(r.child_service),
      call_count: n,
      error_count: num(r.e),
      avg_latency_ms: usToMs(n ? num(r.d) / n : 0),
    };
  }).filter((e) => e.call_count > 0);
  for (const e of edgeList) {
    for (const name of [e.source, e.target]) {
      if (!byName.has(name)) {
        byName.set(name, {
          id: name,
          name,
          request_count: 0,
          error_count: 0,
          avg_latency_ms: 0,
          p95_latency_ms: 0,
        });
      }
    }
  }
  const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    nodes: [...byName.values()].sort(byKey((n) => n.id)),
    edges: edgeList.sort(byKey((e) => `${e.source}\u0000${e.target}`)),
  };
}

/** RED per service and operation over entry spans. */
export async function serviceStats(repo: Repository, q: MetricQuery) {
  const minutes = Math.max(1 / 60, (q.endUs - q.startUs) / 60_000_000);
  return [...(await requests(repo, q, true))].map(([key, red]) => {
    const [service_name, operation] = JSON.parse(key) as string[];
    const [p50, p95, p99] = histogramPercentiles(red.histogram, PERCENTILES);
    return {
      service_name,
      operation,
      request_count: red.n,
      error_count: red.errors,
      rate_per_min: round3(red.n / minutes),
      error_rate: red.n ? round3(red.errors / red.n) : 0,
      avg_ms: usToMs(average(red)),
      p50_ms: usToMs(p50),
      p95_ms: usToMs(p95),
      p99_ms: usToMs(p99),
    };
  }).filter((r) => r.request_count > 0).sort((a, b) =>
    a.service_name.localeCompare(b.service_name) || a.operation.localeCompare(b.operation)
  );
}

/** Services seen in spans or logs in the range, sorted. */
export async function serviceNames(repo: Repository, q: MetricQuery): Promise<string[]> {
  const all = { ...q, services: [] };
  const [spans, logs] = await Promise.all([
    repo.reads.query(
      sql`SELECT DISTINCT m.service_name FROM ${scoped("span_minutes")} m WHERE ${minuteRange(all)}`,
    ),
    repo.reads.query(
      sql`SELECT DISTINCT m.service_name FROM ${scoped("log_minutes")} m WHERE ${minuteRange(all)}`,
    ),
  ]);
  return [...new Set([...spans, ...logs].map((r) => String(r.service_name)))].sort();
}

/**
 * Span names of one service in the range (whole minutes, as the service list), sorted. Read from
 * the per-minute span rollup, which counts every span (bucket -1 holds the ones that are not
 * requests): spans have no index by service and time (migration 0006).
 */
export async function operationNames(repo: Repository, q: MetricQuery, service: string): Promise<string[]> {
  const rows = await repo.reads.query(
    sql`SELECT DISTINCT m.name FROM ${scoped("span_minutes")} m WHERE ${
      minuteRange({ ...q, services: [] })
    } AND m.service_name = ${service} ORDER BY m.name ${paging(1000, 0)}`,
  );
  // Sorted here, not by the database: collations differ between dialects.
  return rows.map((r) => String(r.name)).sort();
}
