/**
 * Opens the configured database. Each dialect's driver module is imported only
 * when chosen, so an SQLite installation never loads the network drivers.
 *
 * @module
 */

import type { Database, DialectName } from "./contract.ts";

/** Opens `dsn` with the named dialect. */
export async function openDatabase(name: DialectName, dsn: string): Promise<Database> {
  switch (name) {
    case "sqlite": {
      const [{ openSqlite }, s] = await Promise.all([
        import("./sqlite/driver.ts"),
        import("./sqlite/spelling.ts"),
      ]);
      return {
        name,
        driver: openSqlite(dsn),
        spelling: s.sqliteSpelling,
        capabilities: s.sqliteCapabilities,
      };
    }
    case "postgres": {
      const [{ openPostgres }, s] = await Promise.all([
        import("./postgres/driver.ts"),
        import("./postgres/spelling.ts"),
      ]);
      return {
        name,
        driver: openPostgres(dsn),
        spelling: s.postgresSpelling,
        capabilities: s.postgresCapabilities,
      };
    }
    case "mysql": {
      const [{ openMysql }, s] = await Promise.all([
        import("./mysql/driver.ts"),
        import("./mysql/spelling.ts"),
      ]);
      return { name, driver: openMysql(dsn), spelling: s.mysqlSpelling, capabilities: s.mysqlCapabilities };
    }
    case "sqlserver": {
      const [{ openSqlServer }, s] = await Promise.all([
        import("./sqlserver/driver.ts"),
        import("./sqlserver/spelling.ts"),
      ]);
      return {
        name,
        driver: openSqlServer(dsn),
        spelling: s.sqlserverSpelling,
        capabilities: s.sqlserverCapabilities,
      };
    }
  }
}
