/**
 * A fresh database for each benchmark run: SQLite at `<dir>/data/argus.db` (the
 * default path the executable may write), or a new PostgreSQL / MySQL database
 * on the local servers, dropped afterwards. Plus the counts and on-disk sizes
 * the report needs, read with plain statements on the raw driver.
 *
 * @module
 */

import type { Database, DialectName } from "../src/db/contract.ts";
import { openDatabase } from "../src/db/open.ts";
import { migrate } from "../src/db/migrate.ts";
import { mysqlLive, postgresLive } from "../tests/support/databases.ts";

/** A database a run writes into. */
export interface BenchDatabase {
  driver: DialectName;
  /** `DB_DSN` for a server started in `dir` (SQLite: relative `data/argus.db`). */
  dsn: string;
  /** The server's working directory. */
  dir: string;
  /** Opens a migrated connection for in-process work. */
  open(): Promise<Database>;
  /** Drops the database and removes the directory. */
  drop(): Promise<void>;
}

/** Creates an empty, migrated database. */
export async function freshDatabase(driver: "sqlite" | "postgres" | "mysql"): Promise<BenchDatabase> {
  const dir = await Deno.makeTempDir({ prefix: "argus_bench_" });
  if (driver === "sqlite") {
    await Deno.mkdir(`${dir}/data`, { recursive: true });
    const path = `${dir}/data/argus.db`;
    return {
      driver,
      dsn: "data/argus.db",
      dir,
      async open() {
        const db = await openDatabase("sqlite", path);
        await migrate(db);
        return db;
      },
      drop: () => Deno.remove(dir, { recursive: true }),
    };
  }
  // The helper's own connection stays open until drop(): its close() closes it and
  // then drops the database, and a second close() of the same driver would throw first.
  const fresh = await (driver === "postgres" ? postgresLive : mysqlLive).fresh();
  return {
    driver,
    dsn: fresh.dsn,
    dir,
    async open() {
      const db = await openDatabase(driver, fresh.dsn);
      await migrate(db);
      return db;
    },
    async drop() {
      await fresh.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Rows in a table (all tenants). */
export async function countRows(db: Database, table: "spans" | "logs" | "traces"): Promise<number> {
  const rows = await db.driver.query(`SELECT COUNT(*) AS n FROM ${table}`, []);
  return Number(rows[0].n);
}

/**
 * Bytes the database uses for spans, their trace summaries and resources (SQLite: the
 * whole file after a checkpoint, so run it on a database holding only spans).
 */
export async function spanStorageBytes(b: BenchDatabase, db: Database): Promise<number> {
  switch (b.driver) {
    case "sqlite": {
      // The server's checkpointer thread may hold the checkpoint lock at this instant (busy = 1):
      // try again until the log is empty, or the WAL's leftover would count as span bytes.
      for (let i = 0; i < 100; i++) {
        const [r] = await db.driver.query("PRAGMA wal_checkpoint(TRUNCATE)", []);
        if (Number(r?.busy) === 0 && Number(r?.log) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      let size = (await Deno.stat(`${b.dir}/data/argus.db`)).size;
      try {
        size += (await Deno.stat(`${b.dir}/data/argus.db-wal`)).size;
      } catch { /* no WAL left */ }
      return size;
    }
    case "postgres": {
      await db.driver.execute("VACUUM ANALYZE spans", []).catch(() => 0);
      const rows = await db.driver.query(
        "SELECT pg_total_relation_size('spans') + pg_total_relation_size('traces') + pg_total_relation_size('resources') AS n",
        [],
      );
      return Number(rows[0].n);
    }
    case "mysql": {
      await db.driver.query("ANALYZE TABLE spans, traces, resources", []);
      const rows = await db.driver.query(
        "SELECT SUM(data_length + index_length) AS n FROM information_schema.tables " +
          "WHERE table_schema = DATABASE() AND table_name IN ('spans', 'traces', 'resources')",
        [],
      );
      return Number(rows[0].n);
    }
    default:
      return 0;
  }
}
