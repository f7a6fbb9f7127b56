/**
 * Per-minute rollups, written at ingest in the batch's own transaction, so the
 * dashboard, the service map, RED per operation and the service list read a few
 * rows per minute of the window instead of every span in it (SPEC §6 figures at
 * 10M spans; migrations `0003_minute_rollups`).
 *
 * - `span_minutes`: spans per (minute, service, operation, latency bucket).
 *   Bucket -1 holds the spans that are not requests; the requests ("entry
 *   spans": SERVER, CONSUMER or a root, as in Jaeger's service performance
 *   view) are counted in their duration's bucket.
 * - `trace_minutes`: traces per (minute of the trace's start, service, bucket
 *   of its duration), once under '' (all traces) and once under every service
 *   the trace involves. A summary that changes (a late span) takes its old
 *   contribution back and adds the new one, so the rows always describe the
 *   current summaries.
 * - `edge_minutes`: calls from a parent span in one service to a child span in
 *   another, by the child's minute; counted once, by the batch that stores the
 *   second of the two spans (the parent may arrive before or after the child).
 * - `log_minutes`: log records per (minute, service, severity number).
 *
 * Every column but the key is a counter, written with the dialect's
 * insert-or-add, so batches never read rollup rows. Percentiles come from the
 * latency buckets, {@link BUCKETS_PER_DOUBLING} per doubling of the duration,
 * each with its count and duration sum: an estimate stays within the bucket of
 * the exact value (9 % wide), is usually much closer (4.5 % on the tests'
 * random latencies) and is exact when the ranks it needs are alone in their buckets.
 *
 * @module
 */

import type { LogRow, SpanRow } from "./rows.ts";
import { storable } from "./text.ts";
import type { TraceSummaryRow } from "./trace_summary.ts";

/** One minute in microseconds; rollup rows are keyed by the start of their UTC minute. */
export const MINUTE_US = 60_000_000;

/** The start of the minute holding `us`. */
export const minuteOf = (us: number): number => Math.floor(us / MINUTE_US) * MINUTE_US;

/** Latency buckets per doubling of the duration (Prometheus native histograms' schema 3). */
export const BUCKETS_PER_DOUBLING = 8;

/** Names in rollup keys are cut to this many code units (MySQL's key size limit). */
export const ROLLUP_NAME_MAX = 255;

/** The last bucket: durations of 2^48 µs (about 9 years) and more. */
const MAX_BUCKET = 48 * BUCKETS_PER_DOUBLING + 1;

/** Bucket of a duration in µs: 0 for under 1 µs, else b with 2^((b−1)/8) ≤ d < 2^(b/8). */
export function bucketOf(durationUs: number): number {
  if (!(durationUs >= 1)) return 0;
  return Math.min(MAX_BUCKET, Math.floor(Math.log2(durationUs) * BUCKETS_PER_DOUBLING) + 1);
}

/** The durations (µs) bucket `b` holds: [low, high). */
export function bucketBounds(b: number): [number, number] {
  if (b <= 0) return [0, 1];
  return [2 ** ((b - 1) / BUCKETS_PER_DOUBLING), 2 ** (b / BUCKETS_PER_DOUBLING)];
}

/** Counts and duration sums (µs) by latency bucket. */
export type Histogram = Map<number, { n: number; sumUs: number }>;

/** Adds `n` durations summing to `sumUs` to bucket `bucket` of `h`. */
export function addToHistogram(h: Histogram, bucket: number, n: number, sumUs: number): void {
  if (n === 0) return;
  const b = h.get(bucket);
  if (b) {
    b.n += n;
    b.sumUs += sumUs;
  } else h.set(bucket, { n, sumUs });
}

/**
 * Percentiles (µs) estimated from a histogram the way percentile_cont computes
 * them from values: linear interpolation between the two closest ranks. The
 * values of a bucket are taken as spread evenly around the bucket's exact mean,
 * as widely as the bucket's bounds allow, so a value alone in its bucket is
 * exact and any other is within its bucket (2^(1/8): 9 % of the value).
 */
export function histogramPercentiles(h: Histogram, ps: readonly number[]): number[] {
  const buckets = [...h.entries()].filter(([, b]) => b.n > 0).sort((a, b) => a[0] - b[0]);
  const n = buckets.reduce((sum, [, b]) => sum + b.n, 0);
  if (n === 0) return ps.map(() => 0);
  /** Estimated value of the j-th smallest (0-based). */
  const value = (j: number): number => {
    let before = 0;
    for (const [bucket, { n: c, sumUs }] of buckets) {
      if (j < before + c) {
        const [lo, hi] = bucketBounds(bucket);
        const mean = Math.min(hi, Math.max(lo, sumUs / c));
        const half = Math.min(mean - lo, hi - mean);
        return mean + half * (2 * (j - before + 0.5) / c - 1);
      }
      before += c;
    }
    return 0;
  };
  return ps.map((p) => {
    const k = ((n - 1) * p) / 100;
    const lo = Math.floor(k);
    const a = value(lo);
    return lo + 1 < n ? a + (value(lo + 1) - a) * (k - lo) : a;
  });
}

/** Counter deltas keyed by a rollup row's key; all-zero rows are left out. */
class Deltas {
  readonly #rows = new Map<string, { key: (string | number)[]; sums: number[] }>();
  readonly #counters: number;

  constructor(counters: number) {
    this.#counters = counters;
  }

  /**
   * The counters (zero at first) of the row whose key values are `key`, known by `id`, the
   * values joined by NUL: the caller builds `id` and the key array only when the row is new,
   * so a batch allocates one string per item, not two arrays.
   */
  sums(id: string, key: () => (string | number)[]): number[] {
    let row = this.#rows.get(id);
    if (!row) {
      row = { key: key(), sums: new Array<number>(this.#counters).fill(0) };
      this.#rows.set(id, row);
    }
    return row.sums;
  }

  rows(): (string | number)[][] {
    const out: (string | number)[][] = [];
    for (const { key, sums } of this.#rows.values()) {
      if (sums.some((v) => v !== 0)) out.push([...key, ...sums]);
    }
    return out;
  }
}

/** The columns of the rollup tables: keys first, then counters. */
export const ROLLUP_TABLES = {
  span_minutes: {
    keys: ["minute_us", "service_name", "name", "bucket"],
    counters: ["span_count", "error_count", "duration_sum_us"],
  },
  trace_minutes: {
    keys: ["minute_us", "service_name", "bucket"],
    counters: ["trace_count", "error_count", "span_count", "duration_sum_us"],
  },
  edge_minutes: {
    keys: ["minute_us", "parent_service", "child_service"],
    counters: ["call_count", "error_count", "duration_sum_us"],
  },
  log_minutes: {
    keys: ["minute_us", "service_name", "severity_number"],
    counters: ["record_count"],
  },
} as const;

/** A rollup table's name. */
export type RollupTable = keyof typeof ROLLUP_TABLES;

/** What the edges need of a span. */
export type SpanFacts = Pick<
  SpanRow,
  "trace_id" | "span_id" | "parent_span_id" | "service_name" | "status_code" | "duration_us" | "start_us"
>;

/** A trace summary before (absent for a new trace) and after a batch. */
export interface TraceChange {
  before?: TraceSummaryRow;
  after: TraceSummaryRow;
}

/** What one batch adds to each rollup table: rows of key values then counter deltas. */
export type RollupRows = Record<RollupTable, (string | number)[][]>;

/** A span is a request of its service (an entry span). */
export const isEntrySpan = (s: Pick<SpanRow, "kind" | "parent_span_id">): boolean =>
  s.kind === "SERVER" || s.kind === "CONSUMER" || s.parent_span_id === "";

const rollupName = (name: string) => name.length > ROLLUP_NAME_MAX ? storable(name, ROLLUP_NAME_MAX) : name;

/**
 * The rollup deltas of one batch: `fresh` spans (not stored before), `stored`
 * spans of the same traces already in the database, the trace summaries the
 * batch changes and the fresh log records.
 */
export function rollupDeltas(
  fresh: readonly SpanRow[],
  stored: readonly SpanFacts[],
  traces: readonly TraceChange[],
  logs: readonly Pick<LogRow, "timestamp_us" | "service_name" | "severity_number">[],
): RollupRows {
  const spans = new Deltas(ROLLUP_TABLES.span_minutes.counters.length);
  const edges = new Deltas(ROLLUP_TABLES.edge_minutes.counters.length);
  const traceRows = new Deltas(ROLLUP_TABLES.trace_minutes.counters.length);
  const logRows = new Deltas(ROLLUP_TABLES.log_minutes.counters.length);

  // Spans by trace, then by span id: no joined id string per span.
  const byTrace = new Map<string, Map<string, SpanFacts>>();
  const put = (s: SpanFacts) => {
    let spansOf = byTrace.get(s.trace_id);
    if (!spansOf) byTrace.set(s.trace_id, spansOf = new Map());
    spansOf.set(s.span_id, s);
  };
  for (const s of stored) put(s);
  for (const s of fresh) put(s);
  const edge = (parent: SpanFacts | undefined, child: SpanFacts) => {
    if (!parent || parent.service_name === child.service_name) return;
    const minute = minuteOf(child.start_us);
    const sums = edges.sums(
      `${minute}\u0000${parent.service_name}\u0000${child.service_name}`,
      () => [minute, parent.service_name, child.service_name],
    );
    sums[0] += 1;
    sums[1] += child.status_code === "ERROR" ? 1 : 0;
    sums[2] += child.duration_us;
  };

  for (const s of fresh) {
    const minute = minuteOf(s.start_us);
    const name = rollupName(s.name);
    const bucket = isEntrySpan(s) ? bucketOf(s.duration_us) : -1;
    const sums = spans.sums(
      `${minute}\u0000${s.service_name}\u0000${name}\u0000${bucket}`,
      () => [minute, s.service_name, name, bucket],
    );
    sums[0] += 1;
    sums[1] += s.status_code === "ERROR" ? 1 : 0;
    sums[2] += s.duration_us;
    if (s.parent_span_id !== "") edge(byTrace.get(s.trace_id)?.get(s.parent_span_id), s);
  }
  // A stored child whose parent arrives now.
  const freshIds = new Map<string, Set<string>>();
  for (const s of fresh) {
    let ids = freshIds.get(s.trace_id);
    if (!ids) freshIds.set(s.trace_id, ids = new Set());
    ids.add(s.span_id);
  }
  for (const c of stored) {
    if (c.parent_span_id === "" || !freshIds.get(c.trace_id)?.has(c.parent_span_id)) continue;
    edge(byTrace.get(c.trace_id)?.get(c.parent_span_id), c);
  }

  const addTrace = (t: TraceSummaryRow, sign: number) => {
    const minute = minuteOf(t.start_us);
    const bucket = bucketOf(t.duration_us);
    const add = (service: string) => {
      const sums = traceRows.sums(
        `${minute}\u0000${service}\u0000${bucket}`,
        () => [minute, service, bucket],
      );
      sums[0] += sign;
      sums[1] += t.status === "ERROR" ? sign : 0;
      sums[2] += sign * t.span_count;
      sums[3] += sign * t.duration_us;
    };
    add("");
    for (const service of t.services) add(service);
  };
  for (const { before, after } of traces) {
    if (before) addTrace(before, -1);
    addTrace(after, 1);
  }

  for (const l of logs) {
    const minute = minuteOf(l.timestamp_us);
    logRows.sums(
      `${minute}\u0000${l.service_name}\u0000${l.severity_number}`,
      () => [minute, l.service_name, l.severity_number],
    )[0] += 1;
  }

  return {
    span_minutes: spans.rows(),
    trace_minutes: traceRows.rows(),
    edge_minutes: edges.rows(),
    log_minutes: logRows.rows(),
  };
}
