/**
 * The LiveSnapshot of SPEC §7 for one service filter (`""` = all) over the last
 * 15 minutes: the same figures the REST endpoints give, in one message.
 *
 * @module
 */

import type { Repository } from "../store/repository.ts";
import { dashboard, type MetricQuery, serviceMap, traffic } from "../store/metric_queries.ts";
import { listTraces } from "../store/trace_queries.ts";
import { toTraceSummary } from "./wire.ts";

/** Builds a snapshot (without its `type` and `service` fields, which the hub adds). */
export async function liveSnapshot(repo: Repository, service: string, nowMs: number) {
  const q: MetricQuery = {
    startUs: (nowMs - 15 * 60_000) * 1000,
    endUs: nowMs * 1000,
    services: service ? [service] : [],
  };
  const [dash, series, newest, map] = await Promise.all([
    dashboard(repo, q),
    traffic(repo, q),
    listTraces(repo, { ...q, attributes: [], sortBy: "timestamp", order: "desc", limit: 50, offset: 0 }),
    serviceMap(repo, q),
  ]);
  return {
    window: { start: new Date(q.startUs / 1000).toISOString(), end: new Date(q.endUs / 1000).toISOString() },
    dashboard: dash,
    traffic: series,
    traces: newest.rows.map(toTraceSummary),
    service_map: map,
  };
}
