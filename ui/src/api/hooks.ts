/**
 * One `use…Query` (or mutation) hook per REST endpoint of SPEC §6. Each fetches
 * wire JSON, converts it to domain types and caches it under a key from
 * `keys.ts`. Relative time ranges are resolved when the request is sent.
 *
 * @module
 */
import {
  keepPreviousData,
  skipToken,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import type { TimeRange } from "../model/time_range.ts";
import type { Insight, LogEntry, Page } from "../model/types.ts";
import type { LogFilters, TraceFilters } from "../model/url_state.ts";
import { request } from "./client.ts";
import {
  toDashboard,
  toDlqFiles,
  toHealth,
  toInsight,
  toLatency,
  toLogEntry,
  toPage,
  toServiceMap,
  toServiceStats,
  toTraceDetail,
  toTraceSummary,
  toTraffic,
} from "./convert.ts";
import { keys } from "./keys.ts";
import { logListParams, rangeParams, traceListParams } from "./params.ts";
import type {
  WireDashboardStats,
  WireHealth,
  WireInsight,
  WireLatencyPoint,
  WireLogContext,
  WireLogEntry,
  WirePage,
  WirePurgeResult,
  WireServiceMap,
  WireServiceStats,
  WireTraceDetail,
  WireTraceSummary,
  WireTrafficPoint,
} from "./wire.ts";

/** Options shared by the hooks: turn a query off, or poll it. */
export interface QueryToggles {
  enabled?: boolean;
  refetchIntervalMs?: number | false;
}

const poll = (o?: QueryToggles) => o?.refetchIntervalMs ?? false;

/** GET /api/traces: one page of trace summaries. */
export function useTracesQuery(filters: TraceFilters, range: TimeRange, opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.traces.list(filters, range),
    queryFn: async ({ signal }) =>
      toPage(
        await request<WirePage<WireTraceSummary>>("/api/traces", {
          params: traceListParams(filters, range, Date.now()),
          signal,
        }),
        toTraceSummary,
      ),
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/traces/{trace_id}: a trace with its spans and logs. */
export function useTraceQuery(traceId: string) {
  return useQuery({
    queryKey: keys.traces.detail(traceId),
    queryFn: async ({ signal }) =>
      toTraceDetail(
        await request<WireTraceDetail>(`/api/traces/${encodeURIComponent(traceId)}`, { signal }),
      ),
    retry: (count, err) => count < 2 && !(err && "status" in err && err.status === 404),
    staleTime: 30_000,
  });
}

/** Logs fetched per request by the logs page. */
export const LOG_PAGE_SIZE = 200;

/** GET /api/logs, page after page for the virtualised list. */
export function useLogsQuery(filters: LogFilters, range: TimeRange, opts?: QueryToggles) {
  return useInfiniteQuery({
    queryKey: keys.logs.list(filters, range),
    initialPageParam: { offset: 0, nowMs: 0 },
    queryFn: async ({ pageParam, signal }) => {
      // Later pages keep the first page's "now" so offsets stay consistent.
      const nowMs = pageParam.nowMs || Date.now();
      const page = toPage(
        await request<WirePage<WireLogEntry>>("/api/logs", {
          params: logListParams(filters, range, nowMs, LOG_PAGE_SIZE, pageParam.offset),
          signal,
        }),
        toLogEntry,
      );
      return { ...page, nowMs };
    },
    getNextPageParam: (last: Page<LogEntry> & { nowMs: number }) => {
      const next = last.offset + last.items.length;
      return last.items.length > 0 && next < last.total && next <= 100_000
        ? { offset: next, nowMs: last.nowMs }
        : undefined;
    },
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
  });
}

/** GET /api/logs with severity ERROR and FATAL: the newest error logs. */
export function useLatestErrorLogsQuery(range: TimeRange, services: readonly string[], opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.logs.latestErrors(range, services),
    queryFn: async ({ signal }) => {
      const params = rangeParams(range, Date.now(), services);
      params.append("severity", "ERROR");
      params.append("severity", "FATAL");
      params.set("limit", "10");
      return toPage(await request<WirePage<WireLogEntry>>("/api/logs", { params, signal }), toLogEntry);
    },
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
  });
}

/** GET /api/logs/context: logs within ±1 minute of a time (pass `null` to wait). */
export function useLogContextQuery(timestampUs: number | null, service: string) {
  return useQuery({
    queryKey: keys.logs.context(timestampUs ?? 0, service),
    queryFn: timestampUs === null ? skipToken : async ({ signal }) => {
      const params = new URLSearchParams({ timestamp: String(Math.floor(timestampUs / 1000)) });
      if (service) params.set("service_name", service);
      const body = await request<WireLogContext>("/api/logs/context", { params, signal });
      return (Array.isArray(body?.data) ? body.data : []).map(toLogEntry);
    },
    staleTime: 60_000,
  });
}

/** GET /api/logs/{id}/insight; polls every 2 s while the analysis is pending. */
export function useLogInsightQuery(logId: string | null) {
  return useQuery({
    queryKey: keys.logs.insight(logId ?? ""),
    queryFn: logId === null
      ? skipToken
      : async ({ signal }) =>
        toInsight(await request<WireInsight>(`/api/logs/${encodeURIComponent(logId)}/insight`, { signal })),
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 2000 : false),
  });
}

/** POST /api/logs/{id}/insight: queue an analysis now; the insight query then polls. */
export function useRequestInsight() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (logId: string) =>
      request<unknown>(`/api/logs/${encodeURIComponent(logId)}/insight`, { method: "POST" }),
    onSuccess: (_data, logId) => {
      client.setQueryData<Insight>(
        keys.logs.insight(logId),
        (old) => ({ insight: old?.insight ?? "", status: "pending" }),
      );
    },
  });
}

/** GET /api/metrics/dashboard */
export function useDashboardQuery(range: TimeRange, services: readonly string[], opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.metrics.dashboard(range, services),
    queryFn: async ({ signal }) =>
      toDashboard(
        await request<WireDashboardStats>("/api/metrics/dashboard", {
          params: rangeParams(range, Date.now(), services),
          signal,
        }),
      ),
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/metrics/traffic */
export function useTrafficQuery(range: TimeRange, services: readonly string[], opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.metrics.traffic(range, services),
    queryFn: async ({ signal }) =>
      toTraffic(
        await request<WireTrafficPoint[]>("/api/metrics/traffic", {
          params: rangeParams(range, Date.now(), services),
          signal,
        }),
      ),
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/metrics/latency_heatmap */
export function useLatencyQuery(range: TimeRange, services: readonly string[], opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.metrics.latency(range, services),
    queryFn: async ({ signal }) =>
      toLatency(
        await request<WireLatencyPoint[]>("/api/metrics/latency_heatmap", {
          params: rangeParams(range, Date.now(), services),
          signal,
        }),
      ),
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/metrics/service-map */
export function useServiceMapQuery(range: TimeRange, opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.metrics.serviceMap(range),
    queryFn: async ({ signal }) =>
      toServiceMap(
        await request<WireServiceMap>("/api/metrics/service-map", {
          params: rangeParams(range, Date.now()),
          signal,
        }),
      ),
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/metrics/services: RED figures per service and operation. */
export function useServiceStatsQuery(range: TimeRange, services: readonly string[], opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.metrics.services(range, services),
    queryFn: async ({ signal }) =>
      toServiceStats(
        await request<WireServiceStats[]>("/api/metrics/services", {
          params: rangeParams(range, Date.now(), services),
          signal,
        }),
      ),
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/metadata/services: service names seen in the range. */
export function useServicesQuery(range: TimeRange) {
  return useQuery({
    queryKey: keys.metadata.services(range),
    queryFn: async ({ signal }) => {
      const names = await request<string[]>("/api/metadata/services", {
        params: rangeParams(range, Date.now()),
        signal,
      });
      return Array.isArray(names) ? names.map(String).sort() : [];
    },
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/metadata/operations?service_name= (pass `""` to wait). */
export function useOperationsQuery(service: string) {
  return useQuery({
    queryKey: keys.metadata.operations(service),
    queryFn: !service ? skipToken : async ({ signal }) => {
      const names = await request<string[]>("/api/metadata/operations", {
        params: new URLSearchParams({ service_name: service }),
        signal,
      });
      return Array.isArray(names) ? names.map(String).sort() : [];
    },
    staleTime: 60_000,
  });
}

/** GET /api/health */
export function useHealthQuery(opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.health(),
    queryFn: async ({ signal }) => toHealth(await request<WireHealth>("/api/health", { signal })),
    enabled: opts?.enabled ?? true,
    refetchInterval: poll(opts),
  });
}

/** GET /api/admin/dlq */
export function useDlqQuery(opts?: QueryToggles) {
  return useQuery({
    queryKey: keys.admin.dlq(),
    queryFn: async ({ signal }) => toDlqFiles(await request<unknown>("/api/admin/dlq", { signal })),
    enabled: opts?.enabled ?? true,
    refetchInterval: 10_000,
  });
}

/** POST /api/admin/dlq/replay */
export function useReplayDlq() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<unknown>("/api/admin/dlq/replay", { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.admin.dlq() }),
  });
}

/** DELETE /api/admin/purge?days=N */
export function usePurge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (days: number) =>
      request<WirePurgeResult>("/api/admin/purge", {
        method: "DELETE",
        params: new URLSearchParams({ days: String(days) }),
      }),
    onSuccess: () => {
      for (const root of [keys.traces.all, keys.logs.all, keys.metrics.all]) {
        client.invalidateQueries({ queryKey: root });
      }
    },
  });
}

/** POST /api/admin/vacuum */
export function useVacuum() {
  return useMutation({
    mutationFn: () => request<{ status?: string }>("/api/admin/vacuum", { method: "POST" }),
  });
}
