/**
 * A database that runs nothing and records the SQL it is given: for tabling the
 * generated statements of each dialect (SQL Server's included, which cannot run here).
 *
 * @module
 */

import type { Database, DialectName, Driver, Executor, Row } from "../../src/db/contract.ts";
import { sqliteCapabilities, sqliteSpelling } from "../../src/db/sqlite/spelling.ts";
import { postgresCapabilities, postgresSpelling } from "../../src/db/postgres/spelling.ts";
import { mysqlCapabilities, mysqlSpelling } from "../../src/db/mysql/spelling.ts";
import { sqlserverCapabilities, sqlserverSpelling } from "../../src/db/sqlserver/spelling.ts";

/** Spelling and capabilities per dialect. */
export const DIALECTS = {
  sqlite: [sqliteSpelling, sqliteCapabilities],
  postgres: [postgresSpelling, postgresCapabilities],
  mysql: [mysqlSpelling, mysqlCapabilities],
  sqlserver: [sqlserverSpelling, sqlserverCapabilities],
} as const;

/** A recording database of one dialect; `rows` answers every query. */
export function capturingDatabase(
  name: DialectName,
  rows: (text: string) => Row[] = () => [],
): { db: Database; statements: { text: string; params: readonly unknown[] }[] } {
  const statements: { text: string; params: readonly unknown[] }[] = [];
  const ex: Executor = {
    query: (text, params) => {
      statements.push({ text, params });
      return Promise.resolve(rows(text));
    },
    execute: (text, params) => {
      statements.push({ text, params });
      return Promise.resolve(0);
    },
  };
  const driver: Driver = {
    ...ex,
    transaction: (fn) => fn(ex),
    withMigrationLock: (fn) => fn(),
    close: () => Promise.resolve(),
  };
  const [spelling, capabilities] = DIALECTS[name];
  return { db: { name, driver, spelling, capabilities }, statements };
}
