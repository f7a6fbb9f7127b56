/**
 * Query strings of the REST API (SPEC §6), built from page filters and the
 * global time range. `start` and `end` are sent as Unix milliseconds.
 *
 * @module
 */
import { resolveRange, type TimeRange } from "../model/time_range.ts";
import type { LogFilters, TraceFilters } from "../model/url_state.ts";

/** `start`, `end` and repeated `service_name`. */
export function rangeParams(
  range: TimeRange,
  nowMs: number,
  services: readonly string[] = [],
): URLSearchParams {
  const { startMs, endMs } = resolveRange(range, nowMs);
  const p = new URLSearchParams();
  p.set("start", String(Math.floor(startMs)));
  p.set("end", String(Math.ceil(endMs)));
  for (const s of services) p.append("service_name", s);
  return p;
}

/** Parameters of GET /api/traces. */
export function traceListParams(f: TraceFilters, range: TimeRange, nowMs: number): URLSearchParams {
  const p = rangeParams(range, nowMs, f.services);
  if (f.status) p.set("status", f.status);
  if (f.search.trim()) p.set("search", f.search.trim());
  if (f.minDurationMs !== null) p.set("min_duration_ms", String(f.minDurationMs));
  if (f.maxDurationMs !== null) p.set("max_duration_ms", String(f.maxDurationMs));
  for (const a of f.attrs) p.append("attr", a);
  p.set("sort_by", f.sortBy);
  p.set("order_by", f.order);
  p.set("limit", String(f.pageSize));
  p.set("offset", String((f.page - 1) * f.pageSize));
  return p;
}

/** Parameters of GET /api/logs for one page. */
export function logListParams(
  f: LogFilters,
  range: TimeRange,
  nowMs: number,
  limit: number,
  offset: number,
): URLSearchParams {
  const p = rangeParams(range, nowMs, f.services);
  for (const s of f.severities) p.append("severity", s);
  if (f.search.trim()) p.set("search", f.search.trim());
  if (f.traceId) p.set("trace_id", f.traceId);
  p.set("limit", String(limit));
  p.set("offset", String(offset));
  return p;
}
