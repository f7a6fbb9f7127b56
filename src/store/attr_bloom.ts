/**
 * A Bloom filter of each trace's span attributes, kept in its summary row, so a
 * trace search on `attr=key=value` reads the spans of only the traces that may
 * hold the pair instead of the spans of every trace in the window.
 *
 * Every (key, value) pair of a span's attributes is hashed to one of
 * {@link BLOOM_COLUMNS} integer columns (`traces.attr_bloom_0` …) and sets
 * {@link BITS_PER_PAIR} of its {@link BITS_PER_COLUMN} bits; a summary ORs in
 * the pairs of every span it counts. A search tests the column of its pair with
 * one `&` and still checks the spans themselves, so the filter only has to never
 * say "absent" for a pair the database would match:
 *
 * - values are hashed as the database compares them: strings as stored, safe
 *   integers and booleans as their text (what every dialect's JSON extraction
 *   gives), null as "null" (MySQL's), other numbers, arrays and objects not at all;
 * - ASCII letters are folded to lower case and trailing spaces dropped, since
 *   MySQL and SQL Server pad spaces (and case-insensitive collations exist);
 *   SQL Server's default collations fold further (width, ß = ss), so the search
 *   does not use the filter there (`Spelling.foldsText`);
 * - a search uses the filter only for a value that every dialect must spell as
 *   hashed: printable ASCII, not a JSON array or object, and, if it looks like a
 *   number, a plain integer of up to 15 digits. Any other value is searched on
 *   the spans alone, as before the filter.
 *
 * A summary written before migration 0009, or that counted such spans, has NULL
 * columns: unknown, a candidate for every search. The hash is stored: changing it
 * needs a migration that sets the columns back to NULL.
 *
 * @module
 */

/** Integer columns per trace (`attr_bloom_0` … `attr_bloom_7`). */
export const BLOOM_COLUMNS = 8;
/** Bits used per column: 48, safe as JavaScript numbers and in every dialect's BIGINT. */
export const BITS_PER_COLUMN = 48;
/** Bits a pair sets in its column. */
export const BITS_PER_PAIR = 4;

/** The column names, in order. */
export const BLOOM_COLUMN_NAMES = Array.from({ length: BLOOM_COLUMNS }, (_, i) => `attr_bloom_${i}`);

const TWO_24 = 0x1000000;
/** Steps coprime with 48, so the bits of a pair are distinct. */
const STEPS = [1, 5, 7, 11, 13, 17, 19, 23, 25, 29, 31, 35, 37, 41, 43, 47];

/** Feeds the UTF-16 code units of `s` to FNV-1a, two units (32 bits) per step. */
function fnvExact(h: number, s: string): number {
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i < n) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** An ASCII capital letter as lower case; any other unit as it is. */
const fold = (c: number): number => (c - 65 >>> 0 < 26 ? c + 32 : c);

/** As {@link fnvExact}, with ASCII letters folded to lower case and trailing spaces dropped. */
function fnvFolded(h: number, s: string): number {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 32) n--;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    h = Math.imul(h ^ (fold(s.charCodeAt(i)) | (fold(s.charCodeAt(i + 1)) << 16)), 0x01000193);
  }
  if (i < n) h = Math.imul(h ^ fold(s.charCodeAt(i)), 0x01000193);
  return h;
}

/** MurmurHash3's finaliser: spreads FNV's weak low bits. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The 30-bit hash of one pair; the key is exact, the value folded. */
export function pairHash(key: string, valueText: string): number {
  // 0x811c9dc5 is FNV's offset basis; 0xffff cannot occur in a cleaned key and separates the two.
  // 30 bits: a small integer to V8, so the mapper's lists of hashes allocate no number objects.
  return mix(fnvFolded(Math.imul(fnvExact(0x811c9dc5, key) ^ 0xffff, 0x01000193), valueText)) & 0x3fffffff;
}

/** The text a stored attribute value is compared as, or undefined when it is not hashed. */
function comparedText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  // JSON null: MySQL's JSON_UNQUOTE gives the text 'null' (the others NULL, which matches nothing).
  if (v === null) return "null";
  return undefined;
}

/** The pair hashes of an attributes object (as stored): one per hashed pair. */
export function attributeHashes(attributes: { readonly [key: string]: unknown }): number[] {
  const out: number[] = [];
  for (const key in attributes) {
    const text = comparedText(attributes[key]);
    if (text !== undefined) out.push(pairHash(key, text));
  }
  return out;
}

/**
 * The key under which the mapper, which has a span's attributes as an object,
 * leaves their pair hashes on the row, so that the writer need not parse the
 * JSON text again. A symbol: JSON (the dead-letter queue) leaves it out.
 */
export const ATTR_HASHES: unique symbol = Symbol("argus.attr_hashes");

/** The pair hashes of a span: the mapper's, else from its attributes text. */
export function hashesOfSpan(
  span: { readonly attributes: string; readonly [ATTR_HASHES]?: readonly number[] },
): readonly number[] {
  const known = span[ATTR_HASHES];
  if (known) return known;
  try {
    const parsed = JSON.parse(span.attributes);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? attributeHashes(parsed)
      : [];
  } catch {
    return [];
  }
}

/** The low and high 24 bits a pair sets, by (first bit × 16 + step index): made once. */
const PLACE_LO = new Int32Array(BITS_PER_COLUMN * STEPS.length);
const PLACE_HI = new Int32Array(BITS_PER_COLUMN * STEPS.length);
for (let first = 0; first < BITS_PER_COLUMN; first++) {
  for (let k = 0; k < STEPS.length; k++) {
    for (let i = 0; i < BITS_PER_PAIR; i++) {
      const bit = (first + i * STEPS[k]) % BITS_PER_COLUMN;
      if (bit < 24) PLACE_LO[first * STEPS.length + k] |= 1 << bit;
      else PLACE_HI[first * STEPS.length + k] |= 1 << (bit - 24);
    }
  }
}

/** Where a pair hash lands: the index of its bits in PLACE_LO / PLACE_HI (its column is `h & 7`). */
const placeOf = (h: number): number => ((h >>> 3) % BITS_PER_COLUMN) * STEPS.length + ((h >>> 9) & 15);

/** The halves of the columns being merged (reused: merging is synchronous). */
const scratchLo = new Int32Array(BLOOM_COLUMNS);
const scratchHi = new Int32Array(BLOOM_COLUMNS);

/** One column's value: 48 bits held as two 24-bit halves. */
const join48 = (hi: number, lo: number): number => (hi >>> 0) * TWO_24 + (lo >>> 0);

/**
 * The columns of a summary that had `before` (null: unknown; undefined: a new
 * trace) and now counts spans with these pair hashes: null stays null.
 */
export function mergeBloom(
  before: readonly number[] | null | undefined,
  hashes: readonly ArrayLike<number>[],
): number[] | null {
  if (before === null) return null;
  const lo = scratchLo;
  const hi = scratchHi;
  for (let c = 0; c < BLOOM_COLUMNS; c++) {
    lo[c] = before ? before[c] % TWO_24 : 0;
    hi[c] = before ? Math.floor(before[c] / TWO_24) : 0;
  }
  for (let j = 0; j < hashes.length; j++) {
    const list = hashes[j];
    for (let i = 0; i < list.length; i++) {
      const h = list[i];
      const at = placeOf(h);
      lo[h & (BLOOM_COLUMNS - 1)] |= PLACE_LO[at];
      hi[h & (BLOOM_COLUMNS - 1)] |= PLACE_HI[at];
    }
  }
  const out = new Array<number>(BLOOM_COLUMNS);
  for (let c = 0; c < BLOOM_COLUMNS; c++) out[c] = join48(hi[c], lo[c]);
  return out;
}

/** A summary row's columns as read: null unless all are integers. */
export function bloomOf(row: { readonly [column: string]: unknown }): number[] | null {
  const out: number[] = [];
  for (const name of BLOOM_COLUMN_NAMES) {
    const v = row[name];
    if (v === null || v === undefined) return null;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) return null;
    out.push(n);
  }
  return out;
}

/** Whether every bit of `mask` is set in `column` (both 48-bit values), as the search's `&` tests. */
export function bloomCovers(column: number, mask: number): boolean {
  const lo = mask % TWO_24;
  const hi = Math.floor(mask / TWO_24);
  return ((column % TWO_24) & lo) === lo && (Math.floor(column / TWO_24) & hi) === hi;
}

/**
 * The test a search may put on a summary for `key = value`: the column and the
 * mask that must all be set in it, also as its low and high 24 bits (SQL Server
 * types a literal beyond 32 bits as a decimal, which `&` refuses); undefined when the value is not one every
 * dialect compares as hashed (see the module notes).
 */
export function bloomTest(
  key: string,
  value: string,
): { column: string; mask: number; lo: number; hi: number } | undefined {
  if (!/^[\x20-\x7e]*$/.test(value) || /^[[{]/.test(value)) return undefined;
  // Trailing spaces as MySQL and SQL Server compare: "0.5 " matches a stored 0.5 there.
  const trimmed = value.replace(/ +$/, "");
  if (/^[-+0-9.eE]+$/.test(trimmed) && !/^(0|-?[1-9][0-9]{0,14})$/.test(trimmed)) return undefined;
  const h = pairHash(key, value);
  const at = placeOf(h);
  const [lo, hi] = [PLACE_LO[at], PLACE_HI[at]];
  return { column: BLOOM_COLUMN_NAMES[h & (BLOOM_COLUMNS - 1)], mask: join48(hi, lo), lo, hi };
}
