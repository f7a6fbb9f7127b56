/**
 * Retention: data older than `RETENTION_DAYS` is purged every hour (0 keeps
 * everything), and an admin may purge one tenant on demand.
 *
 * A purge never holds a long lock: every statement deletes at most `chunkRows`
 * rows (each dialect spells that bounded `DELETE` itself) and the loop yields
 * between statements, so the ingest writer's transactions slip in between.
 * Nothing runs in one big transaction; every step is idempotent, so a purge cut
 * short (shutdown, a database outage) is simply finished by the next one.
 *
 * A trace goes as a whole: when its summary's `start_us` is older than the
 * cutoff, its spans (whatever their own start) and then its summary are deleted.
 * Spans go before the summary, so an interrupted purge leaves the summary to
 * find the remaining spans by next time. Resources go last, those last seen
 * before the cutoff: every span and log naming one is older than the cutoff too.
 *
 * Every statement is tenant-scoped and checked by {@link ScopedExecutor}. The
 * one deliberate exception is {@link listTenants}, the maintenance read that
 * finds which tenants have data at all.
 *
 * @module
 */

import type { Database } from "../db/contract.ts";
import { type Fragment, join, scoped, spell, sql, target, type TenantTable, tenantValue } from "../db/sql.ts";
import { logger } from "../telemetry/log.ts";
import { minuteOf, ROLLUP_TABLES, type RollupTable } from "./rollups.ts";
import { deleteWhere, ScopedExecutor, type StatementObserver } from "./scope.ts";
import { firstIdAt, idsPerMs } from "./ids.ts";
import { Store } from "./store.ts";

/** What a purge deleted (the admin endpoint's answer). */
export interface PurgeCounts {
  traces_deleted: number;
  spans_deleted: number;
  logs_deleted: number;
}

/** How a purge proceeds. */
export interface PurgeOptions {
  /** Rows per statement at most. Default 5,000. */
  chunkRows?: number;
  /** Pause between statements, in milliseconds (0 still yields to the event loop). Default 0. */
  pauseMs?: number;
  /** Stops the purge between two statements (it throws the signal's reason). */
  signal?: AbortSignal;
  /** Sees each statement (tests). */
  observe?: StatementObserver;
}

/** The tables retention maintains, in the order a vacuum handles them. */
export const RETENTION_TABLES: readonly TenantTable[] = [
  "spans",
  "traces",
  "logs",
  "trace_keys",
  "resources",
  ...Object.keys(ROLLUP_TABLES) as RollupTable[],
];

const DAY_US = 86_400_000_000;

/** The cutoff in microseconds for keeping `days` days, from `nowMs`. */
export function cutoffForDays(days: number, nowMs = Date.now()): number {
  return nowMs * 1000 - days * DAY_US;
}

/**
 * `DELETE` of at most `limit` rows of the tenant's `table` that match
 * `condition`. Like `deleteWhere` it names the table through `target` and binds
 * the tenant predicate in the same statement, so the scope guard accepts it.
 */
export function deleteChunk(table: TenantTable, condition: Fragment, limit: number): Fragment {
  return spell((s, emit) =>
    s.boundedDelete(
      () => emit(target(table)),
      emit(sql`tenant_id = ${tenantValue()} AND (${condition})`),
      emit(sql`${limit}`),
    )
  );
}

const yieldFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Deletes `tenant`'s traces (with all their spans) that started before
 * `cutoffUs` and its logs stamped before it, in chunks.
 */
export async function purgeTenant(
  db: Database,
  tenant: string,
  cutoffUs: number,
  options: PurgeOptions = {},
): Promise<PurgeCounts> {
  const chunkRows = Math.max(1, Math.floor(options.chunkRows ?? 5000));
  // An IN list of trace ids must fit the dialect's parameter limit (SQL Server: 2,000).
  // Each trace takes two parameters (its id and its key).
  const idsPerChunk = Math.max(1, Math.min(chunkRows, Math.floor((db.capabilities.maxParams - 16) / 2)));
  const ex = new ScopedExecutor(db.driver, db.spelling, tenant, options.observe);
  const counts: PurgeCounts = { traces_deleted: 0, spans_deleted: 0, logs_deleted: 0 };
  const step = async () => {
    await yieldFor(options.pauseMs ?? 0);
    options.signal?.throwIfAborted();
  };
  /** Runs a bounded delete until it deletes fewer rows than the bound. */
  const drain = async (table: TenantTable, condition: Fragment): Promise<number> => {
    let total = 0;
    for (;;) {
      await step();
      const n = await ex.execute(deleteChunk(table, condition, chunkRows));
      total += n;
      if (n < chunkRows) return total;
    }
  };

  for (;;) {
    await step();
    const rows = await ex.query(
      sql`SELECT t.trace_id, t.trace_key FROM ${
        scoped("traces")
      } t WHERE t.start_us < ${cutoffUs} ORDER BY t.start_us ${
        spell((s, emit) => s.paging(emit(sql`${idsPerChunk}`), emit(sql`${0}`)))
      }`,
    );
    const ids = rows.map((r) => String(r.trace_id));
    if (ids.length === 0) break;
    const inIds = join(ids.map((id) => sql`${id}`));
    const inKeys = join(rows.map((r) => sql`${Number(r.trace_key)}`));
    // By key (the index), and by id too: a key is one trace's only as long as the clock never went back.
    counts.spans_deleted += await drain("spans", sql`trace_key IN (${inKeys}) AND trace_id IN (${inIds})`);
    await step();
    counts.traces_deleted += await ex.execute(
      deleteWhere("traces", sql`trace_id IN (${inIds}) AND start_us < ${cutoffUs}`),
    );
    if (ids.length < idsPerChunk) break;
  }
  // Spans this old whose summary is gone already (a late span of a purged trace
  // racing the purge): any trace they belonged to started before the cutoff too.
  // Spans have no time index (migration 0006); their trace key tells when their
  // trace was first stored, so the sweep looks at traces stored before the
  // cutoff only. A span whose trace was stored later (data sent long after it
  // happened) is swept once its trace's key is that old.
  // The key range is walked in slices of at most `chunkRows` index entries, so that no statement
  // reads much even where most keys are below the bound (traces from before migration 0006 got
  // small keys) and the spans found are kept.
  const bound = firstIdAt(Math.floor(cutoffUs / 1000));
  for (let lo = Number.MIN_SAFE_INTEGER; lo < bound;) {
    await step();
    const [next] = await ex.query(
      sql`SELECT s.trace_key FROM ${
        scoped("spans")
      } s WHERE s.trace_key >= ${lo} AND s.trace_key < ${bound} ORDER BY s.trace_key ${
        spell((sp, emit) => sp.paging(emit(sql`${1}`), emit(sql`${chunkRows}`)))
      }`,
    );
    // One trace with more spans than a slice: its key alone is the slice.
    const hi = next === undefined ? bound : Math.max(Number(next.trace_key), lo + 1);
    counts.spans_deleted += await drain(
      "spans",
      sql`trace_key >= ${lo} AND trace_key < ${hi} AND start_us < ${cutoffUs}`,
    );
    lo = hi;
  }
  counts.logs_deleted += await drain("logs", sql`timestamp_us < ${cutoffUs}`);
  // A trace's logs are found through its trace_keys row (migration 0007): the row goes with the
  // last of them. Only rows whose key is older than the cutoff are looked at (keys tell when they
  // were given, as for spans), so the newest never cost a probe.
  // Each candidate is one probe of the logs' key index (Spelling.probe), not a join over the tenant's logs.
  const unused = spell((s, emit) =>
    s.probe(
      emit(
        sql`SELECT 1 FROM ${
          scoped("logs")
        } l WHERE l.trace_key = trace_keys.trace_key AND l.trace_id = trace_keys.trace_id`,
      ),
    )
  );
  await drain("trace_keys", sql`trace_key < ${bound} AND NOT EXISTS (${unused})`);
  // Rollups go by whole minutes: the minute holding the cutoff stays until the next purge.
  for (const table of Object.keys(ROLLUP_TABLES) as RollupTable[]) {
    await drain(table, sql`minute_us < ${minuteOf(cutoffUs)}`);
  }
  // After the rows that name them, so an interrupted purge never leaves a stored row without its resource.
  await drain("resources", sql`last_seen_us < ${cutoffUs}`);
  return counts;
}

/**
 * The tenants that have traces, logs or resources. This is the one deliberately
 * unscoped read in the code base: a maintenance loop has to learn which
 * tenants exist before it can open a scoped executor for each. It reads only
 * tenant ids, runs on the driver directly (not through a repository) and is
 * never reachable from a request.
 */
export async function listTenants(db: Database): Promise<string[]> {
  // A loose index scan: one `MIN(tenant_id) … > previous` seek per tenant on the
  // indexes that start with tenant_id, where `SELECT DISTINCT` (or a UNION) would
  // read an entry for every row — seconds at 10M rows, on the SQLite reader that
  // shares the main thread.
  const found = new Set<string>();
  // resources and trace_keys: a tenant whose rows are all gone may still have some of these to purge.
  for (const table of ["traces", "logs", "resources", "trace_keys"]) {
    // '' sorts before every tenant id (the gate refuses an empty one).
    const text = `SELECT MIN(tenant_id) AS t FROM ${table} WHERE tenant_id > ${db.spelling.placeholder(1)}`;
    for (let after = "";;) {
      const [row] = await db.driver.query(text, [after]);
      if (row?.t === null || row?.t === undefined) break;
      after = String(row.t);
      found.add(after);
    }
  }
  return [...found].sort();
}

/**
 * After a crash, logs the stopped process had queued for analysis stay
 * `pending` for ever (the UI shows "Analysing…" and hides its button to ask
 * again); a clean stop marks them `skipped` itself. This marks them `skipped`
 * at start-up, before the dead-letter replay, among the logs stored within
 * `windowMs` before the newest: log ids grow with time, so that is a key range,
 * not a scan, and a queue that old has long been answered or dropped. Like
 * {@link listTenants}, it learns the tenants with an unscoped maintenance read
 * (of that id range only), then updates through each tenant's repository.
 * Returns the logs changed.
 */
export async function skipInterruptedAnalyses(db: Database, windowMs = 600_000): Promise<number> {
  const [newest] = await db.driver.query("SELECT MAX(id) AS m FROM logs", []);
  if (newest?.m === null || newest?.m === undefined) return 0;
  const afterId = Number(newest.m) - idsPerMs(windowMs);
  const tenants = await db.driver.query(
    `SELECT DISTINCT tenant_id FROM logs WHERE id > ${db.spelling.placeholder(1)}`,
    [afterId],
  );
  const store = new Store(db);
  let changed = 0;
  for (const r of tenants) changed += await store.forTenant(String(r.tenant_id)).skipPendingAfter(afterId);
  return changed;
}

/**
 * Runs the dialect's space-reclaiming statements (`VACUUM`, `OPTIMIZE TABLE`)
 * on the three tables; false, having run nothing, when the dialect has none.
 */
export async function vacuum(db: Database): Promise<boolean> {
  if (!db.capabilities.vacuum) return false;
  // Each on its own and outside a transaction: PostgreSQL refuses VACUUM inside one.
  for (const statement of db.spelling.vacuum(RETENTION_TABLES)) await db.driver.execute(statement, []);
  return true;
}

/** What the retention loop and admin purges have done since start. */
export interface RetentionStats {
  runs: number;
  failures: number;
  /** `Date.now()` when the loop last completed a run, 0 before the first. */
  lastRunUnixMs: number;
  deleted: { traces: number; spans: number; logs: number };
}

/** Settings of the {@link Retention} loop. */
export interface RetentionOptions extends Omit<PurgeOptions, "signal"> {
  /** Days to keep; 0 keeps everything and the loop never runs. */
  days: number;
  /** Between runs. Default one hour. */
  intervalMs?: number;
  /** Before the first run, so start-up (DLQ replay, catching up) goes first. Default one minute. */
  firstRunDelayMs?: number;
}

/** The hourly retention loop; also the path admin purges take, so both are counted. */
export class Retention {
  readonly #db: Database;
  readonly #options: RetentionOptions;
  readonly #abort = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;
  readonly stats: RetentionStats = {
    runs: 0,
    failures: 0,
    lastRunUnixMs: 0,
    deleted: { traces: 0, spans: 0, logs: 0 },
  };

  constructor(db: Database, options: RetentionOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** Schedules the runs (nothing when `days` is 0). */
  start(): void {
    if (this.#options.days <= 0 || this.#stopped) return;
    this.#schedule(this.#options.firstRunDelayMs ?? 60_000);
  }

  #schedule(ms: number): void {
    // A chain of timeouts, not an interval: a slow run never overlaps the next.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const run = this.runOnce().catch((err) => {
        if (!this.#abort.signal.aborted) logger.error("retention purge failed", { error: err });
      });
      this.#running = run;
      run.finally(() => {
        this.#running = undefined;
        if (!this.#stopped) this.#schedule(this.#options.intervalMs ?? 3_600_000);
      });
    }, ms);
  }

  #count(c: PurgeCounts): void {
    this.stats.deleted.traces += c.traces_deleted;
    this.stats.deleted.spans += c.spans_deleted;
    this.stats.deleted.logs += c.logs_deleted;
  }

  /** Purges every tenant's data older than the configured days. */
  async runOnce(nowMs = Date.now()): Promise<PurgeCounts> {
    const total: PurgeCounts = { traces_deleted: 0, spans_deleted: 0, logs_deleted: 0 };
    const cutoff = cutoffForDays(this.#options.days, nowMs);
    const started = performance.now();
    try {
      for (const tenant of await listTenants(this.#db)) {
        const c = await purgeTenant(this.#db, tenant, cutoff, {
          ...this.#options,
          signal: this.#abort.signal,
        });
        this.#count(c);
        total.traces_deleted += c.traces_deleted;
        total.spans_deleted += c.spans_deleted;
        total.logs_deleted += c.logs_deleted;
      }
    } catch (err) {
      this.stats.failures++;
      throw err;
    }
    this.stats.runs++;
    this.stats.lastRunUnixMs = Date.now();
    logger.info("retention purge", {
      days: this.#options.days,
      ...total,
      duration_ms: Math.round(performance.now() - started),
    });
    return total;
  }

  /** Purges one tenant's data older than `days` days now (the admin endpoint). */
  async purge(tenant: string, days: number, nowMs = Date.now()): Promise<PurgeCounts> {
    const c = await purgeTenant(this.#db, tenant, cutoffForDays(days, nowMs), {
      ...this.#options,
      signal: this.#abort.signal,
    });
    this.#count(c);
    return c;
  }

  /** Cancels the schedule and stops a run under way at its next chunk. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort(new DOMException("Argus is shutting down", "AbortError"));
    await this.#running;
  }
}
