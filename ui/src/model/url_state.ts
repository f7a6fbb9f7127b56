/**
 * Page filters as URL search params, so that a link reproduces a view. Param
 * names follow the REST API where one exists (`service_name`, `status`,
 * `min_duration_ms`, `attr`, `sort_by`, `order_by`, `severity`, `trace_id`).
 * Default values are left out of the URL.
 *
 * @module
 */
import { SEVERITIES, type SeverityName } from "./severity.ts";

/** Columns the traces list can be sorted by (the API's `sort_by`). */
export const TRACE_SORTS = ["timestamp", "duration", "service_name", "span_count"] as const;

/** One of {@link TRACE_SORTS}. */
export type TraceSort = typeof TRACE_SORTS[number];

/** Sort direction (the API's `order_by`). */
export type SortOrder = "asc" | "desc";

/** Page sizes offered for the traces table. */
export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Filters, sort and page of the traces list. */
export interface TraceFilters {
  services: string[];
  /** `""` for any status. */
  status: "" | "OK" | "ERROR";
  minDurationMs: number | null;
  maxDurationMs: number | null;
  search: string;
  /** `key=value` conditions on span attributes. */
  attrs: string[];
  sortBy: TraceSort;
  order: SortOrder;
  /** 1-based page number. */
  page: number;
  pageSize: number;
}

/** Filters of the logs page. */
export interface LogFilters {
  services: string[];
  severities: SeverityName[];
  search: string;
  traceId: string;
}

/** Traces list defaults: newest first, 50 a page. */
export const DEFAULT_TRACE_FILTERS: Readonly<TraceFilters> = Object.freeze({
  services: [],
  status: "",
  minDurationMs: null,
  maxDurationMs: null,
  search: "",
  attrs: [],
  sortBy: "timestamp",
  order: "desc",
  page: 1,
  pageSize: 50,
});

/** Logs page defaults: everything. */
export const DEFAULT_LOG_FILTERS: Readonly<LogFilters> = Object.freeze({
  services: [],
  severities: [],
  search: "",
  traceId: "",
});

/** Params that belong to every page (the global time range); navigation keeps them. */
export const GLOBAL_PARAMS = ["range", "start", "end"] as const;

function nonNegative(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function positiveInt(text: string | null, fallback: number): number {
  const n = Number(text);
  return text !== null && Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Distinct, non-empty, trimmed values of a repeatable param. */
function list(params: URLSearchParams, name: string): string[] {
  return [...new Set(params.getAll(name).map((v) => v.trim()).filter(Boolean))];
}

/** Splits a `key=value` attribute condition; `null` without `=` or key. */
export function parseAttrFilter(text: string): { key: string; value: string } | null {
  const at = text.indexOf("=");
  if (at <= 0) return null;
  const key = text.slice(0, at).trim();
  return key ? { key, value: text.slice(at + 1).trim() } : null;
}

/** Reads the traces list state from URL search params; malformed values fall back to defaults. */
export function parseTraceFilters(params: URLSearchParams): TraceFilters {
  const d = DEFAULT_TRACE_FILTERS;
  const status = params.get("status")?.toUpperCase();
  const sortBy = params.get("sort_by") as TraceSort | null;
  const order = params.get("order_by");
  const pageSize = positiveInt(params.get("limit"), d.pageSize);
  return {
    services: list(params, "service_name"),
    status: status === "OK" || status === "ERROR" ? status : "",
    minDurationMs: nonNegative(params.get("min_duration_ms")),
    maxDurationMs: nonNegative(params.get("max_duration_ms")),
    search: params.get("search")?.trim() ?? "",
    attrs: list(params, "attr").filter((a) => parseAttrFilter(a) !== null),
    sortBy: sortBy && TRACE_SORTS.includes(sortBy) ? sortBy : d.sortBy,
    order: order === "asc" || order === "desc" ? order : d.order,
    page: positiveInt(params.get("page"), 1),
    pageSize: Math.min(pageSize, 1000),
  };
}

function setOrDelete(params: URLSearchParams, name: string, value: string, fallback: string): void {
  if (value === fallback) params.delete(name);
  else params.set(name, value);
}

function setAll(params: URLSearchParams, name: string, values: readonly string[]): void {
  params.delete(name);
  for (const v of values) params.append(name, v);
}

/** Writes the traces list state into URL search params (in place), leaving defaults out. */
export function writeTraceFilters(params: URLSearchParams, f: TraceFilters): URLSearchParams {
  const d = DEFAULT_TRACE_FILTERS;
  setAll(params, "service_name", f.services);
  setOrDelete(params, "status", f.status, "");
  setOrDelete(params, "min_duration_ms", f.minDurationMs === null ? "" : String(f.minDurationMs), "");
  setOrDelete(params, "max_duration_ms", f.maxDurationMs === null ? "" : String(f.maxDurationMs), "");
  setOrDelete(params, "search", f.search.trim(), "");
  setAll(params, "attr", f.attrs);
  setOrDelete(params, "sort_by", f.sortBy, d.sortBy);
  setOrDelete(params, "order_by", f.order, d.order);
  setOrDelete(params, "page", String(f.page), "1");
  setOrDelete(params, "limit", String(f.pageSize), String(d.pageSize));
  return params;
}

/** Whether any trace filter (not sort or page) differs from the defaults. */
export function hasTraceFilters(f: TraceFilters): boolean {
  return f.services.length > 0 || f.status !== "" || f.minDurationMs !== null || f.maxDurationMs !== null ||
    f.search.trim() !== "" || f.attrs.length > 0;
}

/** Reads the logs page filters from URL search params. */
export function parseLogFilters(params: URLSearchParams): LogFilters {
  const severities = list(params, "severity")
    .map((s) => s.toUpperCase())
    .filter((s): s is SeverityName => (SEVERITIES as readonly string[]).includes(s));
  const traceId = (params.get("trace_id") ?? "").trim().toLowerCase();
  return {
    services: list(params, "service_name"),
    severities,
    search: params.get("search")?.trim() ?? "",
    traceId: /^[0-9a-f]{32}$/.test(traceId) ? traceId : "",
  };
}

/** Writes the logs page filters into URL search params (in place). */
export function writeLogFilters(params: URLSearchParams, f: LogFilters): URLSearchParams {
  setAll(params, "service_name", f.services);
  setAll(params, "severity", f.severities);
  setOrDelete(params, "search", f.search.trim(), "");
  setOrDelete(params, "trace_id", f.traceId, "");
  return params;
}

/** A copy of the params with only the global ones (time range), for links to other pages. */
export function globalParams(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const name of GLOBAL_PARAMS) {
    const v = params.get(name);
    if (v !== null) out.set(name, v);
  }
  return out;
}

/** Builds `path?query` from a path and params, without a dangling `?`. */
export function withQuery(path: string, params: URLSearchParams): string {
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}
