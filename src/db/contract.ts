/**
 * The dialect contract, after Kysely: a dialect is how to talk (a {@link Driver}),
 * how to spell (a {@link Spelling}) and what is possible ({@link Capabilities}).
 * Nothing outside `src/db/<dialect>/` asks which database it is talking to.
 *
 * @module
 */

/** The dialect names, as `DB_DRIVER` spells them. */
export type DialectName = "sqlite" | "postgres" | "mysql" | "sqlserver";

/** A row as a driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/**
 * Runs statements. Parameters are bound by the driver, never spliced into text.
 * Calls may overlap (a caller sends independent statements together); the
 * executor runs them one after another in call order.
 */
export interface Executor {
  /** Runs a statement that returns rows. */
  query(text: string, params: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement and returns the number of rows it changed. */
  execute(text: string, params: readonly unknown[]): Promise<number>;
  /**
   * Runs one statement once per parameter list and returns the rows changed in
   * all; offered by drivers where a prepared statement per row is the fast path.
   */
  executeEach?(text: string, rows: readonly (readonly unknown[])[]): Promise<number>;
}

/** A statement of a write transaction: one parameter list, or one per row (`each`). */
export type WriteStatement =
  | { text: string; params: readonly unknown[] }
  | { text: string; each: readonly (readonly unknown[])[] };

/** What the reading part of a write transaction hands on: its result and the writes to commit. */
export interface PreparedWrite<T> {
  result: T;
  writes: readonly WriteStatement[];
}

/** How a write transaction may run beside others ({@link Driver.writeTransaction}). */
export interface WriteOptions {
  /**
   * What the transaction's reads depend on and its writes change (trace ids, log
   * ids): a driver that prepares one transaction while an earlier one commits
   * does so only when the two share no claim. Without claims, every earlier
   * write commits first.
   */
  claims?: ReadonlySet<unknown>;
  /**
   * Called when the reads are done and the writes are queued, before they
   * commit: the caller may start preparing its next transaction. Drivers that
   * do not prepare beside a commit never call it.
   */
  onPrepared?: () => void;
}

/** A connection (or pool) to one database. */
export interface Driver extends Executor {
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /**
   * A transaction whose reads all come before its writes: `prepare` reads through
   * `reads` and returns the statements to run, which run in order and commit
   * together (or not at all); resolves with `prepare`'s result once committed.
   * Optional: without it, {@link Driver.transaction} runs both parts (see
   * `src/db/write.ts`). SQLite offers it so that its writer thread gets the
   * whole transaction in one message and never waits on the main thread, and
   * prepares the next transaction while the writer commits this one.
   */
  writeTransaction?<T>(
    prepare: (reads: Executor) => Promise<PreparedWrite<T>>,
    options?: WriteOptions,
  ): Promise<T>;
  /** Runs `fn` while holding the database-wide migration lock. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** How a dialect writes the pieces that differ between databases. */
export interface Spelling {
  /** Placeholder for the 1-based parameter `index`: `?`, `$1`, `@p1`. */
  placeholder(index: number): string;
  /** Quotes an identifier that has already passed the allow-list pattern. */
  quote(name: string): string;
  /**
   * Multi-row insert-or-update keyed on `keys`: every non-key column takes the
   * new value. `rows` is the VALUES list text, already spelled, e.g. `(?, ?), (?, ?)`.
   */
  upsert(table: string, columns: readonly string[], keys: readonly string[], rows: string): string;
  /**
   * Multi-row insert-or-add keyed on `keys`: every non-key column of a stored row
   * has the new value added to it (counters of the per-minute rollups; the rows
   * must have distinct keys). `rows` as for {@link upsert}.
   */
  accumulate(table: string, columns: readonly string[], keys: readonly string[], rows: string): string;
  /**
   * Multi-row insert-or-raise keyed on `keys`: each of the `raised` columns of a
   * stored row takes the greater of its value and the new one, so a write that
   * was prepared from an older read never lowers it (`resources.last_seen_us`);
   * its other columns stay as stored. `rows` as for {@link upsert}.
   */
  raise(
    table: string,
    columns: readonly string[],
    keys: readonly string[],
    raised: readonly string[],
    rows: string,
  ): string;
  /**
   * A correlated `EXISTS` subquery, spelled so that the planner runs it as an
   * index probe per outer row. PostgreSQL otherwise plans `NOT EXISTS` as an
   * anti-join that may hash the whole inner table of the tenant; `OFFSET 0`
   * keeps it a subplan. The other dialects take `subquery` as it is.
   */
  probe(subquery: string): string;
  /** `LIMIT … OFFSET …` or `OFFSET … FETCH …`, with both numbers already as placeholders. */
  paging(limit: string, offset: string): string;
  /**
   * Text of one attribute of a JSON-object column, as `'true'`, `'42'`, `'0.5'`
   * or the string itself on every dialect. `path()` binds the JSON path (`$."key"`)
   * and returns its placeholder; call it once per use.
   */
  jsonText(column: string, path: () => string): string;
  /** Integer division of two integer expressions (chart buckets). */
  intDiv(a: string, b: string): string;
  /** Case-insensitive `LIKE` of `column` against a pattern placeholder (escape char `!`). */
  likeInsensitive(column: string, pattern: string): string;
  /**
   * Whether `=` on text folds more than ASCII letter case: SQL Server's default collations also
   * ignore character width and expand some letters (ß = ss). A test that hashes text (the traces'
   * attribute filter, src/store/attr_bloom.ts) cannot follow that and is not used there.
   */
  readonly foldsText: boolean;
  /** The statement text that lists already-applied migrations' table creation. */
  migrationsTable: string;
  /**
   * A `DELETE` of at most `limit` rows of a table that match `where` (retention
   * purges in bounded chunks so the writer is never locked out for long).
   * `table()` returns the table name; call it once per time the text names the
   * table, so the tenant-scope guard counts every reference. `where` (tenant
   * predicate included) and then `limit` are already spelled, in that order.
   */
  boundedDelete(table: () => string, where: string, limit: string): string;
  /**
   * Statements that give the space of deleted rows back and refresh planner
   * statistics for `tables`, each run on its own, outside a transaction; empty
   * when {@link Capabilities.vacuum} is false.
   */
  vacuum(tables: readonly string[]): readonly string[];
}

/** What a dialect can do, so the store can pick a path without naming the dialect. */
export interface Capabilities {
  /** Most bound parameters one statement may carry. */
  readonly maxParams: number;
  /** True when running one prepared statement per row beats a multi-row VALUES list. */
  readonly preferRowAtATime: boolean;
  /** True when `percentile_cont(…) WITHIN GROUP (ORDER BY …)` works as an aggregate. */
  readonly percentileAggregate: boolean;
  /** True when {@link Spelling.vacuum} has statements (`VACUUM`, `OPTIMIZE TABLE`) for this dialect. */
  readonly vacuum: boolean;
}

/** An open database: its name, driver, spelling and capabilities. */
export interface Database {
  readonly name: DialectName;
  readonly driver: Driver;
  readonly spelling: Spelling;
  readonly capabilities: Capabilities;
}
