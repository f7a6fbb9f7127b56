/**
 * Filtering and sorting of trace summaries in the browser. Live snapshots carry
 * the newest traces unfiltered (except by service); the traces page applies the
 * rest of its filters to them with these functions, the same way the server
 * applies them to REST queries.
 *
 * @module
 */
import type { TraceSummary } from "./types.ts";
import type { SortOrder, TraceFilters, TraceSort } from "./url_state.ts";

/**
 * Whether a trace passes the filters that can be judged from a summary. Attribute
 * conditions need the spans, so they are not applied here.
 */
export function matchesTraceFilters(t: TraceSummary, f: TraceFilters): boolean {
  if (f.services.length > 0 && !f.services.some((s) => t.serviceName === s || t.services.includes(s))) {
    return false;
  }
  if (f.status && t.status !== f.status && !(f.status === "OK" && t.status === "UNSET")) return false;
  const ms = t.durationUs / 1000;
  if (f.minDurationMs !== null && ms < f.minDurationMs) return false;
  if (f.maxDurationMs !== null && ms > f.maxDurationMs) return false;
  const q = f.search.trim().toLowerCase();
  if (q && !t.traceId.includes(q) && !t.name.toLowerCase().includes(q)) return false;
  return true;
}

const SORT_VALUE: Record<TraceSort, (t: TraceSummary) => number | string> = {
  timestamp: (t) => t.startUs,
  duration: (t) => t.durationUs,
  service_name: (t) => t.serviceName,
  span_count: (t) => t.spanCount,
};

/** A sorted copy of the traces; ties keep the newest first. */
export function sortTraces(traces: readonly TraceSummary[], by: TraceSort, order: SortOrder): TraceSummary[] {
  const value = SORT_VALUE[by];
  const dir = order === "asc" ? 1 : -1;
  return [...traces].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = va < vb ? -1 : va > vb ? 1 : 0;
    return c * dir || b.startUs - a.startUs;
  });
}
