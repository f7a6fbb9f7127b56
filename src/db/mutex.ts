/**
 * A promise-chained lock: callers run one at a time in arrival order.
 *
 * @module
 */

/** Serialises async sections. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` once every earlier caller has finished. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(() => fn());
    this.#tail = result.catch(() => {});
    return result;
  }
}
