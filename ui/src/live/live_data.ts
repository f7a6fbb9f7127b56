/**
 * Views that live mode can feed: each hook returns the live snapshot's part
 * (from the `['live', …]` cache) while live is on, else the REST query under
 * its normal key. Both are TanStack query results of the same domain type.
 *
 * @module
 */
import { skipToken, useQuery, type UseQueryResult } from "@tanstack/react-query";
import { useDashboardQuery, useServiceMapQuery, useTrafficQuery } from "../api/hooks.ts";
import { keys } from "../api/keys.ts";
import type { TimeRange } from "../model/time_range.ts";
import type { DashboardStats, ServiceMap, TraceSummary, TrafficPoint } from "../model/types.ts";
import { useLive } from "./LiveProvider.tsx";

/** Reads a live key that only the live provider writes. */
function usePushed<T>(key: readonly unknown[], enabled: boolean): UseQueryResult<T> {
  return useQuery<T>({ queryKey: key, queryFn: skipToken, enabled, staleTime: Infinity, gcTime: 5 * 60_000 });
}

/** Dashboard figures: live snapshot or GET /api/metrics/dashboard. */
export function useDashboardStats(
  range: TimeRange,
  services: readonly string[],
): UseQueryResult<DashboardStats> {
  const live = useLive();
  const rest = useDashboardQuery(range, services, { enabled: !live.enabled });
  const pushed = usePushed<DashboardStats>(keys.live.dashboard(live.service), live.enabled);
  return live.enabled ? pushed : rest;
}

/** Traffic series: live snapshot or GET /api/metrics/traffic. */
export function useTrafficSeries(
  range: TimeRange,
  services: readonly string[],
): UseQueryResult<TrafficPoint[]> {
  const live = useLive();
  const rest = useTrafficQuery(range, services, { enabled: !live.enabled });
  const pushed = usePushed<TrafficPoint[]>(keys.live.traffic(live.service), live.enabled);
  return live.enabled ? pushed : rest;
}

/** Service map: live snapshot or GET /api/metrics/service-map. */
export function useServiceMapData(range: TimeRange): UseQueryResult<ServiceMap> {
  const live = useLive();
  const rest = useServiceMapQuery(range, { enabled: !live.enabled });
  const pushed = usePushed<ServiceMap>(keys.live.serviceMap(live.service), live.enabled);
  return live.enabled ? pushed : rest;
}

/** The newest traces of the live snapshot (only while live is on). */
export function useLiveTraces(): UseQueryResult<TraceSummary[]> {
  const live = useLive();
  return usePushed<TraceSummary[]>(keys.live.traces(live.service), live.enabled);
}
