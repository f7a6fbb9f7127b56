/**
 * PostgreSQL through `npm:postgres`. The only file that imports it.
 *
 * @module
 */

import postgres from "postgres";
import type { Driver, Executor, Row } from "../contract.ts";
import { toDbError } from "../errors.ts";

/** The slice of postgres.js this driver uses. */
interface PgLike {
  unsafe(text: string, params?: unknown[]): Promise<Row[] & { count: number }>;
}
interface PgPool extends PgLike {
  begin<T>(fn: (tx: PgLike) => Promise<T>): Promise<T>;
  reserve(): Promise<PgLike & { release(): void }>;
  end(options?: { timeout?: number }): Promise<void>;
}

const MIGRATION_LOCK_KEY = 7_270_421; // any constant; "argus" has no meaning to PostgreSQL

function executor(conn: PgLike): Executor {
  return {
    async query(text, params) {
      try {
        return [...await conn.unsafe(text, params as unknown[])];
      } catch (err) {
        throw toDbError(err, "PostgreSQL query failed");
      }
    },
    async execute(text, params) {
      try {
        return (await conn.unsafe(text, params as unknown[])).count ?? 0;
      } catch (err) {
        throw toDbError(err, "PostgreSQL statement failed");
      }
    },
  };
}

/** Connects to PostgreSQL with a connection string `postgres://user:pass@host:port/db`. */
export function openPostgres(dsn: string): Driver {
  const asNumber = { serialize: (x: unknown) => String(x), parse: (x: string) => Number(x) };
  const pool = postgres(dsn, {
    max: 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    // int8 and numeric come back as JavaScript numbers: microsecond timestamps fit in 2^53.
    types: {
      int8: { to: 20, from: [20], ...asNumber },
      numeric: { to: 1700, from: [1700], ...asNumber },
    },
    connection: { application_name: "argus" },
  }) as unknown as PgPool;
  const main = executor(pool);
  return {
    ...main,
    async transaction(fn) {
      try {
        return await pool.begin((tx) => fn(executor(tx)));
      } catch (err) {
        throw toDbError(err, "PostgreSQL transaction failed");
      }
    },
    async withMigrationLock(fn) {
      let conn;
      try {
        conn = await pool.reserve();
        await conn.unsafe("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      } catch (err) {
        conn?.release();
        throw toDbError(err, "PostgreSQL migration lock failed");
      }
      try {
        return await fn();
      } finally {
        await conn.unsafe("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
        conn.release();
      }
    },
    close: () => pool.end({ timeout: 5 }),
  };
}
