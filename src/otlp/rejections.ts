/**
 * Collects why items of one export request were rejected and phrases the English
 * `error_message` of the partial success.
 *
 * @module
 */

/** Counts rejected items per reason. */
export class Rejections {
  #count = 0;
  #reasons = new Map<string, number>();

  /** Number of items rejected so far. */
  get count(): number {
    return this.#count;
  }

  /** Records one rejected item and why. */
  add(reason: string): void {
    this.#count++;
    this.#reasons.set(reason, (this.#reasons.get(reason) ?? 0) + 1);
  }

  /**
   * E.g. `Rejected 2 of 5 spans: trace id is all zero (1); span id is 7 bytes, expected 8 (1)`;
   * '' when nothing was rejected.
   */
  message(total: number, noun: string): string {
    if (this.#count === 0) return "";
    const parts: string[] = [];
    for (const [reason, n] of this.#reasons) parts.push(`${reason} (${n})`);
    return `Rejected ${this.#count} of ${total} ${noun}: ${parts.join("; ")}`;
  }
}
