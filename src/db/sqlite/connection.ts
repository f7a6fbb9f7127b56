/**
 * One `node:sqlite` connection with the settings Argus uses (WAL, NORMAL sync,
 * incremental auto-vacuum) and a cache of prepared statements. The main thread
 * holds the reader; the writer runs the same code in a worker
 * (`writer_worker.ts`), which is why {@link openConnection} refers to nothing
 * outside itself: its text is the worker's source too.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { Executor, Row, WriteStatement } from "../contract.ts";
import { toDbError } from "../errors.ts";

/** A connection whose methods run synchronously and throw the driver's errors. */
export interface SyncConnection {
  readonly db: DatabaseSync;
  query(text: string, params: readonly unknown[]): Row[];
  execute(text: string, params: readonly unknown[]): number;
  /** Runs one statement once per parameter list; returns the rows changed in all. */
  executeEach(text: string, rows: readonly (readonly unknown[])[]): number;
  /** Runs `writes` in order in one `BEGIN IMMEDIATE` transaction (rolled back on failure); returns rows changed. */
  transact(writes: readonly WriteStatement[]): number;
  close(): void;
  /** The writer's close: refreshes planner statistics, empties the WAL (best effort), closes. */
  finish(): void;
}

/**
 * Opens `path` with `DatabaseSync` (passed in, so the function needs no import).
 * Self-contained on purpose: it is stringified into the writer worker.
 */
export function openConnection(Database: typeof DatabaseSync, path: string): SyncConnection {
  const db = new Database(path);
  db.exec("PRAGMA busy_timeout = 5000");
  // Takes effect only while the file has no tables yet: new databases can give pages back
  // with PRAGMA incremental_vacuum, the one vacuum that needs no ATTACH.
  db.exec("PRAGMA auto_vacuum = INCREMENTAL");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA temp_store = MEMORY");
  const cache = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  const prepare = (text: string) => {
    let stmt = cache.get(text);
    if (!stmt) {
      stmt = db.prepare(text);
      if (cache.size >= 500) cache.delete(cache.keys().next().value!);
      cache.set(text, stmt);
    }
    return stmt;
  };
  type Value = null | number | bigint | string | Uint8Array;
  const bindable = (v: unknown) =>
    typeof v === "string" || typeof v === "number" || v === null || typeof v === "bigint" ||
    v instanceof Uint8Array;
  const bind = (params: readonly unknown[]): Value[] => {
    // The rows the writer sends are all bindable already: no copy for them.
    let i = 0;
    while (i < params.length && bindable(params[i])) i++;
    if (i === params.length) return params as Value[];
    return params.map((v) => {
      if (v === undefined || v === null) return null;
      if (typeof v === "boolean") return v ? 1 : 0;
      if (bindable(v)) return v as Value;
      return String(v);
    });
  };
  return {
    db,
    query: (text, params) => prepare(text).all(...bind(params)) as Row[],
    execute: (text, params) => Number(prepare(text).run(...bind(params)).changes),
    executeEach(text, rows) {
      const stmt = prepare(text);
      let changed = 0;
      for (const params of rows) changed += Number(stmt.run(...bind(params)).changes);
      return changed;
    },
    transact(writes) {
      db.exec("BEGIN IMMEDIATE");
      try {
        let changed = 0;
        for (const w of writes) {
          changed += "each" in w ? this.executeEach(w.text, w.each) : this.execute(w.text, w.params);
        }
        db.exec("COMMIT");
        return changed;
      } catch (err) {
        try {
          db.exec("ROLLBACK");
        } catch { /* the transaction may already be gone */ }
        throw err;
      }
    },
    close() {
      cache.clear();
      if (db.isOpen) db.close();
    },
    finish() {
      for (const text of ["PRAGMA optimize", "PRAGMA wal_checkpoint(TRUNCATE)"]) {
        try {
          db.exec(text);
        } catch { /* best effort */ }
      }
      this.close();
    },
  };
}

/** A connection on this thread behind the async {@link Executor} contract. */
export class Connection implements Executor {
  readonly sync: SyncConnection;

  constructor(Database: typeof DatabaseSync, path: string) {
    this.sync = openConnection(Database, path);
  }

  #run<T>(what: string, fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(toDbError(err, what));
    }
  }

  query(text: string, params: readonly unknown[]): Promise<Row[]> {
    return this.#run("SQLite query failed", () => this.sync.query(text, params));
  }

  execute(text: string, params: readonly unknown[]): Promise<number> {
    return this.#run("SQLite statement failed", () => this.sync.execute(text, params));
  }

  executeEach(text: string, rows: readonly (readonly unknown[])[]): Promise<number> {
    return this.#run("SQLite statement failed", () => this.sync.executeEach(text, rows));
  }

  exec(text: string): Promise<void> {
    return this.#run("SQLite statement failed", () => this.sync.db.exec(text));
  }

  transact(writes: readonly WriteStatement[]): Promise<number> {
    return this.#run("SQLite transaction failed", () => this.sync.transact(writes));
  }

  close(): void {
    this.sync.close();
  }
}
