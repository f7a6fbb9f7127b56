/**
 * Small pieces the read queries share: LIKE escaping, IN lists, paging and
 * percentiles computed the same way on every dialect.
 *
 * @module
 */

import { type Fragment, join, raw, spell, sql } from "../db/sql.ts";

/** Escapes LIKE wildcards with `!` (every dialect's pattern uses `ESCAPE '!'`). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_\[]/g, (c) => `!${c}`);
}

/** `value, value, …` for an IN list. */
export function inList(values: readonly unknown[]): Fragment {
  return join(values.map((v) => sql`${v}`));
}

/** The dialect's paging clause with both numbers bound. */
export function paging(limit: number, offset: number): Fragment {
  return spell((s, emit) => s.paging(emit(sql`${limit}`), emit(sql`${offset}`)));
}

/** A case-insensitive substring match of `column` (a constant expression) against `text`. */
export function containsInsensitive(column: string, text: string): Fragment {
  return spell((s, emit) => s.likeInsensitive(column, emit(sql`${`%${escapeLike(text)}%`}`)));
}

/** The text of attribute `key` of a JSON column expression. */
export function jsonAttribute(column: string, key: string): Fragment {
  const path = `$."${key.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return spell((s, emit) => s.jsonText(column, () => emit(sql`${path}`)));
}

/**
 * The trace (alias `t`) involves any of `services`: its `services` JSON array names one.
 * The quoted JSON form makes `order` not match `order-archive`.
 */
export function traceHasAnyService(services: readonly string[]): Fragment {
  return join(
    services.map((s) => sql`t.services LIKE ${`%${escapeLike(JSON.stringify(s))}%`} ESCAPE '!'`),
    " OR ",
  );
}

/** Microseconds as milliseconds, microsecond precision kept (3 decimals). */
export const usToMs = (us: number): number => Math.round(us) / 1000;

/** Integer division of two constant expressions. */
export function intDiv(a: string, b: string): Fragment {
  return spell((s) => s.intDiv(a, b));
}

/** The percentiles every latency figure reports. */
export const PERCENTILES = [50, 95, 99] as const;

/**
 * The WHERE condition keeping the rows a percentile needs: for each p, the
 * 1-based ranks floor(p·(n−1)/100)+1 and +2 of a group of n sorted values.
 * `rn` and `cnt` are the row-number and group-count column names.
 */
export function percentileRanks(rn: string, cnt: string): Fragment {
  return join(
    PERCENTILES.flatMap((p) =>
      [1, 2].map((k) => sql`${raw(rn)} = ${intDiv(`((${cnt} - 1) * ${p})`, "100")} + ${k}`)
    ),
    " OR ",
  );
}

/**
 * Linear interpolation between closest ranks (PostgreSQL's percentile_cont),
 * from the values at the ranks {@link percentileRanks} kept.
 */
export function interpolate(values: ReadonlyMap<number, number>, n: number, p: number): number {
  if (n === 0) return 0;
  const k = ((n - 1) * p) / 100;
  const lo = Math.floor(k);
  const a = values.get(lo + 1) ?? 0;
  const b = values.get(lo + 2) ?? a;
  return a + (k - lo) * (b - a);
}
