/**
 * Row builders for tests: a span or log with sensible defaults, overridable.
 *
 * @module
 */

import type { LogRow, SpanRow } from "../../src/store/rows.ts";
import type { StoredLogRow } from "../../src/store/repository.ts";

/** 32 hex characters from a small number, for readable test ids. */
export const traceId = (n: number) => n.toString(16).padStart(32, "0");
/** 16 hex characters from a small number. */
export const spanId = (n: number) => n.toString(16).padStart(16, "0");

/** A span with defaults; `start_us`/`end_us` drive `duration_us` unless given. */
export function span(over: Partial<SpanRow> = {}): SpanRow {
  const start = over.start_us ?? 1_700_000_000_000_000;
  const end = over.end_us ?? start + 1000;
  return {
    trace_id: traceId(1),
    span_id: spanId(1),
    parent_span_id: "",
    name: "GET /",
    service_name: "frontend",
    kind: "SERVER",
    status_code: "UNSET",
    status_message: "",
    attributes: "{}",
    resource_attributes: '{"service.name":"frontend"}',
    events: "[]",
    links: "[]",
    scope_name: "test",
    scope_version: "1.0",
    ...over,
    start_us: start,
    end_us: end,
    duration_us: over.duration_us ?? end - start,
  };
}

/** A log with defaults. */
export function log(id: number, over: Partial<LogRow> = {}): StoredLogRow {
  return {
    id,
    timestamp_us: 1_700_000_000_000_000 + id,
    trace_id: "",
    span_id: "",
    severity_number: 9,
    severity: "INFO",
    body: `log ${id}`,
    service_name: "frontend",
    attributes: "{}",
    resource_attributes: '{"service.name":"frontend"}',
    scope_name: "test",
    ...over,
  };
}
