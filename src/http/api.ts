/**
 * The REST query routes of SPEC §6: traces, logs, metrics and metadata. Thin:
 * parse parameters (src/http/params.ts), call the store's queries, convert to
 * wire types (src/http/wire.ts). Errors go through the one error table.
 *
 * @module
 */

import type { Router } from "./router.ts";
import type { Store } from "../store/store.ts";
import type { Repository } from "../store/repository.ts";
import { BadRequestError, errorStatus, NotFoundError } from "./errors.ts";
import {
  parseAttributes,
  parseChoice,
  parseInteger,
  parseList,
  parseMillis,
  parsePaging,
  parseRange,
  parseSeverities,
  parseTime,
} from "./params.ts";
import { toLogEntry, toSpan, toTraceSummary } from "./wire.ts";
import { listLogs, listTraces, logContext, TRACE_SORTS } from "../store/trace_queries.ts";
import {
  dashboard,
  latencyHeatmap,
  type MetricQuery,
  operationNames,
  serviceMap,
  serviceNames,
  serviceStats,
  traffic,
} from "../store/metric_queries.ts";

/** What the query routes need. */
export interface ApiDeps {
  store: Store;
  tenantOf: (req: Request) => string;
  /** Queues AI analysis of one log; absent while AI is off. Resolves to the new status. */
  requestInsight?: (tenant: string, id: number) => Promise<string>;
  /** Says how to turn AI on, for a POST while it is off. */
  aiOffMessage?: string;
}

const METADATA_WINDOW_MS = 7 * 24 * 3_600_000;
const HEX32 = /^[0-9a-f]{32}$/;

/**
 * The URL with NUL characters in its query replaced by U+FFFD: PostgreSQL
 * refuses NUL in a parameter, stored text never contains one, so such a filter
 * matches nothing on every dialect instead of failing on one.
 */
function cleanUrl(url: URL): URL {
  if (!url.search.includes("%00")) return url;
  const clean = new URL(url);
  clean.search = "";
  for (const [k, v] of url.searchParams) clean.searchParams.append(k, v.replaceAll("\u0000", "\ufffd"));
  return clean;
}

/** JSON with the error table applied to thrown errors. */
function json(
  run: (req: Request, url: URL, params: Record<string, string>) => Promise<unknown> | unknown,
  status = 200,
) {
  return async (req: Request, ctx: { url: URL; params: Record<string, string> }) => {
    try {
      return Response.json(await run(req, cleanUrl(ctx.url), ctx.params), { status });
    } catch (err) {
      const s = errorStatus(err);
      return Response.json({ error: s.message }, {
        status: s.http,
        headers: s.retryAfterS ? { "Retry-After": String(s.retryAfterS) } : {},
      });
    }
  };
}

function metricQuery(p: URLSearchParams): MetricQuery {
  return { ...parseRange(p), services: parseList(p, "service_name") };
}

function logId(raw: string): number {
  if (!/^\d{1,16}$/.test(raw)) {
    throw new BadRequestError(`Cannot parse log id ${JSON.stringify(raw)}: expected an integer`);
  }
  return Number(raw);
}

/** Adds the query routes to `router`. */
export function registerQueryRoutes(router: Router, deps: ApiDeps): void {
  const repo = (req: Request): Repository => deps.store.forTenant(deps.tenantOf(req));

  router.on(
    "GET",
    "/api/traces",
    json(async (req, url) => {
      const p = url.searchParams;
      const range = parseRange(p);
      const page = parsePaging(p);
      const min = parseMillis(p, "min_duration_ms");
      const max = parseMillis(p, "max_duration_ms");
      const result = await listTraces(repo(req), {
        ...range,
        services: parseList(p, "service_name"),
        status: parseChoice(p, "status", ["OK", "ERROR"] as const, undefined),
        search: p.get("search")?.trim() || undefined,
        minDurationUs: min,
        maxDurationUs: max,
        attributes: parseAttributes(p),
        sortBy: parseChoice(
          p,
          "sort_by",
          Object.keys(TRACE_SORTS) as (keyof typeof TRACE_SORTS)[],
          "timestamp",
        )!,
        order: parseChoice(p, "order_by", ["asc", "desc"] as const, "desc")!,
        ...page,
      });
      return { data: result.rows.map(toTraceSummary), total: result.total, ...page };
    }),
  );

  router.on(
    "GET",
    "/api/traces/:trace_id",
    json(async (req, _url, params) => {
      const id = params.trace_id.toLowerCase();
      if (!HEX32.test(id)) {
        throw new BadRequestError("Cannot use trace_id: expected 32 hexadecimal characters");
      }
      const r = repo(req);
      const [trace, spans, logs] = await Promise.all([r.getTrace(id), r.getSpans(id), r.getTraceLogs(id)]);
      if (!trace) throw new NotFoundError(`No trace with id ${id}`);
      return { trace: toTraceSummary(trace), spans: spans.map(toSpan), logs: logs.map(toLogEntry) };
    }),
  );

  router.on(
    "GET",
    "/api/logs",
    json(async (req, url) => {
      const p = url.searchParams;
      const page = parsePaging(p);
      const sev = parseSeverities(p);
      const result = await listLogs(repo(req), {
        ...parseRange(p),
        services: parseList(p, "service_name"),
        severities: sev.exact,
        minSeverity: sev.min,
        search: p.get("search")?.trim() || undefined,
        traceId: p.get("trace_id")?.trim() || undefined,
        ...page,
      });
      return { data: result.rows.map(toLogEntry), total: result.total, ...page };
    }),
  );

  router.on(
    "GET",
    "/api/logs/context",
    json(async (req, url) => {
      const p = url.searchParams;
      const raw = p.get("timestamp");
      if (!raw) {
        throw new BadRequestError(`Cannot use "timestamp": it is required (RFC 3339 or Unix milliseconds)`);
      }
      const ts = parseTime("timestamp", raw);
      const limit = parseInteger(p, "limit", 100, 1, 1000);
      const rows = await logContext(repo(req), ts, parseList(p, "service_name"), limit);
      return { data: rows.map(toLogEntry) };
    }),
  );

  router.on(
    "GET",
    "/api/logs/:id/insight",
    json(async (req, _url, params) => {
      const log = await repo(req).getLog(logId(params.id));
      if (!log) throw new NotFoundError(`No log with id ${params.id}`);
      return { insight: log.ai_insight, status: log.ai_status };
    }),
  );

  router.on(
    "POST",
    "/api/logs/:id/insight",
    json(async (req, _url, params) => {
      const id = logId(params.id);
      const tenant = deps.tenantOf(req);
      const log = await deps.store.forTenant(tenant).getLog(id);
      if (!log) throw new NotFoundError(`No log with id ${params.id}`);
      if (!deps.requestInsight) {
        throw new BadRequestError(deps.aiOffMessage ?? "AI analysis is off: set AI_ENABLED=true and a model");
      }
      return { insight: "", status: await deps.requestInsight(tenant, id) };
    }, 202),
  );

  router.on(
    "GET",
    "/api/metrics/dashboard",
    json((req, url) => dashboard(repo(req), metricQuery(url.searchParams))),
  );
  router.on(
    "GET",
    "/api/metrics/traffic",
    json((req, url) => traffic(repo(req), metricQuery(url.searchParams))),
  );
  router.on(
    "GET",
    "/api/metrics/latency_heatmap",
    json((req, url) => latencyHeatmap(repo(req), metricQuery(url.searchParams))),
  );
  router.on(
    "GET",
    "/api/metrics/service-map",
    json((req, url) => serviceMap(repo(req), metricQuery(url.searchParams))),
  );
  router.on(
    "GET",
    "/api/metrics/services",
    json((req, url) => serviceStats(repo(req), metricQuery(url.searchParams))),
  );

  router.on(
    "GET",
    "/api/metadata/services",
    json((req, url) =>
      serviceNames(repo(req), {
        ...parseRange(url.searchParams, Date.now(), METADATA_WINDOW_MS),
        services: [],
      })
    ),
  );
  router.on(
    "GET",
    "/api/metadata/operations",
    json((req, url) => {
      const service = url.searchParams.get("service_name")?.trim();
      if (!service) throw new BadRequestError(`Cannot use "service_name": it is required`);
      return operationNames(
        repo(req),
        { ...parseRange(url.searchParams, Date.now(), METADATA_WINDOW_MS), services: [] },
        service,
      );
    }),
  );
}
