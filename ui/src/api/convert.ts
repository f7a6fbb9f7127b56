/**
 * The one place wire JSON becomes domain objects: 64-bit integers that may be
 * strings, times that may be RFC 3339 or epoch numbers, attribute objects, and
 * payloads whose exact fields the spec leaves open.
 *
 * @module
 */
import { toAttributes } from "../model/attributes.ts";
import type {
  AiStatus,
  DashboardStats,
  DlqFile,
  Health,
  Insight,
  LatencyPoint,
  LiveSnapshot,
  LogEntry,
  OperationStats,
  Page,
  ServiceMap,
  Span,
  SpanEvent,
  Status,
  TraceDetail,
  TraceSummary,
  TrafficPoint,
} from "../model/types.ts";
import type {
  WireDashboardStats,
  WireDlqFile,
  WireHealth,
  WireInsight,
  WireInt,
  WireLatencyPoint,
  WireLiveSnapshot,
  WireLogEntry,
  WirePage,
  WireServiceMap,
  WireServiceStats,
  WireSpan,
  WireSpanEvent,
  WireTraceDetail,
  WireTraceSummary,
  WireTrafficPoint,
} from "./wire.ts";

/** A number from a JSON number or numeric string; `fallback` otherwise. */
export function num(value: WireInt | unknown, fallback = 0): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : value == null ? "" : String(value);
}

/**
 * Epoch milliseconds from an RFC 3339 string or an epoch number; numbers are
 * read by magnitude (seconds < 1e11 ≤ milliseconds < 1e14 ≤ microseconds < 1e17 ≤ ns).
 */
export function timeMs(value: unknown): number {
  if (typeof value === "string" && !/^\d+(\.\d+)?$/.test(value.trim())) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? NaN : ms;
  }
  const n = num(value, NaN);
  if (!Number.isFinite(n)) return NaN;
  const abs = Math.abs(n);
  if (abs < 1e11) return n * 1000;
  if (abs < 1e14) return n;
  if (abs < 1e17) return n / 1000;
  return n / 1e6;
}

function status(value: unknown): Status {
  const s = str(value).toUpperCase();
  return s === "ERROR" ? "ERROR" : s === "OK" ? "OK" : "UNSET";
}

function aiStatus(value: unknown): AiStatus {
  const s = str(value);
  return s === "pending" || s === "done" || s === "failed" || s === "skipped" ? s : "none";
}

function pick(row: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (row[n] !== undefined && row[n] !== null) return row[n];
  return undefined;
}

/** TraceSummary → domain. */
export function toTraceSummary(w: WireTraceSummary): TraceSummary {
  const startUs = w.start_us !== undefined ? num(w.start_us) : timeMs(w.timestamp) * 1000;
  const durationUs = w.duration_us !== undefined ? num(w.duration_us) : num(w.duration_ms) * 1000;
  return {
    traceId: str(w.trace_id),
    serviceName: str(w.service_name),
    name: str(w.name),
    startUs,
    durationUs,
    status: status(w.status),
    spanCount: num(w.span_count),
    errorCount: num(w.error_count),
    services: Array.isArray(w.services) ? w.services.map(str) : [],
  };
}

function toEvent(e: WireSpanEvent): SpanEvent {
  const raw = e.time_us ?? e.timestamp_us;
  const timeUs = raw !== undefined
    ? num(raw, NaN)
    : e.time_unix_nano !== undefined
    ? num(e.time_unix_nano, NaN) / 1000
    : NaN;
  return {
    name: str(e.name),
    timeUs: Number.isFinite(timeUs) ? timeUs : null,
    attributes: toAttributes(e.attributes),
  };
}

/** Span → domain. */
export function toSpan(w: WireSpan): Span {
  const startUs = num(w.start_us);
  const endUs = w.end_us !== undefined ? num(w.end_us) : startUs + num(w.duration_us);
  return {
    traceId: str(w.trace_id),
    spanId: str(w.span_id),
    parentSpanId: str(w.parent_span_id),
    name: str(w.name),
    serviceName: str(w.service_name),
    kind: str(w.kind) || "UNSPECIFIED",
    startUs,
    endUs,
    durationUs: w.duration_us !== undefined ? num(w.duration_us) : endUs - startUs,
    status: status(w.status_code),
    statusMessage: str(w.status_message),
    attributes: toAttributes(w.attributes),
    resource: toAttributes(w.resource_attributes),
    events: Array.isArray(w.events) ? w.events.map(toEvent) : [],
    links: Array.isArray(w.links)
      ? w.links.map((l) => ({
        traceId: str(l.trace_id),
        spanId: str(l.span_id),
        attributes: toAttributes(l.attributes),
      }))
      : [],
    scopeName: str(w.scope_name),
    scopeVersion: str(w.scope_version),
  };
}

/** LogEntry → domain. */
export function toLogEntry(w: WireLogEntry): LogEntry {
  return {
    id: str(w.id),
    timestampUs: w.timestamp_us !== undefined ? num(w.timestamp_us) : timeMs(w.timestamp) * 1000,
    traceId: str(w.trace_id),
    spanId: str(w.span_id),
    severity: str(w.severity),
    severityNumber: num(w.severity_number),
    body: str(w.body),
    serviceName: str(w.service_name),
    attributes: toAttributes(w.attributes),
    resource: toAttributes(w.resource_attributes),
    aiInsight: str(w.ai_insight),
    aiStatus: aiStatus(w.ai_status),
  };
}

/** A `{data, total, limit, offset}` page → domain. */
export function toPage<W, T>(w: WirePage<W>, convert: (item: W) => T): Page<T> {
  const items = Array.isArray(w?.data) ? w.data.map(convert) : [];
  return {
    items,
    total: num(w?.total, items.length),
    limit: num(w?.limit, items.length),
    offset: num(w?.offset),
  };
}

/** GET /api/traces/{id} → domain. */
export function toTraceDetail(w: WireTraceDetail): TraceDetail {
  return {
    trace: toTraceSummary(w.trace),
    spans: Array.isArray(w.spans) ? w.spans.map(toSpan) : [],
    logs: Array.isArray(w.logs) ? w.logs.map(toLogEntry) : [],
  };
}

/** DashboardStats → domain. The error share is recomputed from counts when possible. */
export function toDashboard(w: WireDashboardStats): DashboardStats {
  const totalTraces = num(w?.total_traces);
  const errorTraces = num(w?.error_traces);
  const given = num(w?.error_rate);
  return {
    totalTraces,
    totalSpans: num(w?.total_spans),
    totalLogs: num(w?.total_logs),
    errorTraces,
    errorRate: totalTraces > 0 ? errorTraces / totalTraces : given > 1 ? given / 100 : given,
    errorLogs: num(w?.error_logs),
    avgLatencyMs: num(w?.avg_latency_ms),
    p50LatencyMs: num(w?.p50_latency_ms),
    p95LatencyMs: num(w?.p95_latency_ms),
    p99LatencyMs: num(w?.p99_latency_ms),
    throughputPerMin: num(w?.throughput_per_min),
    activeServices: num(w?.active_services),
  };
}

/** Traffic buckets → domain, in time order. */
export function toTraffic(w: WireTrafficPoint[]): TrafficPoint[] {
  if (!Array.isArray(w)) return [];
  return w
    .map((p) => ({ timeMs: timeMs(p.timestamp), count: num(p.count), errorCount: num(p.error_count) }))
    .filter((p) => Number.isFinite(p.timeMs))
    .sort((a, b) => a.timeMs - b.timeMs);
}

/** Latency samples → domain. */
export function toLatency(w: WireLatencyPoint[]): LatencyPoint[] {
  if (!Array.isArray(w)) return [];
  return w
    .map((p) => ({ timeMs: timeMs(p.timestamp), durationMs: num(p.duration) }))
    .filter((p) => Number.isFinite(p.timeMs));
}

/** Service map → domain. */
export function toServiceMap(w: WireServiceMap): ServiceMap {
  return {
    nodes: (Array.isArray(w?.nodes) ? w.nodes : []).map((n) => ({
      id: str(n.id ?? n.name),
      name: str(n.name ?? n.id),
      requestCount: num(n.request_count),
      errorCount: num(n.error_count),
      avgLatencyMs: num(n.avg_latency_ms),
      p95LatencyMs: num(n.p95_latency_ms),
    })),
    edges: (Array.isArray(w?.edges) ? w.edges : []).map((e) => ({
      source: str(e.source),
      target: str(e.target),
      callCount: num(e.call_count),
      errorCount: num(e.error_count),
      avgLatencyMs: num(e.avg_latency_ms),
    })),
  };
}

function listOf(w: unknown, ...keys: string[]): Record<string, unknown>[] {
  if (Array.isArray(w)) return w;
  if (w && typeof w === "object") {
    for (const k of keys) {
      const v = (w as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v;
    }
  }
  return [];
}

/** RED rows → domain (see {@link WireServiceStats} for the accepted field names). */
export function toServiceStats(w: WireServiceStats[] | { data: WireServiceStats[] }): OperationStats[] {
  return listOf(w, "data", "services").map((r) => {
    const requests = num(pick(r, "request_count", "count", "requests"));
    const errors = num(pick(r, "error_count", "errors"), NaN);
    const rate = num(pick(r, "error_rate"));
    return {
      serviceName: str(pick(r, "service_name", "service")),
      operation: str(pick(r, "operation", "operation_name", "name", "span_name")),
      requestCount: requests,
      ratePerMin: num(pick(r, "rate_per_min", "rate", "throughput_per_min", "requests_per_min")),
      errorRate: Number.isFinite(errors) && requests > 0 ? errors / requests : rate > 1 ? rate / 100 : rate,
      p50Ms: num(pick(r, "p50_ms", "p50_latency_ms", "p50")),
      p95Ms: num(pick(r, "p95_ms", "p95_latency_ms", "p95")),
      p99Ms: num(pick(r, "p99_ms", "p99_latency_ms", "p99")),
    };
  });
}

/** HealthStats → domain. */
export function toHealth(w: WireHealth): Health {
  return {
    status: str(w?.status) || "unknown",
    version: str(w?.version),
    uptimeS: num(w?.uptime_s),
    ingestionRate: num(w?.ingestion_rate),
    dlqSize: num(w?.dlq_size),
    activeConnections: num(w?.active_connections),
    dbLatencyP99Ms: num(w?.db_latency_p99_ms),
    db: { driver: str(w?.db?.driver), ok: w?.db?.ok === true },
    ai: {
      enabled: w?.ai?.enabled === true,
      queueDepth: num(w?.ai?.queue_depth),
      dropped: num(w?.ai?.dropped),
    },
  };
}

/** DLQ listing → domain (see {@link WireDlqFile}). */
export function toDlqFiles(w: unknown, nowMs = Date.now()): DlqFile[] {
  return listOf(w, "data", "files").map((r: WireDlqFile) => {
    const created = pick(r, "created_ms", "created_at", "mtime");
    const age = pick(r, "age_s", "age_seconds", "age");
    return {
      name: str(pick(r, "name", "file", "path")),
      sizeBytes: num(pick(r, "size_bytes", "size", "bytes")),
      ageS: age !== undefined
        ? num(age)
        : created !== undefined
        ? Math.max(0, (nowMs - timeMs(created)) / 1000)
        : 0,
      attempts: num(pick(r, "attempts", "retries")),
    };
  });
}

/** Insight → domain. */
export function toInsight(w: WireInsight): Insight {
  return { insight: str(w?.insight), status: aiStatus(w?.status) };
}

/** LiveSnapshot → domain. */
export function toLiveSnapshot(w: WireLiveSnapshot): LiveSnapshot {
  return {
    service: str(w.service),
    window: { startMs: timeMs(w.window?.start), endMs: timeMs(w.window?.end) },
    dashboard: toDashboard(w.dashboard),
    traffic: toTraffic(w.traffic),
    traces: Array.isArray(w.traces) ? w.traces.map(toTraceSummary) : [],
    serviceMap: toServiceMap(w.service_map),
  };
}
