/**
 * Log ids assigned by the writer, not by the database: the same id travels with
 * a row into the dead-letter queue, so a replay can tell a stored row from a
 * missing one. An id is (milliseconds since 2020-01-01) × 4096 + a sequence,
 * below 2^53 until the 2080s, increasing, so the primary key grows in time order.
 *
 * @module
 */

const EPOCH_MS = Date.UTC(2020, 0, 1);
const PER_MS = 4096;

/** How far apart in id the ids of logs stored `ms` milliseconds apart are (at least). */
export function idsPerMs(ms: number): number {
  return ms * PER_MS;
}

/** The smallest id made at `ms` (ms since the Unix epoch) or later. */
export function firstIdAt(ms: number): number {
  return (ms - EPOCH_MS) * PER_MS;
}

/** When (ms since the epoch, to the millisecond) the log with this id was stored. */
export function storedAtMs(id: number): number {
  return Math.floor(id / PER_MS) + EPOCH_MS;
}

/** Makes increasing integer ids. */
export class IdGenerator {
  #last = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The next id: strictly greater than every earlier one, even if the clock steps back. */
  next(): number {
    const candidate = firstIdAt(this.#now());
    this.#last = candidate > this.#last ? candidate : this.#last + 1;
    return this.#last;
  }
}
