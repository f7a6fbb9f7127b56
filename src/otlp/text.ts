/**
 * Text hygiene for anything that ends up in a database column.
 *
 * @module
 */

/**
 * Makes a string storable on every supported database: PostgreSQL rejects NUL in
 * `text` and `\u0000` in JSON, and lone UTF-16 surrogates cannot be encoded as UTF-8 by
 * any driver. NUL characters are removed and lone surrogates become U+FFFD; valid
 * surrogate pairs (emoji and other astral characters) are kept.
 *
 * The common case (nothing to fix) returns the same string without allocating.
 */
export function cleanText(s: string): string {
  if (s.length === 0) return s;
  if (s.isWellFormed() && !s.includes("\0")) return s;
  return s.replaceAll("\0", "").toWellFormed();
}
