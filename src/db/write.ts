/**
 * Write transactions whose reads come first ({@link Driver.writeTransaction}):
 * the driver's own way when it has one, else a plain transaction that runs the
 * reads, then sends every write together (the executor runs them in order).
 *
 * @module
 */

import type { Driver, Executor, PreparedWrite, WriteOptions, WriteStatement } from "./contract.ts";

/** Runs `writes` on `ex` in order; resolves once all have run. */
export async function runWrites(ex: Executor, writes: readonly WriteStatement[]): Promise<void> {
  await Promise.all(writes.map((w) => {
    if (!("each" in w)) return ex.execute(w.text, w.params);
    if (ex.executeEach) return ex.executeEach(w.text, w.each);
    return Promise.all(w.each.map((params) => ex.execute(w.text, params)));
  }));
}

/**
 * Reads, then writes, in one transaction of `driver`; resolves with the reads' result once
 * committed. `options` reach a driver with its own write transactions; the plain transaction
 * ignores them (it never prepares beside a commit).
 */
export function writeTransaction<T>(
  driver: Driver,
  prepare: (reads: Executor) => Promise<PreparedWrite<T>>,
  options?: WriteOptions,
): Promise<T> {
  if (driver.writeTransaction) return driver.writeTransaction(prepare, options);
  return driver.transaction(async (tx) => {
    const { result, writes } = await prepare(tx);
    await runWrites(tx, writes);
    return result;
  });
}
