/**
 * The repository: writes and reads of spans, trace summaries and logs, written
 * once against the dialect contract. A {@link Repository} is opened for one
 * tenant; every statement it issues is compiled with that tenant's predicate or
 * value by the scoping helpers and checked by {@link ScopedExecutor}.
 *
 * @module
 */

import type { Database, Executor, Row, WriteStatement } from "../db/contract.ts";
import { writeTransaction } from "../db/write.ts";
import { UNKNOWN_SERVICE } from "../otlp/map_traces.ts";
import { type Fragment, join, scoped, spell, sql } from "../db/sql.ts";
import type { AiStatus, LogRow, SpanRow } from "./rows.ts";
import {
  accumulateRows,
  insertRows,
  raiseRows,
  ScopedExecutor,
  type StatementObserver,
  updateWhere,
  upsertRows,
} from "./scope.ts";
import { ROLLUP_TABLES, rollupDeltas, type RollupTable, type SpanFacts } from "./rollups.ts";
import { LIMITS, storable, storableJson } from "./text.ts";
import { inList } from "./query_support.ts";
import { attachResources, RESOURCE_COLUMNS, ResourceIds, resourcesToWrite } from "./resources.ts";
import { mergeTraceSummary, type TraceSummaryRow } from "./trace_summary.ts";
import { ATTR_HASHES, BLOOM_COLUMN_NAMES, bloomOf } from "./attr_bloom.ts";
import { IdGenerator } from "./ids.ts";

/** A log row with the id the writer gave it and its starting AI state (default `none`). */
export interface StoredLogRow extends LogRow {
  id: number;
  ai_status?: AiStatus;
  ai_insight?: string;
}

/** A log as read back, with its AI fields. */
export interface LogRecord extends StoredLogRow {
  ai_insight: string;
  ai_status: AiStatus;
}

/** What one batch write stored (duplicates left out), for the fan-out after commit. */
export interface WriteResult {
  spans: SpanRow[];
  logs: StoredLogRow[];
  traces: TraceSummaryRow[];
  duplicateSpans: number;
  duplicateLogs: number;
}

/** A page of rows and the total that matched. */
export interface Page<T> {
  rows: T[];
  total: number;
}

/** Filters of a logs page. */
export interface LogQuery {
  startUs: number;
  endUs: number;
  limit: number;
  offset: number;
  traceId?: string;
}

export const SPAN_COLUMNS = [
  "trace_id",
  "span_id",
  "parent_span_id",
  "name",
  "service_name",
  "kind",
  "start_us",
  "end_us",
  "duration_us",
  "status_code",
  "status_message",
  "attributes",
  "resource_attributes",
  "events",
  "links",
  "scope_name",
  "scope_version",
] as const;

export const TRACE_COLUMNS = [
  "trace_id",
  "service_name",
  "name",
  "root_span_id",
  "start_us",
  "end_us",
  "duration_us",
  "status",
  "span_count",
  "error_count",
  "services",
] as const;

export const LOG_COLUMNS = [
  "id",
  "timestamp_us",
  "trace_id",
  "span_id",
  "severity_number",
  "severity",
  "body",
  "service_name",
  "attributes",
  "resource_attributes",
  "scope_name",
  "ai_insight",
  "ai_status",
] as const;

/**
 * The columns written per span or log: a row's resource goes to `resources` and
 * the row names it by `resource_id`; its own `resource_attributes` is written ''
 * (kept for rows from before migration 0004, see resources.ts).
 */
const STORED_SPAN_COLUMNS = [...SPAN_COLUMNS, "resource_id", "trace_key"] as const;
const STORED_LOG_COLUMNS = [...LOG_COLUMNS, "resource_id", "trace_key"] as const;
/** A summary as written: with the key its spans are found by (migration 0006). */
const STORED_TRACE_COLUMNS: readonly string[] = [...TRACE_COLUMNS, "trace_key", ...BLOOM_COLUMN_NAMES];

/** The attribute filter's columns of a summary whose pairs are unknown (attr_bloom.ts). */
const NO_BLOOM: readonly null[] = BLOOM_COLUMN_NAMES.map(() => null);

/** Trace keys: one generator per process, as for log ids (one Argus process writes a database). */
const traceKeys = new IdGenerator();

/**
 * Appends the values of row `r` to `out`, in the order of the stored columns. Appended, not
 * assigned by index into a sized array: with sized (holey) arrays the SQLite writer thread,
 * which receives the rows as a structured clone, was measured a tenth slower per row.
 */
type RowFill<T> = (r: T, out: unknown[]) => void;

/** Statement size bound, well under MySQL's default 16 MiB packet. */
const MAX_STATEMENT_CHARS = 4_000_000;

/**
 * A storable service name; one that is empty once cleaned (a NUL, only spaces, which MySQL and
 * SQL Server compare equal to '') becomes `unknown_service`, as a missing one does: the
 * per-minute trace rollups count all traces under the name ''.
 */
function serviceName(name: string): string {
  const clean = storable(name, LIMITS.serviceName);
  return clean.trim() === "" ? UNKNOWN_SERVICE : clean;
}

/** `row` with `clean` values in place of its own: the row itself when nothing changed (the usual case). */
function withClean<T extends object>(row: T, clean: Partial<T>): T {
  for (const k in clean) if (clean[k] !== row[k]) return { ...row, ...clean };
  return row;
}

function cleanSpan(s: SpanRow): SpanRow {
  const attributes = storableJson(s.attributes, "{}");
  return withClean(s, {
    name: storable(s.name, LIMITS.name),
    service_name: serviceName(s.service_name),
    status_message: storable(s.status_message, LIMITS.shortText),
    attributes,
    // The mapper's hashes are of the attributes it saw: a replaced text is hashed again from itself.
    [ATTR_HASHES]: attributes === s.attributes ? s[ATTR_HASHES] : undefined,
    resource_attributes: storableJson(s.resource_attributes, "{}"),
    events: storableJson(s.events, "[]"),
    links: storableJson(s.links, "[]"),
    scope_name: storable(s.scope_name, LIMITS.shortText),
    scope_version: storable(s.scope_version, LIMITS.shortText),
  });
}

function cleanLog(l: StoredLogRow): StoredLogRow {
  return withClean(l, {
    severity: storable(l.severity, LIMITS.severity),
    body: storable(l.body, LIMITS.body),
    service_name: serviceName(l.service_name),
    attributes: storableJson(l.attributes, "{}"),
    resource_attributes: storableJson(l.resource_attributes, "{}"),
    scope_name: storable(l.scope_name, LIMITS.shortText),
    ai_status: l.ai_status ?? "none",
    ai_insight: storable(l.ai_insight ?? "", LIMITS.shortText),
  });
}

/** Splits rows into groups that fit one statement's parameter and size budget. */
function chunk<T>(
  rows: readonly T[],
  paramsPerRow: number,
  maxParams: number,
  size: (r: T) => number,
): T[][] {
  const perStatement = Math.max(1, Math.floor((maxParams - 8) / paramsPerRow));
  const out: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const r of rows) {
    const n = size(r);
    if (current.length > 0 && (current.length >= perStatement || chars + n > MAX_STATEMENT_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(r);
    chars += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const spanSize = (s: SpanRow) => s.attributes.length + s.events.length + s.links.length + s.name.length + 200;
const logSize = (l: StoredLogRow) => l.body.length + l.attributes.length + 200;

const num = (v: unknown): number => typeof v === "number" ? v : Number(v);
const str = (v: unknown): string => v === null || v === undefined ? "" : String(v);

/** A `traces` row as read. */
export function toTraceSummary(r: Row): TraceSummaryRow {
  let services: string[] = [];
  try {
    services = JSON.parse(str(r.services));
  } catch { /* a damaged row still lists */ }
  return {
    trace_id: str(r.trace_id),
    service_name: str(r.service_name),
    name: str(r.name),
    root_span_id: str(r.root_span_id),
    start_us: num(r.start_us),
    end_us: num(r.end_us),
    duration_us: num(r.duration_us),
    status: str(r.status) === "ERROR" ? "ERROR" : "OK",
    span_count: num(r.span_count),
    error_count: num(r.error_count),
    services,
  };
}

/** A `spans` row as read. */
export function toSpan(r: Row): SpanRow {
  return {
    trace_id: str(r.trace_id),
    span_id: str(r.span_id),
    parent_span_id: str(r.parent_span_id),
    name: str(r.name),
    service_name: str(r.service_name),
    kind: str(r.kind) as SpanRow["kind"],
    start_us: num(r.start_us),
    end_us: num(r.end_us),
    duration_us: num(r.duration_us),
    status_code: str(r.status_code) as SpanRow["status_code"],
    status_message: str(r.status_message),
    attributes: str(r.attributes),
    resource_attributes: str(r.resource_attributes),
    events: str(r.events),
    links: str(r.links),
    scope_name: str(r.scope_name),
    scope_version: str(r.scope_version),
  };
}

/** A `logs` row as read. */
export function toLog(r: Row): LogRecord {
  return {
    id: num(r.id),
    timestamp_us: num(r.timestamp_us),
    trace_id: str(r.trace_id),
    span_id: str(r.span_id),
    severity_number: num(r.severity_number),
    severity: str(r.severity),
    body: str(r.body),
    service_name: str(r.service_name),
    attributes: str(r.attributes),
    resource_attributes: str(r.resource_attributes),
    scope_name: str(r.scope_name),
    ai_insight: str(r.ai_insight),
    ai_status: str(r.ai_status) as AiStatus,
  };
}

/** Reads and writes one tenant's telemetry. */
export class Repository {
  readonly tenant: string;
  readonly #db: Database;
  readonly #observe?: StatementObserver;
  readonly #read: ScopedExecutor;

  constructor(db: Database, tenant: string, observe?: StatementObserver) {
    this.#db = db;
    this.tenant = tenant;
    this.#observe = observe;
    this.#read = this.#scoped(db.driver);
  }

  /** The tenant-scoped executor for reads (the query modules use it). */
  get reads(): ScopedExecutor {
    return this.#read;
  }

  /** The database, for its capabilities. */
  get database(): Database {
    return this.#db;
  }

  /**
   * Rows read with `SELECT *` from `spans` or `logs`, with `resource_attributes`
   * filled in from `resources` (one more statement for the distinct ids; the row
   * query itself keeps its plan).
   */
  withResources(rows: Row[]): Promise<Row[]> {
    return attachResources(this.#read, rows, this.#db.capabilities.maxParams - 8);
  }

  #scoped(ex: Executor): ScopedExecutor {
    return new ScopedExecutor(ex, this.#db.spelling, this.tenant, this.#observe);
  }

  /**
   * Stores spans (ignoring ones already stored), folds them into the trace
   * summaries and stores logs (ignoring ids already stored), in one transaction.
   */
  async writeBatch(
    spans: readonly SpanRow[],
    logs: readonly StoredLogRow[],
    options: { onPrepared?: () => void } = {},
  ): Promise<WriteResult> {
    const caps = this.#db.capabilities;
    const unique = new Map<string, SpanRow>();
    for (const s of spans) {
      const key = s.trace_id + s.span_id;
      if (!unique.has(key)) unique.set(key, cleanSpan(s));
    }
    const uniqueLogs = new Map<number, StoredLogRow>();
    for (const l of logs) if (!uniqueLogs.has(l.id)) uniqueLogs.set(l.id, cleanLog(l));

    const candidates = [...unique.values()];
    const logCandidates = [...uniqueLogs.values()];
    const spanTraceIds = new Set(candidates.map((s) => s.trace_id));
    const traceIds = new Set(spanTraceIds);
    for (const l of logCandidates) if (l.trace_id !== "") traceIds.add(l.trace_id);
    // What the reads below depend on: the rows of these traces and these log ids. The rest of what
    // the batch writes is either its own (new keys) or written so that order does not matter
    // (rollups add, resources only rise).
    const claims = new Set<unknown>(traceIds);
    for (const l of logCandidates) claims.add(l.id);

    // Every read comes first, then every write (writeTransaction): SQLite reads on its reader and
    // hands the writer thread the whole transaction in one message; the other dialects run both
    // parts in one transaction, each part's statements sent together.
    return await writeTransaction(this.#db.driver, async (raw) => {
      const tx = this.#scoped(raw);
      const traceIdChunks = chunk([...traceIds], 1, caps.maxParams, () => 1);

      // The summaries of the batch's traces, spans' and logs': their keys find the spans already
      // stored, and a log of a trace with a summary is stored under the summary's key.
      const storedTraces = Promise.all(
        traceIdChunks.map((ids) =>
          tx.query(sql`SELECT * FROM ${scoped("traces")} t WHERE t.trace_id IN (${inList(ids)})`)
        ),
      );
      // The keys the batch's traces' logs are stored under (migration 0007).
      const keyedTraces = Promise.all(
        traceIdChunks.map((ids) =>
          tx.query(
            sql`SELECT k.trace_id, k.trace_key FROM ${scoped("trace_keys")} k WHERE k.trace_id IN (${
              inList(ids)
            })`,
          )
        ),
      );
      const storedLogs = Promise.all(
        chunk(logCandidates.map((l) => l.id), 1, caps.maxParams, () => 1).map((ids) =>
          tx.query(sql`SELECT l.id FROM ${scoped("logs")} l WHERE l.id IN (${inList(ids)})`)
        ),
      );
      // How late each of the batch's resources was seen already, so that last_seen_us never goes down.
      const resourceIds = new ResourceIds();
      for (const s of candidates) resourceIds.of(s.resource_attributes);
      for (const l of logCandidates) resourceIds.of(l.resource_attributes);
      const storedResources = Promise.all(
        chunk(resourceIds.ids(), 1, caps.maxParams, () => 1).map((ids) =>
          tx.query(
            sql`SELECT r.resource_id, r.last_seen_us FROM ${scoped("resources")} r WHERE r.resource_id IN (${
              inList(ids)
            })`,
          )
        ),
      );

      const existing = new Map<string, TraceSummaryRow>();
      const logKeys = new Map<string, number>();
      for (const r of (await keyedTraces).flat()) logKeys.set(str(r.trace_id), num(r.trace_key));
      const keys = new Map<string, number>();
      for (const r of (await storedTraces).flat()) {
        const id = str(r.trace_id);
        if (spanTraceIds.has(id)) existing.set(id, { ...toTraceSummary(r), attr_bloom: bloomOf(r) });
        keys.set(id, num(r.trace_key));
      }
      // Spans already stored (a client retry, a DLQ replay) are neither inserted nor counted again;
      // a trace without a summary has none. They also pair with new ones for the service-map rollup.
      const storedFacts: SpanFacts[] = (await Promise.all(
        chunk([...existing.keys()].map((id) => keys.get(id)), 1, caps.maxParams, () => 1).map((ks) =>
          tx.query(
            sql`SELECT s.trace_id, s.span_id, s.parent_span_id, s.service_name, s.status_code, s.duration_us, s.start_us FROM ${
              scoped("spans")
            } s WHERE s.trace_key IN (${inList(ks)})`,
          )
        ),
      )).flat().filter((r) => existing.has(str(r.trace_id))).map((r) => ({
        trace_id: str(r.trace_id),
        span_id: str(r.span_id),
        parent_span_id: str(r.parent_span_id),
        service_name: str(r.service_name),
        status_code: str(r.status_code) as SpanRow["status_code"],
        duration_us: num(r.duration_us),
        start_us: num(r.start_us),
      }));
      const stored = new Set<string>();
      for (const r of storedFacts) stored.add(r.trace_id + r.span_id);
      const storedLogIds = new Set<number>();
      for (const r of (await storedLogs).flat()) storedLogIds.add(num(r.id));
      const lastSeen = new Map<string, number>();
      for (const r of (await storedResources).flat()) lastSeen.set(str(r.resource_id), num(r.last_seen_us));

      const fresh = candidates.filter((s) => !stored.has(s.trace_id + s.span_id));
      const byTrace = new Map<string, SpanRow[]>();
      for (const s of fresh) {
        const list = byTrace.get(s.trace_id);
        if (list) list.push(s);
        else byTrace.set(s.trace_id, [s]);
      }
      const changes = [...byTrace.entries()].map(([id, list]) => {
        const before = existing.get(id);
        return { before, after: mergeTraceSummary(before, list) };
      });
      const traces = changes.map((c) => c.after);
      // A trace seen for the first time gets the next key: increasing, so its spans' index entries
      // go to the end of the index (migration 0006). If its logs came first, it takes their key.
      for (const t of traces) {
        if (!keys.has(t.trace_id)) keys.set(t.trace_id, logKeys.get(t.trace_id) ?? traceKeys.next());
      }
      const freshLogs = logCandidates.filter((l) => !storedLogIds.has(l.id));
      // A trace's logs are found through its `trace_keys` row, written with its first logs: the
      // summary's key when its spans came first, else a new one that its spans will take. The row is
      // written again (an upsert) with every batch of the trace's logs, found or not: a retention
      // purge running beside this transaction (PostgreSQL, MySQL, SQL Server) may delete a row read
      // above as unused; the upsert puts it back or, holding the row, keeps the purge off it.
      const logKeyRows = new Map<string, number>();
      for (const l of freshLogs) {
        if (l.trace_id === "" || logKeyRows.has(l.trace_id)) continue;
        let key = logKeys.get(l.trace_id);
        if (key === undefined) {
          key = keys.get(l.trace_id) ?? traceKeys.next();
          logKeys.set(l.trace_id, key);
        }
        logKeyRows.set(l.trace_id, key);
      }
      const rollups = rollupDeltas(fresh, storedFacts, changes, freshLogs);
      const resources = resourcesToWrite(fresh, freshLogs, resourceIds, lastSeen);
      // Each row's values go straight into the array the statement takes (after the tenant where
      // rows are sent one by one): one array per row.
      const spanValues: RowFill<SpanRow> = (s, out) => {
        for (const c of SPAN_COLUMNS) out.push(c === "resource_attributes" ? "" : s[c]);
        out.push(resourceIds.of(s.resource_attributes), keys.get(s.trace_id));
      };
      const logValues: RowFill<StoredLogRow> = (l, out) => {
        for (const c of LOG_COLUMNS) out.push(c === "resource_attributes" ? "" : l[c] ?? "");
        out.push(resourceIds.of(l.resource_attributes), l.trace_id === "" ? null : logKeys.get(l.trace_id));
      };

      const writes: WriteStatement[] = [];
      /**
       * The statements writing `rows`. Where the dialect prefers it (SQLite), one single-row
       * statement run for every row: its text and prepared statement are reused batch after batch.
       * Multi-row texts differ with every row count, and SQLite's writer kept each one prepared in
       * its statement cache (hundreds of kilobytes for a hundred rows of summaries).
       * Elsewhere, groups that fit a statement's parameter and size budget.
       */
      const addRows = <T>(
        rows: readonly T[],
        values: (r: T) => unknown[],
        size: (r: T) => number,
        statement: (group: unknown[][]) => Fragment,
      ) => {
        if (rows.length === 0) return;
        const all = rows.map(values);
        if (caps.preferRowAtATime) {
          const c = tx.compile(statement([all[0]]));
          // One row binds the tenant, then its values in order (scope.ts, tenantRows).
          if (c.params.length === all[0].length + 1) {
            writes.push({ text: c.text, each: all.map((v) => [this.tenant, ...v]) });
            return;
          }
        }
        const indexes = all.map((_, i) => i);
        for (const group of chunk(indexes, all[0].length + 1, caps.maxParams, (i) => size(rows[i]))) {
          const c = tx.compile(statement(group.map((i) => all[i])));
          writes.push({ text: c.text, params: c.params });
        }
      };
      addRows(
        resources,
        (r) => RESOURCE_COLUMNS.map((c) => r[c]),
        (r) => r.attributes.length + 100,
        (group) => raiseRows("resources", RESOURCE_COLUMNS, ["resource_id"], ["last_seen_us"], group),
      );
      writes.push(...this.#inserts(tx, "spans", STORED_SPAN_COLUMNS, fresh, spanValues, spanSize));
      addRows(
        traces,
        (t) => [
          ...TRACE_COLUMNS.map((c) => c === "services" ? JSON.stringify(t.services) : t[c]),
          keys.get(t.trace_id),
          ...(t.attr_bloom ?? NO_BLOOM),
        ],
        () => 300,
        (group) => upsertRows("traces", STORED_TRACE_COLUMNS, ["trace_id"], group),
      );
      addRows(
        [...logKeyRows],
        (r) => r,
        () => 60,
        (group) => upsertRows("trace_keys", ["trace_id", "trace_key"], ["trace_id"], group),
      );
      writes.push(...this.#inserts(tx, "logs", STORED_LOG_COLUMNS, freshLogs, logValues, logSize));
      for (const [table, { keys, counters }] of Object.entries(ROLLUP_TABLES)) {
        addRows(
          rollups[table as RollupTable],
          (r) => r,
          () => 100,
          (group) => accumulateRows(table as RollupTable, [...keys, ...counters], keys, group),
        );
      }

      return {
        result: {
          spans: fresh,
          logs: freshLogs,
          traces,
          duplicateSpans: spans.length - fresh.length,
          duplicateLogs: logs.length - freshLogs.length,
        },
        writes,
      };
    }, { claims, onPrepared: options.onPrepared });
  }

  /** The inserts of `rows`: one prepared statement per row where the dialect prefers it, else multi-row. */
  #inserts<T>(
    tx: ScopedExecutor,
    table: "spans" | "logs",
    columns: readonly string[],
    rows: readonly T[],
    fill: RowFill<T>,
    size: (r: T) => number,
  ): WriteStatement[] {
    if (rows.length === 0) return [];
    const caps = this.#db.capabilities;
    /** `r`'s values appended to `lead`. */
    const row = (r: T, lead: unknown[]) => {
      fill(r, lead);
      return lead;
    };
    const values = (r: T) => row(r, []);
    if (caps.preferRowAtATime) {
      // Compiled and scope-checked once; every row reuses the text (and the driver's prepared statement).
      const one = tx.compile(insertRows(table, columns, [values(rows[0])]));
      return [{ text: one.text, each: rows.map((r) => row(r, [this.tenant])) }];
    }
    return chunk(rows, columns.length + 1, caps.maxParams, size).map((group) => {
      const c = tx.compile(insertRows(table, columns, group.map(values)));
      return { text: c.text, params: c.params };
    });
  }

  /** The summary of one trace, or undefined. */
  async getTrace(traceId: string): Promise<TraceSummaryRow | undefined> {
    const rows = await this.#read.query(
      sql`SELECT * FROM ${scoped("traces")} t WHERE t.trace_id = ${traceId}`,
    );
    return rows.length ? toTraceSummary(rows[0]) : undefined;
  }

  /** The spans of one trace, earliest first. */
  async getSpans(traceId: string): Promise<SpanRow[]> {
    // Sorted here: an ORDER BY start_us invites a planner without statistics to walk the
    // tenant's time index instead of seeking the trace by its key.
    const rows = await this.#read.query(
      sql`SELECT * FROM ${scoped("spans")} s WHERE s.trace_key = (SELECT t.trace_key FROM ${
        scoped("traces")
      } t WHERE t.trace_id = ${traceId}) AND s.trace_id = ${traceId}`,
    );
    return (await this.withResources(rows)).map(toSpan).sort((a, b) =>
      a.start_us - b.start_us || (a.span_id < b.span_id ? -1 : a.span_id > b.span_id ? 1 : 0)
    );
  }

  /**
   * The condition on `l` that finds one trace's logs: by the key they are stored under, kept in
   * `trace_keys` (migration 0007), and by the id, since a key is one trace's only as long as the
   * clock never went back. A trace without a row there has no logs.
   */
  static logsOfTrace(traceId: string): Fragment {
    return sql`l.trace_key = (SELECT k.trace_key FROM ${
      scoped("trace_keys")
    } k WHERE k.trace_id = ${traceId}) AND l.trace_id = ${traceId}`;
  }

  /** The logs of one trace, oldest first. */
  async getTraceLogs(traceId: string, limit = 1000): Promise<LogRecord[]> {
    const rows = await this.#read.query(
      sql`SELECT * FROM ${scoped("logs")} l WHERE ${
        Repository.logsOfTrace(traceId)
      } ORDER BY l.timestamp_us, l.id ${spell((s, emit) => s.paging(emit(sql`${limit}`), emit(sql`${0}`)))}`,
    );
    return (await this.withResources(rows)).map(toLog);
  }

  /** One log by id, or undefined. */
  async getLog(id: number): Promise<LogRecord | undefined> {
    const rows = await this.#read.query(sql`SELECT * FROM ${scoped("logs")} l WHERE l.id = ${id}`);
    return rows.length ? toLog((await this.withResources(rows))[0]) : undefined;
  }

  /** A page of logs in a time range, newest first, with the total. */
  async listLogs(q: LogQuery): Promise<Page<LogRecord>> {
    const where = [sql`l.timestamp_us >= ${q.startUs}`, sql`l.timestamp_us <= ${q.endUs}`];
    if (q.traceId !== undefined) where.push(Repository.logsOfTrace(q.traceId));
    const cond = join(where, " AND ");
    const [count, rows] = await Promise.all([
      this.#read.query(sql`SELECT COUNT(*) AS n FROM ${scoped("logs")} l WHERE ${cond}`),
      this.#read.query(
        sql`SELECT * FROM ${scoped("logs")} l WHERE ${cond} ORDER BY l.timestamp_us DESC, l.id DESC ${
          spell((s, emit) => s.paging(emit(sql`${q.limit}`), emit(sql`${q.offset}`)))
        }`,
      ),
    ]);
    return { rows: (await this.withResources(rows)).map(toLog), total: num(count[0]?.n ?? 0) };
  }

  /**
   * Sets `skipped` on logs above `afterId` still `pending`: analyses a stopped
   * process had queued and will never finish. Returns the rows changed.
   */
  async skipPendingAfter(afterId: number): Promise<number> {
    return await this.#scoped(this.#db.driver).execute(
      updateWhere("logs", sql`ai_status = ${"skipped"}`, sql`id > ${afterId} AND ai_status = ${"pending"}`),
    );
  }

  /**
   * Sets the AI state of logs: `ai_status`, and `ai_insight` unless `insight`
   * is undefined (a re-analysis keeps showing the previous answer while pending).
   * Returns the rows changed.
   */
  async setAiState(ids: readonly number[], status: AiStatus, insight?: string): Promise<number> {
    const ex = this.#scoped(this.#db.driver);
    let changed = 0;
    const set = insight === undefined
      ? sql`ai_status = ${status}`
      : sql`ai_status = ${status}, ai_insight = ${storable(insight, LIMITS.shortText)}`;
    for (const group of chunk(ids, 1, this.#db.capabilities.maxParams - 4, () => 1)) {
      changed += await ex.execute(updateWhere("logs", set, sql`id IN (${inList(group)})`));
    }
    return changed;
  }
}
