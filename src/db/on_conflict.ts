/**
 * `INSERT … ON CONFLICT … DO UPDATE`, the keyed writes SQLite and PostgreSQL
 * spell alike.
 *
 * @module
 */

import type { Spelling } from "./contract.ts";

/**
 * A keyed multi-row insert whose conflicting rows set each of `updated` (by default every
 * other column) to `value(column)`; `target` is the table, with an alias when `value` names the
 * stored row.
 */
function onConflict(
  target: string,
  columns: readonly string[],
  keys: readonly string[],
  rows: string,
  value: (column: string) => string,
  updated: readonly string[] = columns.filter((c) => !keys.includes(c)),
): string {
  const set = updated.map((c) => `${c} = ${value(c)}`).join(", ");
  return `INSERT INTO ${target} (${columns.join(", ")}) VALUES ${rows} ON CONFLICT (${
    keys.join(", ")
  }) DO UPDATE SET ${set}`;
}

/** {@link Spelling.upsert}, {@link Spelling.accumulate} and {@link Spelling.raise} with `ON CONFLICT`. */
export const onConflictWrites: Pick<Spelling, "upsert" | "accumulate" | "raise"> = {
  upsert: (table, columns, keys, rows) => onConflict(table, columns, keys, rows, (c) => `excluded.${c}`),
  // `r` is the stored row, `excluded` the one offered.
  accumulate: (table, columns, keys, rows) =>
    onConflict(`${table} AS r`, columns, keys, rows, (c) => `r.${c} + excluded.${c}`),
  raise: (table, columns, keys, raised, rows) =>
    onConflict(
      `${table} AS r`,
      columns,
      keys,
      rows,
      (c) => `CASE WHEN excluded.${c} > r.${c} THEN excluded.${c} ELSE r.${c} END`,
      raised,
    ),
};
