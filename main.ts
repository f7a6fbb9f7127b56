/**
 * Argus entry point: resolve the configuration, start, and stop cleanly on
 * SIGINT/SIGTERM. A bad configuration prints one line and exits 2.
 *
 * @module
 */

import { ConfigError, loadConfig, readDotEnv } from "./src/config.ts";
import { startArgus } from "./src/app.ts";
import { logger } from "./src/telemetry/log.ts";

if (import.meta.main) {
  let config;
  try {
    config = loadConfig(Deno.env.toObject(), readDotEnv());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`argus: ${err.message}`);
      Deno.exit(2);
    }
    throw err;
  }
  const argus = await startArgus(config).catch((err) => {
    logger.error("start-up failed", { error: err });
    Deno.exit(1);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    // A second Ctrl-C or SIGTERM must not cut the flush short: data in the queue would be lost.
    if (stopping) return logger.warn("already shutting down; signal ignored", { signal });
    stopping = true;
    logger.info("shutting down", { signal });
    try {
      await argus.close();
    } catch (err) {
      logger.error("shutdown failed", { error: err });
      Deno.exit(1);
    }
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
}
