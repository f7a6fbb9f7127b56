/**
 * Storage rows: the shapes the OTLP mappers produce and the repository writes.
 * Times are integer microseconds since the Unix epoch; JSON columns are already
 * serialised text so that every dialect stores the same bytes.
 *
 * @module
 */

import type { ATTR_HASHES } from "./attr_bloom.ts";

/** Span kinds as stored (SPEC §4). */
export type SpanKind = "UNSPECIFIED" | "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER";

/** Span status codes as stored (SPEC §4). */
export type StatusCode = "UNSET" | "OK" | "ERROR";

/** Log severities as stored (SPEC §4); a record with number 0 keeps its own text. */
export type Severity = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL" | string;

/** AI analysis state of a log row (SPEC §4). */
export type AiStatus = "none" | "pending" | "done" | "failed" | "skipped";

/** One span, ready to insert. `tenant_id` is added by the repository. */
export interface SpanRow {
  trace_id: string; // 32 lowercase hex
  span_id: string; // 16 lowercase hex
  parent_span_id: string; // '' for a root
  name: string;
  service_name: string;
  kind: SpanKind;
  start_us: number;
  end_us: number;
  duration_us: number;
  status_code: StatusCode;
  status_message: string;
  attributes: string; // JSON object text
  resource_attributes: string; // JSON object text
  events: string; // JSON array text
  links: string; // JSON array text
  scope_name: string;
  scope_version: string;
  /** The attribute pairs' hashes, when the mapper made the row (attr_bloom.ts). */
  [ATTR_HASHES]?: readonly number[];
}

/** One log record, ready to insert. `id` and `tenant_id` are assigned by the repository. */
export interface LogRow {
  timestamp_us: number;
  trace_id: string; // '' when absent or invalid
  span_id: string; // '' when absent or invalid
  severity_number: number;
  severity: Severity;
  body: string;
  service_name: string;
  attributes: string; // JSON object text
  resource_attributes: string; // JSON object text
  scope_name: string;
}
