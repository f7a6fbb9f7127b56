/**
 * The live databases tests run against. SQLite always; PostgreSQL and MariaDB
 * on this machine and on CI (a server that cannot be reached fails the run, it
 * is not skipped); SQL Server only when TEST_MSSQL_URL is set. Each call to
 * `fresh()` makes an empty database of its own so test files can run in parallel.
 *
 * @module
 */

import type { Database, DialectName } from "../../src/db/contract.ts";
import { openDatabase } from "../../src/db/open.ts";
import { migrate, readMigrations } from "../../src/db/migrate.ts";

/** A dialect the suite can run on. */
export interface LiveDialect {
  readonly name: DialectName;
  /** An empty database migrated up to `upTo` (default: every migration); `close` drops it. */
  fresh(upTo?: number): Promise<{ db: Database; dsn: string; close(): Promise<void> }>;
}

/** Connection strings used by the tests, overridable for other machines. */
export const TEST_URLS = {
  postgres: Deno.env.get("TEST_PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test",
  mysql: Deno.env.get("TEST_MYSQL_URL") ?? "mysql://root@127.0.0.1:3306/test",
  sqlserver: Deno.env.get("TEST_MSSQL_URL") ?? "",
};

let counter = 0;
const uniqueName = () =>
  `argus_t_${Date.now().toString(36)}_${Deno.pid}_${(counter++).toString(36)}_${
    Math.random().toString(36).slice(2, 6)
  }`;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * Inserts one row of `values` into `columns` of `table` straight through the driver (no scoping,
 * no repository), placeholders spelled for the dialect: for rows as an older Argus wrote them.
 */
export function insertRaw(db: Database, table: string, columns: readonly string[], values: unknown[]) {
  return db.driver.execute(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${
      values.map((_, i) => db.spelling.placeholder(i + 1)).join(", ")
    })`,
    values,
  );
}

/** Applies the migrations numbered up to `upTo` (all when undefined). */
async function migrateUpTo(db: Database, upTo?: number) {
  const all = await readMigrations(db.name);
  await migrate(db, upTo === undefined ? all : all.filter((m) => m.version <= upTo));
}

async function serverDatabase(
  name: DialectName,
  adminUrl: string,
  create: (n: string) => string,
  drop: (n: string) => string,
  upTo?: number,
) {
  const admin = await openDatabase(name, adminUrl);
  const dbName = uniqueName();
  try {
    await admin.driver.execute(create(dbName), []);
  } catch (err) {
    await admin.driver.close();
    throw new Error(`Cannot create a test database on ${name} at ${adminUrl}: ${(err as Error).message}`);
  }
  const dsn = withDatabase(adminUrl, dbName);
  const db = await openDatabase(name, dsn);
  await migrateUpTo(db, upTo);
  return {
    db,
    dsn,
    async close() {
      // The driver may be closed already (startTestArgus closes it early); the drop must still run.
      await db.driver.close().catch(() => {});
      await admin.driver.execute(drop(dbName), []).catch(() => {});
      await admin.driver.close();
    },
  };
}

/** SQLite in a temporary directory. */
export const sqliteLive: LiveDialect = {
  name: "sqlite",
  async fresh(upTo) {
    const dir = await Deno.makeTempDir({ prefix: "argus_sqlite_" });
    const dsn = `${dir}/argus.db`;
    const db = await openDatabase("sqlite", dsn);
    await migrateUpTo(db, upTo);
    return {
      db,
      dsn,
      async close() {
        await db.driver.close().catch(() => {});
        await Deno.remove(dir, { recursive: true });
      },
    };
  },
};

/** PostgreSQL: a new database per call. */
export const postgresLive: LiveDialect = {
  name: "postgres",
  fresh: (upTo) =>
    serverDatabase(
      "postgres",
      TEST_URLS.postgres,
      (n) => `CREATE DATABASE ${n}`,
      (n) => `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`,
      upTo,
    ),
};

/** MySQL/MariaDB: a new database per call. */
export const mysqlLive: LiveDialect = {
  name: "mysql",
  fresh: (upTo) =>
    serverDatabase(
      "mysql",
      TEST_URLS.mysql,
      (n) => `CREATE DATABASE ${n} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
      (n) => `DROP DATABASE IF EXISTS ${n}`,
      upTo,
    ),
};

/** SQL Server, when TEST_MSSQL_URL names one. */
export const sqlserverLive: LiveDialect = {
  name: "sqlserver",
  fresh: (upTo) =>
    serverDatabase(
      "sqlserver",
      TEST_URLS.sqlserver,
      (n) => `CREATE DATABASE ${n}`,
      (n) => `ALTER DATABASE ${n} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ${n}`,
      upTo,
    ),
};

/** The dialects that run here, and the ones skipped with their reason. */
export function liveDialects(): { run: LiveDialect[]; skipped: { name: DialectName; reason: string }[] } {
  const run = [sqliteLive, postgresLive, mysqlLive];
  const skipped: { name: DialectName; reason: string }[] = [];
  if (TEST_URLS.sqlserver) run.push(sqlserverLive);
  else skipped.push({ name: "sqlserver", reason: "TEST_MSSQL_URL is not set (no SQL Server can run here)" });
  return { run, skipped };
}
