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
 * @module
 */

import { type Fragment, join, raw, scoped, spell, sql } from "../db/sql.ts";
import type { Repository } from "./repository.ts";
import { inList, interpolate, paging, percentileRanks, traceHasAnyService, usToMs } from "./query_support.ts";

/** A time range and an optional service filter. */
export interface MetricQuery {
  startUs: number;
  endUs: number;
  services: string[];
}

const ENTRY = "(s.kind IN ('SERVER', 'CONSUMER') OR s.parent_span_id = '')";
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const num = (v: unknown) => v === null || v === undefined ? 0 : Number(v);

function traceRange(q: MetricQuery): Fragment {
  const where = [sql`t.start_us >= ${q.startUs}`, sql`t.start_us <= ${q.endUs}`];
  if (q.services.length) where.push(sql`(${traceHasAnyService(q.services)})`);
  return join(where, " AND ");
}

function spanRange(q: MetricQuery, alias = "s"): Fragment {
  const where = [sql`${raw(alias)}.start_us >= ${q.startUs}`, sql`${raw(alias)}.start_us <= ${q.endUs}`];
  if (q.services.length) where.push(sql`${raw(alias)}.service_name IN (${inList(q.services)})`);
  return join(where, " AND ");
}

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

/** DashboardStats of SPEC §6. */
export async function dashboard(repo: Repository, q: MetricQuery) {
  const logWhere = [sql`l.timestamp_us >= ${q.startUs}`, sql`l.timestamp_us <= ${q.endUs}`];
  if (q.services.length) logWhere.push(sql`l.service_name IN (${inList(q.services)})`);
  const [traces, logs, services, pct] = await Promise.all([
    repo.reads.query(
      sql`SELECT COUNT(*) AS n, SUM(CASE WHEN t.status = 'ERROR' THEN 1 ELSE 0 END) AS e, SUM(t.span_count) AS spans, AVG(t.duration_us * 1.0) AS avg_us FROM ${
        scoped("traces")
      } t WHERE ${traceRange(q)}`,
    ),
    repo.reads.query(
      sql`SELECT COUNT(*) AS n, SUM(CASE WHEN l.severity_number >= 17 THEN 1 ELSE 0 END) AS e FROM ${
        scoped("logs")
      } l WHERE ${join(logWhere, " AND ")}`,
    ),
    repo.reads.query(
      sql`SELECT COUNT(DISTINCT s.service_name) AS n FROM ${scoped("spans")} s WHERE ${spanRange(q)}`,
    ),
    percentiles(repo, [], "t.duration_us", sql`FROM ${scoped("traces")} t WHERE ${traceRange(q)}`),
  ]);
  const total = num(traces[0]?.n);
  const errors = num(traces[0]?.e);
  const p = pct.get("[]") ?? { p50: 0, p95: 0, p99: 0 };
  const minutes = Math.max(1, (q.endUs - q.startUs) / 60_000_000);
  return {
    total_traces: total,
    total_spans: num(traces[0]?.spans),
    total_logs: num(logs[0]?.n),
    error_traces: errors,
    error_rate: total ? round3(errors / total) : 0,
    error_logs: num(logs[0]?.e),
    avg_latency_ms: usToMs(num(traces[0]?.avg_us)),
    p50_latency_ms: usToMs(p.p50),
    p95_latency_ms: usToMs(p.p95),
    p99_latency_ms: usToMs(p.p99),
    throughput_per_min: round3(total / minutes),
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

/** Nodes (services, from their entry spans) and edges (a parent in one service, its child in another). */
export async function serviceMap(repo: Repository, q: MetricQuery) {
  const entryFrom = sql`FROM ${scoped("spans")} s WHERE ${spanRange(q)} AND ${raw(ENTRY)}`;
  const [nodes, pct, edges] = await Promise.all([
    repo.reads.query(
      sql`SELECT s.service_name, COUNT(*) AS n, SUM(CASE WHEN s.status_code = 'ERROR' THEN 1 ELSE 0 END) AS e, AVG(s.duration_us * 1.0) AS avg_us ${entryFrom} GROUP BY s.service_name`,
    ),
    percentiles(repo, ["s.service_name"], "s.duration_us", entryFrom),
    repo.reads.query(
      sql`SELECT p.service_name AS source, c.service_name AS target, COUNT(*) AS n, SUM(CASE WHEN c.status_code = 'ERROR' THEN 1 ELSE 0 END) AS e, AVG(c.duration_us * 1.0) AS avg_us FROM ${
        scoped("spans")
      } c JOIN ${scoped("spans")} p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id WHERE ${
        spanRange(q, "c")
      } AND p.service_name <> c.service_name GROUP BY p.service_name, c.service_name`,
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
  for (const r of nodes) {
    const name = String(r.service_name);
    byName.set(name, {
      id: name,
      name,
      request_count: num(r.n),
      error_count: num(r.e),
      avg_latency_ms: usToMs(num(r.avg_us)),
      p95_latency_ms: usToMs(pct.get(JSON.stringify([name]))?.p95 ?? 0),
    });
  }
  const edgeList = edges.map((r) => ({
    source: String(r.source),
    target: String(r.target),
    call_count: num(r.n),
    error_count: num(r.e),
    avg_latency_ms: usToMs(num(r.avg_us)),
  }));
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
  const from = sql`FROM ${scoped("spans")} s WHERE ${spanRange(q)} AND ${raw(ENTRY)}`;
  const [rows, pct] = await Promise.all([
    repo.reads.query(
      sql`SELECT s.service_name, s.name, COUNT(*) AS n, SUM(CASE WHEN s.status_code = 'ERROR' THEN 1 ELSE 0 END) AS e, AVG(s.duration_us * 1.0) AS avg_us ${from} GROUP BY s.service_name, s.name`,
    ),
    percentiles(repo, ["s.service_name", "s.name"], "s.duration_us", from),
  ]);
  const minutes = Math.max(1 / 60, (q.endUs - q.startUs) / 60_000_000);
  return rows.map((r) => {
    const n = num(r.n);
    const e = num(r.e);
    const p = pct.get(JSON.stringify([String(r.service_name), String(r.name)]));
    return {
      service_name: String(r.service_name),
      operation: String(r.name),
      request_count: n,
      error_count: e,
      rate_per_min: round3(n / minutes),
      error_rate: n ? round3(e / n) : 0,
      avg_ms: usToMs(num(r.avg_us)),
      p50_ms: usToMs(p?.p50 ?? 0),
      p95_ms: usToMs(p?.p95 ?? 0),
      p99_ms: usToMs(p?.p99 ?? 0),
    };
  }).sort((a, b) => a.service_name.localeCompare(b.service_name) || a.operation.localeCompare(b.operation));
}

/** Services seen in spans or logs in the range, sorted. */
export async function serviceNames(repo: Repository, q: MetricQuery): Promise<string[]> {
  const [spans, logs] = await Promise.all([
    repo.reads.query(
      sql`SELECT DISTINCT s.service_name FROM ${scoped("spans")} s WHERE ${
        spanRange({ ...q, services: [] })
      }`,
    ),
    repo.reads.query(
      sql`SELECT DISTINCT l.service_name FROM ${
        scoped("logs")
      } l WHERE l.timestamp_us >= ${q.startUs} AND l.timestamp_us <= ${q.endUs}`,
    ),
  ]);
  return [...new Set([...spans, ...logs].map((r) => String(r.service_name)))].sort();
}

/** Span names of one service in the range, sorted. */
export async function operationNames(repo: Repository, q: MetricQuery, service: string): Promise<string[]> {
  const rows = await repo.reads.query(
    sql`SELECT DISTINCT s.name FROM ${
      scoped("spans")
    } s WHERE s.service_name = ${service} AND s.start_us >= ${q.startUs} AND s.start_us <= ${q.endUs} ORDER BY s.name ${
      paging(1000, 0)
    }`,
  );
  // Sorted here, not by the database: collations differ between dialects.
  return rows.map((r) => String(r.name)).sort();
}
