/**
 * How SQL Server spells the dialect-dependent pieces.
 *
 * @module
 */

import type { Capabilities, Spelling } from "../contract.ts";

/**
 * `MERGE` keyed on `keys` from `using` (a source aliased `s`, with `columns`); a matched row's
 * `updated` columns (by default all others) take `value(column)`.
 */
function merge(
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  using: string,
  value: (column: string) => string,
  updated: readonly string[] = columns.filter((c) => !keys.includes(c)),
): string {
  const cols = columns.join(", ");
  const on = keys.map((k) => `t.${k} = s.${k}`).join(" AND ");
  const set = updated.map((c) => `t.${c} = ${value(c)}`).join(", ");
  // HOLDLOCK makes MERGE's match-then-insert atomic against a concurrent writer.
  return `MERGE INTO ${table} WITH (HOLDLOCK) AS t USING ${using} ON ${on} ` +
    `WHEN MATCHED THEN UPDATE SET ${set} ` +
    `WHEN NOT MATCHED THEN INSERT (${cols}) VALUES (${columns.map((c) => `s.${c}`).join(", ")});`;
}

/** A MERGE source of `rows` with one row per key, the other columns folded by `fold` (`SUM`, `MAX`). */
function folded(columns: readonly string[], keys: readonly string[], rows: string, fold: string): string {
  const folds = columns.filter((c) => !keys.includes(c)).map((c) => `${fold}(${c}) AS ${c}`);
  return `(SELECT ${[...keys, ...folds].join(", ")} FROM (VALUES ${rows}) AS v (${
    columns.join(", ")
  }) GROUP BY ${keys.join(", ")}) AS s`;
}

/** SQL Server spelling: `@pN` placeholders, `MERGE`, `OFFSET … FETCH`, `JSON_VALUE`. */
export const sqlserverSpelling: Spelling = {
  placeholder: (i) => `@p${i}`,
  quote: (name) => `[${name}]`,
  upsert: (table, columns, keys, rows) =>
    merge(table, columns, keys, `(VALUES ${rows}) AS s (${columns.join(", ")})`, (c) => `s.${c}`),
  // Keys that differ in JavaScript may be equal here (trailing spaces, a case-insensitive collation):
  // the source folds them first, or MERGE would insert or update one row twice and fail.
  accumulate: (table, columns, keys, rows) =>
    merge(table, columns, keys, folded(columns, keys, rows, "SUM"), (c) => `t.${c} + s.${c}`),
  raise: (table, columns, keys, raised, rows) =>
    merge(
      table,
      columns,
      keys,
      folded(columns, keys, rows, "MAX"),
      (c) => `CASE WHEN s.${c} > t.${c} THEN s.${c} ELSE t.${c} END`,
      raised,
    ),
  probe: (subquery) => subquery,
  paging: (limit, offset) => `OFFSET ${offset} ROWS FETCH NEXT ${limit} ROWS ONLY`,
  jsonText: (column, path) => `JSON_VALUE(${column}, ${path()})`,
  intDiv: (a, b) => `((${a}) / (${b}))`,
  // The columns use a case-insensitive collation already.
  likeInsensitive: (column, pattern) => `${column} LIKE ${pattern} ESCAPE '!'`,
  foldsText: true,
  migrationsTable:
    "IF OBJECT_ID(N'argus_migrations', N'U') IS NULL CREATE TABLE argus_migrations (version INT PRIMARY KEY, name NVARCHAR(255) NOT NULL, applied_us BIGINT NOT NULL)",
  boundedDelete: (table, where, limit) => `DELETE TOP (${limit}) FROM ${table()} WHERE ${where}`,
  // Space comes back through index maintenance plans, not one statement (see Capabilities.vacuum).
  vacuum: () => [],
};

/** What SQL Server can do. */
export const sqlserverCapabilities: Capabilities = {
  // The protocol allows 2,100 parameters per request.
  maxParams: 2000,
  preferRowAtATime: false,
  // PERCENTILE_CONT exists only as a window function there.
  percentileAggregate: false,
  vacuum: false,
};
