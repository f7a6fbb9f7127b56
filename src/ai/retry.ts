/**
 * When to try a model call again. Rate limits (429) and server errors (408,
 * 409, 5xx) and refused or reset connections are retried with jittered
 * exponential back-off, or after the server's `Retry-After` (`retry-after-ms`,
 * seconds or an HTTP date). A call that ran into `AI_TIMEOUT` is not: a model
 * too slow once is likely too slow again, and a retry would hold the worker
 * for another full timeout. Client errors (400, 401, 404) are not either.
 *
 * @module
 */

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";

/** Retry settings. */
export interface RetryPolicy {
  /** Calls in total, the first included. */
  maxAttempts: number;
  /** Back-off before the first retry; doubles for each next one. */
  baseDelayMs: number;
  /** Longest back-off of our own. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a server asking for more fails the analysis instead. */
  maxRetryAfterMs: number;
}

/** Three attempts, 0.5 s then 1 s (jittered), `Retry-After` up to 30 s. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
});

/** Milliseconds a `Retry-After`/`retry-after-ms` header asks for, or undefined. */
export function retryAfterMs(headers: Headers | undefined, nowMs = Date.now()): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers?.get("retry-after")?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The wait before retrying after `err` on attempt `attempt` (1-based), or
 * undefined when it should not be retried.
 */
export function retryDelayMs(
  err: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  if (err instanceof APIUserAbortError || err instanceof APIConnectionTimeoutError) return undefined;
  const backoff = () =>
    Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs) * (1 - random() / 4);
  if (err instanceof APIConnectionError) return backoff();
  if (!(err instanceof APIError) || err.status === undefined) return undefined;
  const s = err.status;
  if (s !== 408 && s !== 409 && s !== 429 && s < 500) return undefined;
  const asked = retryAfterMs(err.headers);
  if (asked === undefined) return backoff();
  return asked <= policy.maxRetryAfterMs ? asked : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `call` until it succeeds, an error is not retryable or the attempts
 * run out (then the last error is thrown). `onRetry` hears each retry.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; onRetry?: (err: unknown, delayMs: number) => void } = {},
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await call();
    } catch (err) {
      const delay = options.signal?.aborted ? undefined : retryDelayMs(err, attempt, policy);
      if (delay === undefined) throw err;
      options.onRetry?.(err, delay);
      await sleep(delay, options.signal);
    }
  }
}
