/**
 * Every TanStack Query key of the UI. REST data and live data have separate
 * roots: live snapshots are written under `['live', …]` by the live provider,
 * and the same components read REST under the other keys when live is off.
 * Relative time ranges are keyed by their name (`15m`), not by resolved
 * times, so a refetch moves the window without changing the key.
 *
 * @module
 */
import { rangeKey, type TimeRange } from "../model/time_range.ts";
import type { LogFilters, TraceFilters } from "../model/url_state.ts";

const r = (range: TimeRange) => rangeKey(range);

/** Query keys, grouped by API area. */
export const keys = {
  traces: {
    all: ["traces"] as const,
    list: (f: TraceFilters, range: TimeRange) => ["traces", "list", r(range), f] as const,
    detail: (traceId: string) => ["traces", "detail", traceId] as const,
  },
  logs: {
    all: ["logs"] as const,
    list: (f: LogFilters, range: TimeRange) => ["logs", "list", r(range), f] as const,
    latestErrors: (range: TimeRange, services: readonly string[]) =>
      ["logs", "latestErrors", r(range), services] as const,
    context: (timestampUs: number, service: string) => ["logs", "context", timestampUs, service] as const,
    insight: (logId: string) => ["logs", "insight", logId] as const,
  },
  metrics: {
    all: ["metrics"] as const,
    dashboard: (range: TimeRange, services: readonly string[]) =>
      ["metrics", "dashboard", r(range), services] as const,
    traffic: (range: TimeRange, services: readonly string[]) =>
      ["metrics", "traffic", r(range), services] as const,
    latency: (range: TimeRange, services: readonly string[]) =>
      ["metrics", "latency", r(range), services] as const,
    serviceMap: (range: TimeRange) => ["metrics", "serviceMap", r(range)] as const,
    services: (range: TimeRange, services: readonly string[]) =>
      ["metrics", "services", r(range), services] as const,
  },
  metadata: {
    services: (range: TimeRange) => ["metadata", "services", r(range)] as const,
    operations: (service: string) => ["metadata", "operations", service] as const,
  },
  health: () => ["health"] as const,
  /** GET /api/session: who this browser is signed in as. Kept across sign-in and sign-out. */
  session: () => ["session"] as const,
  admin: {
    dlq: () => ["admin", "dlq"] as const,
  },
  /** Data pushed by the server; never fetched, only written by the live provider. */
  live: {
    all: ["live"] as const,
    dashboard: (service: string) => ["live", "dashboard", service] as const,
    traffic: (service: string) => ["live", "traffic", service] as const,
    traces: (service: string) => ["live", "traces", service] as const,
    serviceMap: (service: string) => ["live", "serviceMap", service] as const,
    health: () => ["live", "health"] as const,
  },
};
