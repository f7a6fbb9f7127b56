/**
 * Makes text storable the same way on every database: PostgreSQL rejects NUL,
 * MySQL and SQL Server reject unpaired surrogates, and every column has a size.
 *
 * @module
 */

/**
 * Removes NUL characters, replaces unpaired surrogates with U+FFFD and cuts the
 * text to `max` UTF-16 code units without splitting a surrogate pair.
 */
export function storable(text: string, max: number): string {
  let s = text.includes("\u0000") ? text.replaceAll("\u0000", "") : text;
  if (s.length > max) {
    s = s.slice(0, max);
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
  }
  return s.isWellFormed() ? s : s.toWellFormed();
}

/** Column size limits, in UTF-16 code units, shared by all dialects' schemas. */
export const LIMITS = {
  serviceName: 255,
  name: 1024,
  /** TEXT columns (MySQL TEXT holds 65,535 bytes: 3 bytes per code unit at worst). */
  shortText: 16_384,
  /** Log bodies, as Loki's default line limit. */
  body: 262_144,
  /** A JSON column larger than this is replaced by a marker object. */
  json: 4_194_304,
  severity: 32,
} as const;

/** Keeps a JSON column within {@link LIMITS.json}; an oversized one becomes `{"argus.truncated_bytes": n}`. */
export function storableJson(json: string, empty: "{}" | "[]"): string {
  if (json === "") return empty;
  if (json.length <= LIMITS.json) return json;
  return empty === "{}" ? JSON.stringify({ "argus.truncated_bytes": json.length }) : "[]";
}
