/**
 * Wire types: the JSON the server sends, field for field as SPEC §6 and §7 name
 * it. Components never read these; `convert.ts` turns them into the domain
 * types of `model/types.ts`.
 *
 * Where the spec names a payload without its fields (the RED table, the DLQ
 * list, span events), the shape below is the one this UI expects; the
 * converters also accept the listed alternatives.
 *
 * @module
 */

/** 64-bit integers may arrive as numbers or, from some drivers, as strings. */
export type WireInt = number | string;

/** An attribute map as JSON. */
export type WireAttributes = Record<string, unknown>;

/** `TraceSummary` of SPEC §6. */
export interface WireTraceSummary {
  trace_id: string;
  service_name: string;
  name: string;
  start_us: WireInt;
  /** RFC 3339 */
  timestamp: string;
  duration_us: WireInt;
  duration_ms: number;
  status: string;
  span_count: WireInt;
  error_count: WireInt;
  services: string[];
}

/** A span event: `time_us` expected; `timestamp_us` or `time_unix_nano` accepted. */
export interface WireSpanEvent {
  name?: string;
  time_us?: WireInt;
  timestamp_us?: WireInt;
  time_unix_nano?: WireInt;
  attributes?: WireAttributes;
}

/** A span link. */
export interface WireSpanLink {
  trace_id?: string;
  span_id?: string;
  attributes?: WireAttributes;
}

/** `Span` of SPEC §6: the columns of §4 with attributes as objects. */
export interface WireSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  service_name: string;
  kind: string;
  start_us: WireInt;
  end_us: WireInt;
  duration_us: WireInt;
  status_code: string;
  status_message: string;
  attributes: WireAttributes;
  resource_attributes: WireAttributes;
  events: WireSpanEvent[];
  links: WireSpanLink[];
  scope_name: string;
  scope_version: string;
}

/** `LogEntry` of SPEC §6. */
export interface WireLogEntry {
  id: WireInt;
  timestamp_us: WireInt;
  /** RFC 3339 */
  timestamp: string;
  trace_id: string;
  span_id: string;
  severity: string;
  severity_number: number;
  body: string;
  service_name: string;
  attributes: WireAttributes;
  resource_attributes: WireAttributes;
  ai_insight: string | null;
  ai_status: string;
}

/** A paged list: `{data, total, limit, offset}`. */
export interface WirePage<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

/** GET /api/traces/{trace_id} */
export interface WireTraceDetail {
  trace: WireTraceSummary;
  spans: WireSpan[];
  logs: WireLogEntry[];
}

/** GET /api/logs/context */
export interface WireLogContext {
  data: WireLogEntry[];
}

/** GET /api/logs/{id}/insight */
export interface WireInsight {
  insight: string | null;
  status: string;
}

/** GET /api/metrics/dashboard: `DashboardStats`. */
export interface WireDashboardStats {
  total_traces: number;
  total_spans: number;
  total_logs: number;
  error_traces: number;
  error_rate: number;
  error_logs: number;
  avg_latency_ms: number;
  p50_latency_ms: number;
  p95_latency_ms: number;
  p99_latency_ms: number;
  throughput_per_min: number;
  active_services: number;
}

/** One bucket of GET /api/metrics/traffic; `timestamp` RFC 3339 or epoch ms/µs. */
export interface WireTrafficPoint {
  timestamp: string | number;
  count: number;
  error_count: number;
}

/** One point of GET /api/metrics/latency_heatmap; `duration` in ms. */
export interface WireLatencyPoint {
  timestamp: string | number;
  duration: number;
}

/** GET /api/metrics/service-map */
export interface WireServiceMap {
  nodes: {
    id: string;
    name: string;
    request_count: number;
    error_count: number;
    avg_latency_ms: number;
    p95_latency_ms: number;
  }[];
  edges: {
    source: string;
    target: string;
    call_count: number;
    error_count: number;
    avg_latency_ms: number;
  }[];
}

/**
 * One row of GET /api/metrics/services (RED per service and operation). The spec
 * names no fields; expected: `service_name, operation, request_count, error_count,
 * rate_per_min, error_rate (0..1), p50_ms, p95_ms, p99_ms`. Accepted too:
 * `operation_name`/`name`, `rate`/`throughput_per_min`, `p50_latency_ms`… .
 */
export type WireServiceStats = Record<string, unknown>;

/** GET /api/health and every `/ws/health` message: `HealthStats`. */
export interface WireHealth {
  status: string;
  version: string;
  uptime_s: number;
  ingestion_rate: number;
  dlq_size: number;
  active_connections: number;
  db_latency_p99_ms: number;
  db: { driver: string; ok: boolean };
  ai: { enabled: boolean; queue_depth: number; dropped: number };
}

/**
 * One DLQ file of GET /api/admin/dlq ("size, age, attempts"). Expected
 * `{name, size_bytes, age_s, attempts}`; `file`/`path`, `size`, `age_seconds` or
 * `created_ms` accepted. The list may be bare or under `data`/`files`.
 */
export type WireDlqFile = Record<string, unknown>;

/** DELETE /api/admin/purge */
export interface WirePurgeResult {
  traces_deleted: number;
  spans_deleted: number;
  logs_deleted: number;
}

/** The body of every error response. */
export interface WireError {
  error: string;
}

/** `/ws/events` message: a LiveSnapshot (SPEC §7). `window` bounds RFC 3339 or epoch ms. */
export interface WireLiveSnapshot {
  type: "snapshot";
  service: string;
  window: { start: string | number; end: string | number };
  dashboard: WireDashboardStats;
  traffic: WireTrafficPoint[];
  traces: WireTraceSummary[];
  service_map: WireServiceMap;
}

/** `/ws` message announcing a finished AI insight. */
export interface WireInsightMessage {
  type: "insight";
  log_id: WireInt;
  insight: string | null;
  status: string;
}

/** Any `/ws` message: a batch of logs or an insight. */
export type WireLogStreamMessage = WireLogEntry[] | WireInsightMessage;

/** What the client sends on `/ws` to filter its stream. */
export interface WireLogStreamFilter {
  service: string;
  min_severity: string;
}

/** What the client sends on `/ws/events`. */
export interface WireLiveFilter {
  service: string;
}

/** GET /api/session */
export interface WireSession {
  auth_required: boolean;
  authenticated: boolean;
  tenant: string | null;
  role: string | null;
}

/** POST /api/session (200) */
export interface WireSessionOpened {
  tenant: string;
  role: string;
}
