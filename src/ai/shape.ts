/**
 * Log shapes and the insight cache (SPEC §8): bodies that differ only in
 * numbers, ids, UUIDs, hex, addresses and quoted values have the same shape,
 * so `payment 8812 failed for "bob"` and `payment 9120 failed for "eve"`
 * share one analysis.
 *
 * @module
 */

/** Characters of a body that decide its shape; the rest is ignored. */
export const SHAPE_PREFIX_CHARS = 2048;

// One pass over the prefix: quoted values (a single quote opens one only after a non-word
// character, so "can't" is a word), word-ish tokens (e-mail addresses, dotted names, versions
// and addresses stay one token), whitespace. Everything else is kept as it is.
const TOKEN = /"(?:[^"\\\n]|\\.)*"|(?<!\w)'(?:[^'\\\n]|\\.)*'|`[^`\n]*`|[\w.@%+-]+|\s+/g;
const DIGIT = /\d/;
const HEX_WORD = /^[0-9a-f]{8,}$/i;

function maskToken(t: string): string {
  const c = t.charCodeAt(0);
  if (c === 34 || c === 39 || c === 96) return '"_"';
  if (c <= 32 || /^\s/.test(t)) return " ";
  // Numbers, ids (order-12, u_9f3), UUIDs, addresses, versions; e-mail addresses; all-letter hex.
  if (DIGIT.test(t) || t.includes("@") || HEX_WORD.test(t)) return "#";
  return t;
}

/** The shape of a log body: variable parts masked, whitespace collapsed. */
export function bodyShape(body: string): string {
  return body.slice(0, SHAPE_PREFIX_CHARS).replace(TOKEN, maskToken).trim();
}

/**
 * A bounded least-recently-used map whose entries expire `ttlMs` after they
 * were set. `now` is injectable for tests.
 */
export class LruCache<V> {
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(max: number, ttlMs: number, now: () => number = Date.now) {
    if (!(max >= 1)) throw new RangeError(`Cannot make a cache of ${max} entries: expected at least 1`);
    this.#max = max;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The live value of `key`, marking it recently used; undefined when absent or expired. */
  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    this.#entries.delete(key);
    if (e.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, e);
    return e.value;
  }

  /** Sets `key`, evicting the least recently used entry when full. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#max) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  /** Entries held (expired ones included until they are touched or evicted). */
  get size(): number {
    return this.#entries.size;
  }
}
