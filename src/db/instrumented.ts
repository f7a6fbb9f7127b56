/**
 * Times every database call for `argus_db_latency` and the health p99. The
 * wrapper sits between the store and the dialect's driver, so it sees what the
 * rest of Argus waits on: each top-level `query` and `execute`, and each
 * `transaction` (or `writeTransaction`) as one unit. Statements inside a
 * transaction are part of that transaction's time and are not timed again (on
 * SQLite, where a batch is one prepared insert per row, they would drown every
 * other figure). On SQLite a `writeTransaction` counts from the start of its
 * reads, which may wait for an earlier batch's commit, so the times of
 * consecutive batches overlap.
 *
 * @module
 */

import type { Database, Driver } from "./contract.ts";

/** What was timed. */
export type DbOperation = "query" | "execute" | "transaction";

/** The operations, for metric label values (a fixed list, never from a request). */
export const DB_OPERATIONS: readonly DbOperation[] = ["query", "execute", "transaction"];

/** Receives one timing: the operation, its wall time in seconds and whether it succeeded. */
export type DbTimingObserver = (operation: DbOperation, seconds: number, ok: boolean) => void;

/** Returns `db` with a driver that reports the time of each call to `observe`. */
export function instrumentDatabase(db: Database, observe: DbTimingObserver): Database {
  const report = (operation: DbOperation, started: number, ok: boolean) => {
    try {
      observe(operation, (performance.now() - started) / 1000, ok);
    } catch { /* a metrics fault must never fail a database call */ }
  };
  const timed = async <T>(operation: DbOperation, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const result = await call();
      report(operation, started, true);
      return result;
    } catch (err) {
      report(operation, started, false);
      throw err;
    }
  };
  const inner = db.driver;
  const driver: Driver = {
    query: (text, params) => timed("query", () => inner.query(text, params)),
    execute: (text, params) => timed("execute", () => inner.execute(text, params)),
    transaction: (fn) => timed("transaction", () => inner.transaction(fn)),
    writeTransaction: inner.writeTransaction
      ? (prepare, options) => timed("transaction", () => inner.writeTransaction!(prepare, options))
      : undefined,
    withMigrationLock: (fn) => inner.withMigrationLock(fn),
    close: () => inner.close(),
  };
  return { ...db, driver };
}
