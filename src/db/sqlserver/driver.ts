/**
 * SQL Server through `npm:tedious`. The only file that imports it.
 *
 * tedious runs one request at a time per connection, so the driver keeps a
 * single connection behind a mutex and reopens it after a failure. Live tests
 * run only when `TEST_MSSQL_URL` is set; without a server the generated SQL is
 * what the tests check.
 *
 * @module
 */

import { Connection, Request, TYPES } from "tedious";
import type { Driver, Executor, Row } from "../contract.ts";
import { toDbError } from "../errors.ts";
import { Mutex } from "../mutex.ts";

interface Column {
  metadata: { colName: string; type: { name: string } };
  value: unknown;
}

/** Reads `sqlserver://user:pass@host:port/database?encrypt=true&trustServerCertificate=true`. */
export function parseSqlServerDsn(dsn: string): Record<string, unknown> {
  let u: URL;
  try {
    u = new URL(dsn);
  } catch {
    throw new TypeError(
      "Cannot parse DB_DSN for sqlserver: expected sqlserver://user:password@host:1433/database",
    );
  }
  if (u.protocol !== "sqlserver:" && u.protocol !== "mssql:") {
    throw new TypeError(
      `Cannot parse DB_DSN for sqlserver: expected the sqlserver:// scheme, got ${u.protocol}`,
    );
  }
  const flag = (name: string, fallback: boolean) => {
    const v = u.searchParams.get(name);
    return v === null ? fallback : v === "true" || v === "1";
  };
  return {
    server: u.hostname,
    authentication: {
      type: "default",
      options: { userName: decodeURIComponent(u.username), password: decodeURIComponent(u.password) },
    },
    options: {
      port: u.port ? Number(u.port) : 1433,
      database: decodeURIComponent(u.pathname.replace(/^\//, "")) || undefined,
      encrypt: flag("encrypt", true),
      trustServerCertificate: flag("trustServerCertificate", false),
      connectTimeout: 10_000,
      requestTimeout: 60_000,
    },
  };
}

function paramType(v: unknown) {
  if (typeof v === "number") return Number.isInteger(v) ? TYPES.BigInt : TYPES.Float;
  if (typeof v === "bigint") return TYPES.BigInt;
  if (typeof v === "boolean") return TYPES.Bit;
  return TYPES.NVarChar;
}

/** Connects to SQL Server. */
export function openSqlServer(dsn: string): Driver {
  const config = parseSqlServerDsn(dsn);
  const lock = new Mutex();
  let conn: Connection | undefined;

  const connect = (): Promise<Connection> => {
    if (conn) return Promise.resolve(conn);
    return new Promise((resolve, reject) => {
      const c = new Connection(config as unknown as ConstructorParameters<typeof Connection>[0]);
      c.on("error", () => {
        if (conn === c) conn = undefined;
      });
      c.on("end", () => {
        if (conn === c) conn = undefined;
      });
      c.connect((err) => {
        if (err) reject(toDbError(Object.assign(err, { code: "ESOCKET" }), "SQL Server connect failed"));
        else {
          conn = c;
          resolve(c);
        }
      });
    });
  };

  const run = async (text: string, params: readonly unknown[]): Promise<{ rows: Row[]; count: number }> => {
    const c = await connect();
    return new Promise((resolve, reject) => {
      const rows: Row[] = [];
      const req = new Request(text, (err, rowCount) => {
        if (err) reject(toDbError(err, "SQL Server statement failed"));
        else resolve({ rows, count: rowCount ?? 0 });
      });
      params.forEach((v, i) => req.addParameter(`p${i + 1}`, paramType(v), v ?? null));
      req.on("row", (columns: Column[]) => {
        const row: Row = {};
        for (const col of columns) {
          row[col.metadata.colName] = col.metadata.type.name === "BigInt" && col.value !== null
            ? Number(col.value)
            : col.value;
        }
        rows.push(row);
      });
      c.execSql(req);
    });
  };

  const callback = (fn: (cb: (err?: Error | null) => void) => void) =>
    new Promise<void>((resolve, reject) => fn((err) => err ? reject(err) : resolve()));

  // A tedious connection takes one request at a time; statements a caller sends together
  // inside a transaction wait their turn here (the outer lock is held by the transaction).
  const statements = new Mutex();
  const ex: Executor = {
    query: (text, params) => statements.run(async () => (await run(text, params)).rows),
    execute: (text, params) => statements.run(async () => (await run(text, params)).count),
  };

  return {
    query: (text, params) => lock.run(() => ex.query(text, params)),
    execute: (text, params) => lock.run(() => ex.execute(text, params)),
    transaction: (fn) =>
      lock.run(async () => {
        const c = await connect();
        await callback((cb) => c.beginTransaction(cb));
        try {
          const result = await fn(ex);
          await callback((cb) => c.commitTransaction(cb));
          return result;
        } catch (err) {
          await callback((cb) => c.rollbackTransaction(cb)).catch(() => {});
          throw toDbError(err, "SQL Server transaction failed");
        }
      }),
    withMigrationLock: async (fn) => {
      await lock.run(() =>
        ex.query(
          "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = 'argus_migrate', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 120000; SELECT @r AS r",
          [],
        )
      );
      try {
        return await fn();
      } finally {
        await lock.run(() =>
          ex.query("EXEC sp_releaseapplock @Resource = 'argus_migrate', @LockOwner = 'Session'", [])
        ).catch(() => {});
      }
    },
    close: () =>
      lock.run(() => {
        conn?.close();
        conn = undefined;
      }),
  };
}
