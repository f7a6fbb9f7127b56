/**
 * Small statistics helpers of the benchmark.
 *
 * @module
 */

/** The `p` quantile (0..1) of ascending `sorted` (nearest rank); 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** A number with thousands separators and no decimals. */
export const thousands = (n: number): string => Math.round(n).toLocaleString("en-US");
