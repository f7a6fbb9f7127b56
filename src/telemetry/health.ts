/**
 * HealthStats of SPEC §6, served at `GET /api/health` and pushed on
 * `/ws/health`. The figures come from small in-memory windows fed as things
 * happen (stored items per second, recent database timings) and from providers
 * read when asked (DLQ files, WebSocket clients, the AI queue), plus one cheap
 * database round trip that decides `db.ok`.
 *
 * @module
 */

import type { DialectName } from "../db/contract.ts";
import type { AiQueueStats } from "./metrics.ts";

/** What `/api/health` answers and `/ws/health` pushes. */
export interface HealthStats {
  /** `ok`, or `degraded` when the database does not answer (ingestion then goes to the DLQ). */
  status: "ok" | "degraded";
  version: string;
  uptime_s: number;
  /** Items (spans + logs) stored per second over the last minute (over the uptime in the first minute). */
  ingestion_rate: number;
  /** Files waiting in the dead-letter queue. */
  dlq_size: number;
  /** Open WebSocket clients. */
  active_connections: number;
  /** 99th percentile of the database calls of the last minute, in milliseconds (0 when there were none). */
  db_latency_p99_ms: number;
  db: { driver: DialectName; ok: boolean };
  ai: { enabled: boolean; queue_depth: number; dropped: number };
}

/** Counts per second in a ring of `seconds` slots; old slots are reused, so memory stays fixed. */
export class RateWindow {
  readonly #seconds: number;
  readonly #counts: Float64Array;
  readonly #stamps: Float64Array;
  readonly #sinceMs: number;

  constructor(seconds = 60, nowMs = Date.now()) {
    this.#seconds = seconds;
    this.#counts = new Float64Array(seconds);
    this.#stamps = new Float64Array(seconds).fill(-1);
    this.#sinceMs = nowMs;
  }

  /** Adds `n` to the current second. */
  add(n: number, nowMs = Date.now()): void {
    const sec = Math.floor(nowMs / 1000);
    const i = sec % this.#seconds;
    if (this.#stamps[i] !== sec) {
      this.#stamps[i] = sec;
      this.#counts[i] = 0;
    }
    this.#counts[i] += n;
  }

  /** The mean per second over the window, or over the time since creation while that is shorter. */
  perSecond(nowMs = Date.now()): number {
    const sec = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.#seconds; i++) {
      const s = this.#stamps[i];
      if (s > sec - this.#seconds && s <= sec) sum += this.#counts[i];
    }
    const span = Math.min(this.#seconds, Math.max(1, (nowMs - this.#sinceMs) / 1000));
    return sum / span;
  }
}

/** The latest timings (at most `capacity`, at most `windowMs` old) for a percentile. */
export class LatencyWindow {
  readonly #times: Float64Array;
  readonly #values: Float64Array;
  readonly #windowMs: number;
  #next = 0;
  #size = 0;

  constructor(capacity = 2048, windowMs = 60_000) {
    this.#times = new Float64Array(capacity);
    this.#values = new Float64Array(capacity);
    this.#windowMs = windowMs;
  }

  /** Records one timing in seconds. */
  add(seconds: number, nowMs = Date.now()): void {
    this.#times[this.#next] = nowMs;
    this.#values[this.#next] = seconds;
    this.#next = (this.#next + 1) % this.#times.length;
    this.#size = Math.min(this.#size + 1, this.#times.length);
  }

  /** The `p`-th percentile (nearest rank) of the recent timings, in milliseconds; 0 when there are none. */
  percentileMs(p: number, nowMs = Date.now()): number {
    const recent: number[] = [];
    for (let i = 0; i < this.#size; i++) {
      if (this.#times[i] >= nowMs - this.#windowMs) recent.push(this.#values[i]);
    }
    if (recent.length === 0) return 0;
    recent.sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * recent.length));
    return recent[rank - 1] * 1000;
  }
}

/** Where {@link createHealth} reads its figures. */
export interface HealthSources {
  version: string;
  driver: DialectName;
  /** `Date.now()` at start-up. */
  startedAtMs: number;
  /** A trivial database round trip (`SELECT 1`); a rejection or a timeout makes `db.ok` false. */
  ping: () => Promise<unknown>;
  /** How long the ping may take before the database counts as down. Default 2 s. */
  pingTimeoutMs?: number;
  /** Files in the dead-letter queue. */
  dlqFiles: () => Promise<number>;
  /** Stored items, fed from `Pipeline.onStored`. */
  ingestion: RateWindow;
  /** Database timings, fed by the instrumented driver. */
  dbLatency: LatencyWindow;
  /** Open WebSocket clients (the live hubs, through `Metrics.activeConnections`). Default 0. */
  activeConnections?: () => number;
  /** Whether AI analysis is configured on. */
  aiEnabled: boolean;
  /** The AI queue; absent while AI is off, and then both figures read 0. */
  ai?: () => AiQueueStats;
}

/** A source of {@link HealthStats}. */
export interface Health {
  /** The current figures; calls made while one is under way share it. Never rejects. */
  stats(): Promise<HealthStats>;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

async function pingWithin(ping: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      ping().then(() => true, () => false),
      new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), timeoutMs)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds the health source that `GET /api/health` answers from and that the
 * `/ws/health` hub pushes every 2 s:
 *
 * ```ts
 * const health = createHealth({ version, driver, startedAtMs, ping, dlqFiles, ingestion, dbLatency, aiEnabled });
 * const stats: HealthStats = await health.stats();
 * ```
 */
export function createHealth(sources: HealthSources): Health {
  let inflight: Promise<HealthStats> | undefined;

  const compute = async (): Promise<HealthStats> => {
    const [ok, dlq] = await Promise.all([
      pingWithin(sources.ping, sources.pingTimeoutMs ?? 2000),
      sources.dlqFiles().then((files) => ({ files, ok: true }), () => ({ files: 0, ok: false })),
    ]);
    let connections = 0;
    let ai: AiQueueStats = { queueDepth: 0, dropped: 0 };
    try {
      connections = sources.activeConnections?.() ?? 0;
      ai = sources.ai?.() ?? ai;
    } catch { /* a broken provider reads as zero */ }
    const now = Date.now();
    return {
      status: ok && dlq.ok ? "ok" : "degraded",
      version: sources.version,
      uptime_s: Math.max(0, Math.floor((now - sources.startedAtMs) / 1000)),
      ingestion_rate: round(sources.ingestion.perSecond(now), 3),
      dlq_size: dlq.files,
      active_connections: connections,
      db_latency_p99_ms: round(sources.dbLatency.percentileMs(99, now), 3),
      db: { driver: sources.driver, ok },
      ai: { enabled: sources.aiEnabled, queue_depth: ai.queueDepth, dropped: ai.dropped },
    };
  };

  return {
    stats() {
      inflight ??= compute().finally(() => inflight = undefined);
      return inflight;
    },
  };
}
