/**
 * The UI's domain types. They are what components read; the JSON the server
 * sends (`api/wire.ts`) is converted into them in one place (`api/convert.ts`).
 * Times are microseconds since the Unix epoch unless a name says otherwise.
 *
 * @module
 */

/** A key/value pair of an attribute map, the value kept as the server sent it. */
export interface Attribute {
  key: string;
  value: unknown;
}

/** Overall status of a trace or span. */
export type Status = "OK" | "ERROR" | "UNSET";

/** One row of the traces list. */
export interface TraceSummary {
  traceId: string;
  serviceName: string;
  name: string;
  startUs: number;
  durationUs: number;
  status: Status;
  spanCount: number;
  errorCount: number;
  services: string[];
}

/** A timed event recorded on a span. */
export interface SpanEvent {
  name: string;
  /** Absolute time, or `null` when the server did not send one. */
  timeUs: number | null;
  attributes: Attribute[];
}

/** A link from a span to another span. */
export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attribute[];
}

/** One span of a trace. */
export interface Span {
  traceId: string;
  spanId: string;
  /** `""` for a root span. */
  parentSpanId: string;
  name: string;
  serviceName: string;
  kind: string;
  startUs: number;
  endUs: number;
  durationUs: number;
  status: Status;
  statusMessage: string;
  attributes: Attribute[];
  resource: Attribute[];
  events: SpanEvent[];
  links: SpanLink[];
  scopeName: string;
  scopeVersion: string;
}

/** State of the AI analysis of a log. */
export type AiStatus = "none" | "pending" | "done" | "failed" | "skipped";

/** One log record. */
export interface LogEntry {
  id: string;
  timestampUs: number;
  traceId: string;
  spanId: string;
  severity: string;
  severityNumber: number;
  body: string;
  serviceName: string;
  attributes: Attribute[];
  resource: Attribute[];
  aiInsight: string;
  aiStatus: AiStatus;
}

/** A trace with its spans and logs. */
export interface TraceDetail {
  trace: TraceSummary;
  spans: Span[];
  logs: LogEntry[];
}

/** A page of results with the total the server counted. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Headline figures of the dashboard. */
export interface DashboardStats {
  totalTraces: number;
  totalSpans: number;
  totalLogs: number;
  errorTraces: number;
  /** Share of traces with an error, 0..1. */
  errorRate: number;
  errorLogs: number;
  avgLatencyMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
  throughputPerMin: number;
  activeServices: number;
}

/** One bucket of the traffic chart. */
export interface TrafficPoint {
  timeMs: number;
  count: number;
  errorCount: number;
}

/** One sampled trace duration. */
export interface LatencyPoint {
  timeMs: number;
  durationMs: number;
}

/** RED figures of one service operation. */
export interface OperationStats {
  serviceName: string;
  operation: string;
  requestCount: number;
  /** Requests per minute. */
  ratePerMin: number;
  /** 0..1 */
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** A service in the service map. */
export interface MapNode {
  id: string;
  name: string;
  requestCount: number;
  errorCount: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
}

/** Calls from one service to another. */
export interface MapEdge {
  source: string;
  target: string;
  callCount: number;
  errorCount: number;
  avgLatencyMs: number;
}

/** The service dependency graph. */
export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

/** Server health. */
export interface Health {
  status: string;
  version: string;
  uptimeS: number;
  ingestionRate: number;
  dlqSize: number;
  activeConnections: number;
  dbLatencyP99Ms: number;
  db: { driver: string; ok: boolean };
  ai: { enabled: boolean; queueDepth: number; dropped: number };
}

/** One file waiting in the dead-letter queue. */
export interface DlqFile {
  name: string;
  sizeBytes: number;
  ageS: number;
  attempts: number;
}

/** The AI analysis of a log. */
export interface Insight {
  insight: string;
  status: AiStatus;
}

/** What one live snapshot carries, converted. */
export interface LiveSnapshot {
  service: string;
  window: { startMs: number; endMs: number };
  dashboard: DashboardStats;
  traffic: TrafficPoint[];
  traces: TraceSummary[];
  serviceMap: ServiceMap;
}
