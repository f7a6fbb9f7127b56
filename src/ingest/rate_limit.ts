/**
 * Per-tenant ingest rate limit: a token bucket of `burst` items refilled at
 * `rate` items per second. A request larger than the whole bucket is allowed
 * when the bucket is full, so a big batch is never refused forever; it leaves
 * the bucket in debt, which keeps the long-run rate at `rate`.
 *
 * @module
 */

/** Too many items for a tenant right now: 429 / RESOURCE_EXHAUSTED with a retry delay. */
export class RateLimitedError extends Error {
  readonly code = "rate_limited";
  readonly retryAfterS: number;
  constructor(tenant: string, retryAfterS: number) {
    super(`Tenant ${tenant} is over its ingest rate; retry in ${retryAfterS} s`);
    this.name = "RateLimitedError";
    this.retryAfterS = retryAfterS;
  }
}

/** Token buckets keyed by tenant. */
export class TenantRateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(ratePerS: number, burst: number, now: () => number = () => performance.now()) {
    this.#rate = ratePerS;
    this.#burst = Math.max(burst, 1);
    this.#now = now;
  }

  /** True when limiting is on. */
  get enabled(): boolean {
    return this.#rate > 0;
  }

  /** Takes `items` from the tenant's bucket or throws {@link RateLimitedError}. */
  take(tenant: string, items: number): void {
    if (this.#rate <= 0 || items <= 0) return;
    const now = this.#now();
    let b = this.#buckets.get(tenant);
    if (!b) {
      if (this.#buckets.size > 100_000) this.#buckets.clear();
      b = { tokens: this.#burst, at: now };
      this.#buckets.set(tenant, b);
    }
    b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#rate);
    b.at = now;
    const need = Math.min(items, this.#burst);
    if (b.tokens < need) {
      throw new RateLimitedError(tenant, Math.max(1, Math.ceil((need - b.tokens) / this.#rate)));
    }
    b.tokens -= items;
  }
}
