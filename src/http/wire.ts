/**
 * Wire types: the JSON the REST API and WebSockets carry (SPEC §6), and the one
 * place rows become them. JSON columns are parsed here; times get an RFC 3339
 * twin with microsecond precision.
 *
 * @module
 */

import type { SpanRow } from "../store/rows.ts";
import type { LogRecord, StoredLogRow } from "../store/repository.ts";
import type { TraceSummaryRow } from "../store/trace_summary.ts";
import { usToMs } from "../store/query_support.ts";

/** GET /api/traces rows. */
export interface TraceSummary {
  trace_id: string;
  service_name: string;
  name: string;
  start_us: number;
  timestamp: string;
  duration_us: number;
  duration_ms: number;
  status: "OK" | "ERROR";
  span_count: number;
  error_count: number;
  services: string[];
}

/** A span with its JSON columns as values. */
export interface Span extends Omit<SpanRow, "attributes" | "resource_attributes" | "events" | "links"> {
  attributes: Record<string, unknown>;
  resource_attributes: Record<string, unknown>;
  events: unknown[];
  links: unknown[];
}

/** GET /api/logs rows and /ws messages. */
export interface LogEntry {
  id: number;
  timestamp_us: number;
  timestamp: string;
  trace_id: string;
  span_id: string;
  severity: string;
  severity_number: number;
  body: string;
  service_name: string;
  attributes: Record<string, unknown>;
  resource_attributes: Record<string, unknown>;
  ai_insight: string;
  ai_status: string;
}

/** RFC 3339 in UTC with microseconds, from microseconds since the epoch. */
export function rfc3339(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  const micros = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, "0");
  return `${iso.slice(0, 19)}.${micros}Z`;
}

function parseJson<T>(text: string, fallback: T): T {
  if (text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A trace summary row on the wire. */
export function toTraceSummary(t: TraceSummaryRow): TraceSummary {
  return {
    trace_id: t.trace_id,
    service_name: t.service_name,
    name: t.name,
    start_us: t.start_us,
    timestamp: rfc3339(t.start_us),
    duration_us: t.duration_us,
    duration_ms: usToMs(t.duration_us),
    status: t.status,
    span_count: t.span_count,
    error_count: t.error_count,
    services: t.services,
  };
}

/** A span row on the wire. */
export function toSpan(s: SpanRow): Span {
  return {
    ...s,
    attributes: parseJson(s.attributes, {}),
    resource_attributes: parseJson(s.resource_attributes, {}),
    events: parseJson(s.events, []),
    links: parseJson(s.links, []),
  };
}

/** A log row on the wire (stored rows fresh from ingest have no insight yet). */
export function toLogEntry(l: LogRecord | StoredLogRow): LogEntry {
  return {
    id: l.id,
    timestamp_us: l.timestamp_us,
    timestamp: rfc3339(l.timestamp_us),
    trace_id: l.trace_id,
    span_id: l.span_id,
    severity: l.severity,
    severity_number: l.severity_number,
    body: l.body,
    service_name: l.service_name,
    attributes: parseJson(l.attributes, {}),
    resource_attributes: parseJson(l.resource_attributes, {}),
    ai_insight: l.ai_insight ?? "",
    ai_status: l.ai_status ?? "none",
  };
}
