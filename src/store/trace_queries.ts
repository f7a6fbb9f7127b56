/**
 * Trace and log reads for the REST API, written once against the dialect
 * contract through the tenant-scoped executor of a {@link Repository}.
 *
 * @module
 */

import { type Fragment, join, raw, scoped, spell, sql } from "../db/sql.ts";
import { bloomTest } from "./attr_bloom.ts";
import { type LogRecord, type Page, Repository, toLog, toTraceSummary } from "./repository.ts";
import type { TraceSummaryRow } from "./trace_summary.ts";
import {
  containsInsensitive,
  escapeLike,
  inList,
  intDiv,
  jsonAttribute,
  paging,
  traceHasAnyService,
} from "./query_support.ts";

/** Sortable trace columns: the allow-list that the `sort_by` parameter maps into. */
export const TRACE_SORTS = {
  timestamp: "t.start_us",
  duration: "t.duration_us",
  service_name: "t.service_name",
  span_count: "t.span_count",
} as const;

/** Filters of GET /api/traces. */
export interface TraceQuery {
  startUs: number;
  endUs: number;
  services: string[];
  status?: "OK" | "ERROR";
  search?: string;
  minDurationUs?: number;
  maxDurationUs?: number;
  attributes: { key: string; value: string }[];
  sortBy: keyof typeof TRACE_SORTS;
  order: "asc" | "desc";
  limit: number;
  offset: number;
}

/** Filters of GET /api/logs. */
export interface LogListQuery {
  startUs: number;
  endUs: number;
  services: string[];
  severities: number[];
  minSeverity?: number;
  search?: string;
  traceId?: string;
  limit: number;
  offset: number;
}

const SEVERITY_CEIL: Record<number, number> = { 1: 4, 5: 8, 9: 12, 13: 16, 17: 20, 21: 24 };

/**
 * A cheap first test before the JSON extraction: a span whose attributes hold
 * `value` holds its text somewhere in the JSON (as the string's characters, or a
 * number's or boolean's literal), so a plain LIKE drops most spans without
 * parsing them (a third of attribute-search time on SQLite). Only for printable
 * ASCII without `"` or `\`, which JSON writes as they are; any other value goes
 * straight to the JSON test, and so does anything spelled like a number, which the
 * database may store in another spelling. LIKE may fold case on some dialects: it only narrows.
 */
function attributeTextFilter(value: string): Fragment {
  if (value === "" || !/^[\x20-\x7e]+$/.test(value) || /["\\]/.test(value)) return sql``;
  // A number may be stored in another spelling than the one asked for (1e-7 as 1.0e-07 on SQLite).
  if (/^[-+0-9.eE]+$/.test(value)) return sql``;
  return sql`s.attributes LIKE ${`%${escapeLike(value)}%`} ESCAPE '!' AND `;
}

/** Any of `services` took part in the trace (its `services` JSON array names it). */
function traceConditions(q: TraceQuery): Fragment {
  const where: Fragment[] = [sql`t.start_us >= ${q.startUs}`, sql`t.start_us <= ${q.endUs}`];
  if (q.services.length) where.push(sql`(${traceHasAnyService(q.services)})`);
  if (q.status) where.push(sql`t.status = ${q.status}`);
  if (q.minDurationUs !== undefined) where.push(sql`t.duration_us >= ${q.minDurationUs}`);
  if (q.maxDurationUs !== undefined) where.push(sql`t.duration_us <= ${q.maxDurationUs}`);
  if (q.search) {
    where.push(sql`(t.trace_id = ${q.search.toLowerCase()} OR ${containsInsensitive("t.name", q.search)})`);
  }
  for (const a of q.attributes) {
    // The summary's attribute filter first: most traces are ruled out without reading their spans.
    const bloom = bloomTest(a.key, a.value);
    if (bloom) {
      // Column name and bits are ours (a fixed name, integers), never the request's text. Each half is a
      // literal below 2^24, an integer on every dialect.
      const c = `t.${bloom.column}`;
      const halves = [];
      if (bloom.lo) halves.push(raw(`(${c} & ${bloom.lo}) = ${bloom.lo}`));
      if (bloom.hi) {
        halves.push(sql`(${intDiv(c, "16777216")} & ${raw(String(bloom.hi))}) = ${raw(String(bloom.hi))}`);
      }
      const test = sql`(${raw(c)} IS NULL OR (${join(halves, " AND ")}))`;
      where.push(spell((s, emit) => s.foldsText ? "1 = 1" : emit(test)));
    }
    where.push(
      sql`EXISTS (SELECT 1 FROM ${
        scoped("spans")
      } s WHERE s.trace_key = t.trace_key AND s.trace_id = t.trace_id AND ${attributeTextFilter(a.value)}${
        jsonAttribute("s.attributes", a.key)
      } = ${a.value})`,
    );
  }
  return join(where, " AND ");
}

/** A page of trace summaries and the total that matched. */
export async function listTraces(repo: Repository, q: TraceQuery): Promise<Page<TraceSummaryRow>> {
  const cond = traceConditions(q);
  const order = raw(`${TRACE_SORTS[q.sortBy]} ${q.order === "asc" ? "ASC" : "DESC"}, t.trace_id ASC`);
  const [count, rows] = await Promise.all([
    repo.reads.query(sql`SELECT COUNT(*) AS n FROM ${scoped("traces")} t WHERE ${cond}`),
    repo.reads.query(
      sql`SELECT t.* FROM ${scoped("traces")} t WHERE ${cond} ORDER BY ${order} ${paging(q.limit, q.offset)}`,
    ),
  ]);
  return { rows: rows.map(toTraceSummary), total: Number(count[0]?.n ?? 0) };
}

function logConditions(q: LogListQuery): Fragment {
  const where: Fragment[] = [sql`l.timestamp_us >= ${q.startUs}`, sql`l.timestamp_us <= ${q.endUs}`];
  if (q.services.length) where.push(sql`l.service_name IN (${inList(q.services)})`);
  if (q.severities.length) {
    where.push(
      sql`(${
        join(
          q.severities.map((f) =>
            sql`(l.severity_number >= ${f} AND l.severity_number <= ${SEVERITY_CEIL[f]})`
          ),
          " OR ",
        )
      })`,
    );
  }
  if (q.minSeverity !== undefined) where.push(sql`l.severity_number >= ${q.minSeverity}`);
  if (q.search) where.push(containsInsensitive("l.body", q.search));
  if (q.traceId !== undefined) where.push(Repository.logsOfTrace(q.traceId.toLowerCase()));
  return join(where, " AND ");
}

/** A page of logs, newest first, and the total that matched. */
export async function listLogs(repo: Repository, q: LogListQuery): Promise<Page<LogRecord>> {
  const cond = logConditions(q);
  const [count, rows] = await Promise.all([
    repo.reads.query(sql`SELECT COUNT(*) AS n FROM ${scoped("logs")} l WHERE ${cond}`),
    repo.reads.query(
      sql`SELECT l.* FROM ${scoped("logs")} l WHERE ${cond} ORDER BY l.timestamp_us DESC, l.id DESC ${
        paging(q.limit, q.offset)
      }`,
    ),
  ]);
  return { rows: (await repo.withResources(rows)).map(toLog), total: Number(count[0]?.n ?? 0) };
}

/** Logs within ±1 minute of `timestampUs`: up to `limit` split between before and after, oldest first. */
export async function logContext(
  repo: Repository,
  timestampUs: number,
  services: string[],
  limit: number,
): Promise<LogRecord[]> {
  const window = 60_000_000;
  const svc = services.length ? sql` AND l.service_name IN (${inList(services)})` : sql``;
  const half = Math.max(1, Math.ceil(limit / 2));
  const [before, after] = await Promise.all([
    repo.reads.query(
      sql`SELECT l.* FROM ${scoped("logs")} l WHERE l.timestamp_us >= ${
        timestampUs - window
      } AND l.timestamp_us < ${timestampUs}${svc} ORDER BY l.timestamp_us DESC, l.id DESC ${paging(half, 0)}`,
    ),
    repo.reads.query(
      sql`SELECT l.* FROM ${scoped("logs")} l WHERE l.timestamp_us >= ${timestampUs} AND l.timestamp_us <= ${
        timestampUs + window
      }${svc} ORDER BY l.timestamp_us ASC, l.id ASC ${paging(half, 0)}`,
    ),
  ]);
  return (await repo.withResources([...before.reverse(), ...after])).map(toLog);
}
