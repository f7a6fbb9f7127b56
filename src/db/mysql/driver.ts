/**
 * MySQL and MariaDB through `npm:mysql2`. The only file that imports it.
 *
 * Statements go through the pool's `query`, where mysql2 escapes each bound
 * value itself: server-side prepared statements would cache one statement per
 * distinct multi-row insert size on every connection.
 *
 * @module
 */

import mysql from "mysql2/promise";
import type { Driver, Executor, Row } from "../contract.ts";
import { toDbError } from "../errors.ts";

/** The slice of mysql2 this driver uses. */
interface MyConn {
  query(text: string, params?: unknown[]): Promise<[unknown, unknown]>;
}
interface MyPoolConn extends MyConn {
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  release(): void;
}
interface MyPool extends MyConn {
  getConnection(): Promise<MyPoolConn>;
  end(): Promise<void>;
}

function executor(conn: MyConn): Executor {
  return {
    async query(text, params) {
      try {
        const [rows] = await conn.query(text, params as unknown[]);
        return rows as Row[];
      } catch (err) {
        throw toDbError(err, "MySQL query failed");
      }
    },
    async execute(text, params) {
      try {
        const [res] = await conn.query(text, params as unknown[]);
        return (res as { affectedRows?: number }).affectedRows ?? 0;
      } catch (err) {
        throw toDbError(err, "MySQL statement failed");
      }
    },
  };
}

/** Connects with a connection string `mysql://user:pass@host:port/db`. */
export function openMysql(dsn: string): Driver {
  const pool = mysql.createPool({
    uri: dsn,
    charset: "utf8mb4",
    connectionLimit: 10,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    dateStrings: true,
    enableKeepAlive: true,
    connectTimeout: 10_000,
  }) as unknown as MyPool;
  const main = executor(pool);
  const withConn = async <T>(what: string, fn: (c: MyPoolConn) => Promise<T>): Promise<T> => {
    let conn: MyPoolConn;
    try {
      conn = await pool.getConnection();
    } catch (err) {
      throw toDbError(err, `MySQL ${what} failed`);
    }
    try {
      return await fn(conn);
    } finally {
      conn.release();
    }
  };
  return {
    ...main,
    transaction: (fn) =>
      withConn("transaction", async (conn) => {
        try {
          await conn.beginTransaction();
          const result = await fn(executor(conn));
          await conn.commit();
          return result;
        } catch (err) {
          await conn.rollback().catch(() => {});
          throw toDbError(err, "MySQL transaction failed");
        }
      }),
    withMigrationLock: (fn) =>
      withConn("migration lock", async (conn) => {
        const [rows] = await conn.query("SELECT GET_LOCK('argus_migrate', 120) AS got");
        if ((rows as { got: number }[])[0]?.got !== 1) {
          throw toDbError(
            new Error("timed out waiting for GET_LOCK('argus_migrate')"),
            "MySQL migration lock",
          );
        }
        try {
          return await fn();
        } finally {
          await conn.query("SELECT RELEASE_LOCK('argus_migrate')").catch(() => {});
        }
      }),
    close: () => pool.end(),
  };
}
