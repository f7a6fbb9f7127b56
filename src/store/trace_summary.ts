/**
 * The trace summary row and how new spans change it. Pure: the repository reads
 * the current row, calls {@link mergeTraceSummary} with the spans it is about to
 * insert (duplicates already removed) and writes the result back, all inside the
 * batch's transaction, so spans arriving in any order and any batch give the
 * same summary.
 *
 * @module
 */

import { hashesOfSpan, mergeBloom } from "./attr_bloom.ts";
import type { SpanRow } from "./rows.ts";

/** One row of `traces`, services decoded. */
export interface TraceSummaryRow {
  trace_id: string;
  service_name: string;
  name: string;
  /** The root span's id once the root has arrived, else ''. */
  root_span_id: string;
  start_us: number;
  end_us: number;
  duration_us: number;
  status: "OK" | "ERROR";
  span_count: number;
  error_count: number;
  services: string[];
  /**
   * The attribute filter's columns (attr_bloom.ts): null when unknown (a summary from
   * before migration 0009); absent where a reader has no use for them.
   */
  attr_bloom?: readonly number[] | null;
}

type NamedSpan = Pick<SpanRow, "span_id" | "parent_span_id" | "name" | "service_name" | "start_us">;

/** The span whose name names the trace: the earliest root, else the earliest span; ties by span id. */
function namer(spans: readonly NamedSpan[]): NamedSpan {
  let best: NamedSpan | undefined;
  for (const s of spans) {
    if (!best) {
      best = s;
      continue;
    }
    const sRoot = s.parent_span_id === "";
    const bRoot = best.parent_span_id === "";
    if (sRoot !== bRoot) {
      if (sRoot) best = s;
      continue;
    }
    if (s.start_us < best.start_us || (s.start_us === best.start_us && s.span_id < best.span_id)) best = s;
  }
  return best!;
}

/**
 * Folds `spans` (all of one trace, none already stored) into `existing`.
 * `spans` must not be empty.
 */
export function mergeTraceSummary(
  existing: TraceSummaryRow | undefined,
  spans: readonly SpanRow[],
): TraceSummaryRow {
  const first = namer(spans);
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  const services = new Set(existing?.services ?? []);
  for (const s of spans) {
    if (s.start_us < start) start = s.start_us;
    if (s.end_us > end) end = s.end_us;
    if (s.status_code === "ERROR") errors++;
    services.add(s.service_name);
  }
  let service_name = first.service_name;
  let name = first.name;
  let root_span_id = first.parent_span_id === "" ? first.span_id : "";
  if (existing) {
    const newIsRoot = root_span_id !== "";
    const keepExisting = existing.root_span_id !== ""
      ? !(newIsRoot && first.start_us < existing.start_us)
      : !newIsRoot && first.start_us >= existing.start_us;
    if (keepExisting) {
      ({ service_name, name, root_span_id } = existing);
    }
    start = Math.min(start, existing.start_us);
    end = Math.max(end, existing.end_us);
  }
  const error_count = (existing?.error_count ?? 0) + errors;
  return {
    trace_id: spans[0].trace_id,
    service_name,
    name,
    root_span_id,
    start_us: start,
    end_us: end,
    duration_us: Math.max(0, end - start),
    status: error_count > 0 ? "ERROR" : "OK",
    span_count: (existing?.span_count ?? 0) + spans.length,
    error_count,
    services: [...services].sort(),
    attr_bloom: mergeBloom(existing ? existing.attr_bloom ?? null : undefined, spans.map(hashesOfSpan)),
  };
}
