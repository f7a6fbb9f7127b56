/**
 * Starts Argus in-process on free ports, on a fresh database of the chosen
 * dialect, with a DLQ directory of its own.
 *
 * @module
 */

import { loadConfig } from "../../src/config.ts";
import { type Argus, startArgus } from "../../src/app.ts";
import type { Database } from "../../src/db/contract.ts";
import type { LiveDialect } from "./databases.ts";
import { sqliteLive } from "./databases.ts";

/** A running test instance and how to clean it up. */
export interface TestArgus {
  argus: Argus;
  dir: string;
  dsn: string;
  http: string;
  otlpHttp: string;
  grpc: string;
  stop(): Promise<void>;
}

/** Starts Argus with `env` on top of test defaults. */
export async function startTestArgus(
  env: Record<string, string> = {},
  dialect: LiveDialect = sqliteLive,
  seed?: (db: Database) => Promise<void>,
): Promise<TestArgus> {
  const dir = await Deno.makeTempDir({ prefix: "argus_e2e_" });
  const fresh = await dialect.fresh();
  // What an earlier process left in the database.
  await seed?.(fresh.db);
  // The fresh database is migrated already; Argus opens its own connection to it.
  await fresh.db.driver.close();
  const config = loadConfig({
    HTTP_PORT: "0",
    GRPC_PORT: "0",
    OTLP_HTTP_PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    LOG_LEVEL: "ERROR",
    DB_DRIVER: dialect.name,
    DB_DSN: fresh.dsn,
    DLQ_PATH: `${dir}/dlq`,
    INGEST_MIN_SEVERITY: "TRACE",
    ...env,
  });
  const argus = await startArgus(config);
  return {
    argus,
    dir,
    dsn: fresh.dsn,
    http: `http://127.0.0.1:${argus.httpPort}`,
    otlpHttp: `http://127.0.0.1:${argus.otlpHttpPort}`,
    grpc: `http://127.0.0.1:${argus.grpcPort}`,
    async stop() {
      await argus.close();
      await fresh.close().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
