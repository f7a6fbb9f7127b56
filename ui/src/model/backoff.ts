/**
 * Reconnect delays for WebSockets: exponential back-off with jitter, so a
 * restarted server is not hit by every browser at the same instant.
 *
 * @module
 */

/** Back-off settings. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

/** 0.5 s doubling up to 30 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay before reconnect attempt `attempt` (0 for the first): `base·2^attempt`
 * capped at `max`, then scaled into its upper half by `random` (0..1) so that
 * the delay never drops below half of the exponential value.
 */
export function backoffDelay(attempt: number, options = DEFAULT_BACKOFF, random = Math.random): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(exp / 2 + (exp / 2) * random());
}
