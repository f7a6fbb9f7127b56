/**
 * Query latency through the HTTP API, as the UI asks: one trace by id, trace
 * searches with filters, the dashboard, the service map and a logs search, over
 * the UI's default window (last 15 minutes) and over all the loaded data.
 *
 * @module
 */

import { percentile } from "./stats.ts";

/** Latency of one query shape. */
export interface QueryLatency {
  query: string;
  window: string;
  samples: number;
  p50Ms: number;
  p95Ms: number;
  /** `total` (or array length) of the last answer, to show the query matched something. */
  matched: number;
}

interface Shape {
  query: string;
  path: (w: { start: number; end: number }, pick: () => string) => string;
  windowed: boolean;
}

const SHAPES: Shape[] = [
  { query: "trace by id", path: (_w, pick) => `/api/traces/${pick()}`, windowed: false },
  {
    query: "trace search: service + status + min duration",
    path: (w) =>
      `/api/traces?service_name=payment&status=ERROR&min_duration_ms=1&start=${w.start}&end=${w.end}`,
    windowed: true,
  },
  {
    query: "trace search: attribute",
    path: (w) =>
      `/api/traces?attr=${encodeURIComponent("enduser.id=user-111")}&start=${w.start}&end=${w.end}`,
    windowed: true,
  },
  { query: "dashboard", path: (w) => `/api/metrics/dashboard?start=${w.start}&end=${w.end}`, windowed: true },
  {
    query: "service map",
    path: (w) => `/api/metrics/service-map?start=${w.start}&end=${w.end}`,
    windowed: true,
  },
  {
    query: "logs search: text + severity",
    path: (w) => `/api/logs?search=upstream&severity=ERROR&start=${w.start}&end=${w.end}`,
    windowed: true,
  },
];

function matchedOf(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  const o = body as Record<string, unknown>;
  if (typeof o.total === "number") return o.total;
  if (typeof o.total_spans === "number") return o.total_spans;
  if (Array.isArray(o.edges)) return o.edges.length;
  if (Array.isArray(o.spans)) return o.spans.length;
  return 0;
}

/**
 * Runs each query shape up to `samples` times (after one warm-up), stopping a
 * shape early when it has used `budgetMs`.
 */
export async function measureQueries(
  baseUrl: string,
  traceIds: string[],
  windows: { name: string; start: number; end: number }[],
  samples: number,
  budgetMs: number,
): Promise<QueryLatency[]> {
  const out: QueryLatency[] = [];
  let n = 0;
  const pick = () => traceIds[(n++ * 7919) % traceIds.length];
  for (const shape of SHAPES) {
    for (const w of shape.windowed ? windows : windows.slice(0, 1)) {
      const times: number[] = [];
      let matched = 0;
      const started = performance.now();
      for (let i = 0; i <= samples && (i < 6 || performance.now() - started < budgetMs); i++) {
        const t0 = performance.now();
        const res = await fetch(`${baseUrl}${shape.path(w, pick)}`);
        const body = await res.json();
        const ms = performance.now() - t0;
        if (!res.ok) throw new Error(`${shape.query}: HTTP ${res.status} ${JSON.stringify(body)}`);
        matched = matchedOf(body);
        if (i > 0) times.push(ms); // the first is a warm-up
      }
      times.sort((a, b) => a - b);
      out.push({
        query: shape.query,
        window: shape.windowed ? w.name : "-",
        samples: times.length,
        p50Ms: Number(percentile(times, 0.5).toFixed(1)),
        p95Ms: Number(percentile(times, 0.95).toFixed(1)),
        matched,
      });
    }
  }
  return out;
}
