/**
 * SQLite through `node:sqlite`, which is part of the runtime: no native library
 * download and no `--allow-ffi`. WAL mode with two connections: one writer,
 * serialised by a mutex so an async transaction never interleaves with another
 * statement, and one reader that sees committed data while a write is under way.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import { mkdirSync } from "node:fs";
import type { Driver, Executor, Row } from "../contract.ts";
import { toDbError } from "../errors.ts";
import { Mutex } from "../mutex.ts";

type SqliteValue = null | number | bigint | string | Uint8Array;

function bindable(v: unknown): SqliteValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "string" || v instanceof Uint8Array) {
    return v;
  }
  return String(v);
}

class Connection implements Executor {
  readonly db: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();

  constructor(path: string) {
    this.db = new DatabaseSync(path);
    this.db.exec("PRAGMA busy_timeout = 5000");
    // Takes effect only while the file has no tables yet: new databases can give pages back
    // with PRAGMA incremental_vacuum, the one vacuum that needs no ATTACH.
    this.db.exec("PRAGMA auto_vacuum = INCREMENTAL");
    this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec("PRAGMA synchronous = NORMAL");
    this.db.exec("PRAGMA temp_store = MEMORY");
  }

  #prepare(text: string): StatementSync {
    let stmt = this.#cache.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      if (this.#cache.size >= 500) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(text, stmt);
    }
    return stmt;
  }

  query(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return Promise.resolve(this.#prepare(text).all(...params.map(bindable)) as Row[]);
    } catch (err) {
      return Promise.reject(toDbError(err, "SQLite query failed"));
    }
  }

  execute(text: string, params: readonly unknown[]): Promise<number> {
    try {
      return Promise.resolve(Number(this.#prepare(text).run(...params.map(bindable)).changes));
    } catch (err) {
      return Promise.reject(toDbError(err, "SQLite statement failed"));
    }
  }

  close(): void {
    this.#cache.clear();
    if (this.db.isOpen) this.db.close();
  }
}

/** Opens an SQLite database file (created with its directory when missing). */
export function openSqlite(path: string): Driver {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let writer: Connection;
  try {
    writer = new Connection(path);
  } catch (err) {
    throw toDbError(err, `Cannot open SQLite database ${JSON.stringify(path)}`);
  }
  // An in-memory database exists once per connection, so it reads through the writer.
  const reader = path === ":memory:" ? writer : new Connection(path);
  const lock = new Mutex();
  // Planner statistics: SQLite gathers none by itself, and without them it may prefer an index
  // that matches an ORDER BY over the one that matches the WHERE. PRAGMA optimize is cheap when
  // nothing changed; the timer does not keep the process alive.
  const optimize = () =>
    lock.run(() => {
      try {
        writer.db.exec("PRAGMA optimize");
      } catch { /* best effort */ }
    });
  const optimizer = setInterval(optimize, 3_600_000);
  Deno.unrefTimer(optimizer);

  return {
    query: (text, params) => reader.query(text, params),
    execute: (text, params) => lock.run(() => writer.execute(text, params)),
    transaction: <T>(fn: (tx: Executor) => Promise<T>) =>
      lock.run(async () => {
        writer.db.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(writer);
          writer.db.exec("COMMIT");
          return result;
        } catch (err) {
          try {
            writer.db.exec("ROLLBACK");
          } catch { /* the transaction may already be gone */ }
          throw toDbError(err, "SQLite transaction failed");
        }
      }),
    // The runner applies each migration in its own BEGIN IMMEDIATE transaction and
    // re-reads the applied versions inside it, which is the lock SQLite needs.
    withMigrationLock: (fn) => fn(),
    close: () =>
      lock.run(() => {
        clearInterval(optimizer);
        try {
          writer.db.exec("PRAGMA optimize");
        } catch { /* best effort */ }
        if (reader !== writer) reader.close();
        try {
          writer.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch { /* best effort */ }
        writer.close();
      }),
  };
}
