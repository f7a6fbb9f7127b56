/**
 * AI insights (SPEC §8): a bounded queue and a pool of workers that explain
 * logs with a chat model, fed after each commit by `Pipeline.onStored` with
 * the logs stored as `ai_status = 'pending'` (ERROR and FATAL while AI is on),
 * and by `POST /api/logs/{id}/insight` with any log.
 *
 * - **Never slows ingestion.** The stored-data callback only filters the
 *   pending logs into an intake and returns. Shapes are computed from the
 *   intake a slice per macrotask; database reads, model calls and result writes
 *   happen in the workers and one background writer.
 * - **Shapes.** Logs are keyed by tenant, service and body shape
 *   ({@link bodyShape}). A fresh cached insight of the key is reused (a cache
 *   hit, no call); a log whose key is already queued or being analysed joins
 *   that analysis (coalesced, no call). So 1,000 logs of 5 shapes arriving at
 *   once make at most 5 calls.
 * - **Full queue.** A new analysis that finds the queue full (or more than
 *   `maxWaitingLogs` logs already waiting) is dropped and counted, and its log
 *   is set to `skipped` — not left `pending`, which would show "Analysing…"
 *   forever and hide the UI's button to ask again. The log itself is stored as
 *   always.
 * - **Results** are written to `logs.ai_insight`/`ai_status` (`done` or
 *   `failed`, with an empty insight: the UI then says the analysis failed) by
 *   one ordered writer ({@link StateWriter}) that batches ids with the same
 *   outcome into one `UPDATE`, and
 *   are then handed to the result listeners (the `/ws` hub).
 *
 * @module
 */

import type { InitialAiState, StoredCallback } from "../ingest/pipeline.ts";
import { OverloadedError } from "../ingest/errors.ts";
import type { AiStatus, LogRow, SpanRow } from "../store/rows.ts";
import type { LogRecord, StoredLogRow } from "../store/repository.ts";
import type { TraceSummaryRow } from "../store/trace_summary.ts";
import { logger } from "../telemetry/log.ts";
import type { InsightModel } from "./model.ts";
import { buildPrompt, type PromptTrace } from "./prompt.ts";
import { DEFAULT_RETRY, type RetryPolicy, withRetries } from "./retry.ts";
import { bodyShape, LruCache } from "./shape.ts";
import { storedAtMs } from "../store/ids.ts";
import { type InsightListener, StateWriter } from "./state_writer.ts";

export type { InsightListener };

/** What the insights need of one tenant's repository (`Repository` has it). */
export interface InsightRepository {
  getLog(id: number): Promise<LogRecord | undefined>;
  getTrace(traceId: string): Promise<TraceSummaryRow | undefined>;
  getSpans(traceId: string): Promise<SpanRow[]>;
  setAiState(ids: readonly number[], status: AiStatus, insight?: string): Promise<number>;
}

/** Hands out repositories per tenant (`Store` does). */
export interface InsightStore {
  forTenant(tenant: string): InsightRepository;
}

/** Settings of {@link AiInsights}. */
export interface AiInsightsOptions {
  store: InsightStore;
  model: InsightModel;
  /** Concurrent model calls (`AI_WORKERS`). */
  workers: number;
  /** Analyses that may wait for a worker (`AI_QUEUE_SIZE`). */
  queueSize: number;
  retry?: Partial<RetryPolicy>;
  /** Shapes whose insight is remembered (default 1,000). */
  cacheSize?: number;
  /** How long a remembered insight is reused (default 1 h). */
  cacheTtlMs?: number;
  /** Logs that may wait on queued or running analyses, coalesced ones included (default 20,000). */
  maxWaitingLogs?: number;
  /**
   * How long after a log was stored its analysis may wait for the log's trace
   * (default 6 s). SDKs export a span when it ends, in batches up to 5 s apart,
   * so a log usually arrives before the spans of its trace.
   */
  traceGraceMs?: number;
}

/**
 * Counters for `/metrics` and `/api/health`; `queueDepth` and `dropped` are
 * the `AiQueueStats` of `src/telemetry/metrics.ts`.
 */
export interface AiStats {
  /** Analyses waiting for a worker, or for their log's trace to arrive. */
  queueDepth: number;
  /** Analyses running now. */
  inFlight: number;
  /** Analyses dropped because the queue (or the waiting-log bound) was full; their logs are `skipped`. */
  dropped: number;
  /** Logs given a remembered insight of the same shape, without a call. */
  cacheHits: number;
  /** Automatic analyses that found no remembered insight (then queued, coalesced or dropped). */
  cacheMisses: number;
  /** Logs that joined an analysis of the same shape already queued or running. */
  coalesced: number;
  /** Analyses sent to the model (retries not counted). */
  modelCalls: number;
  /** Retries after 429, 5xx or a refused connection. */
  modelRetries: number;
  /** Analyses that produced an insight. */
  succeeded: number;
  /** Analyses that failed (timeout, error answer, retries exhausted). */
  failed: number;
  /** AI-state writes the database refused; those logs keep their previous state. */
  writeFailures: number;
}

interface Job {
  tenant: string;
  key: string;
  /** The log whose body, attributes and trace go into the prompt. */
  log: StoredLogRow;
  /** Every log that gets this analysis' result, `log` included. */
  ids: number[];
  /** Set once the job has waited for its trace: it never waits twice. */
  waitedForTrace?: boolean;
}

const DEFAULT_CACHE_SIZE = 1000;
const DEFAULT_CACHE_TTL_MS = 3_600_000;
const DEFAULT_MAX_WAITING = 20_000;
const DEFAULT_TRACE_GRACE_MS = 6000;
/** Logs whose shape is computed per macrotask. */
const INTAKE_SLICE = 200;
/** How long shutdown waits for the last state writes. */
const CLOSE_WRITE_WAIT_MS = 5000;

/** Body characters kept for the shape and the prompt (each reads less than this). */
const KEPT_BODY_CHARS = 8192;
/** Attribute JSON kept for the prompt; a larger object is left out rather than held in memory. */
const KEPT_ATTRIBUTE_CHARS = 65_536;

const utf8 = { encoder: new TextEncoder(), decoder: new TextDecoder() };

/** A copy of the first `n` characters; a plain `slice` would keep the whole body alive in V8. */
const detachedPrefix = (text: string, n: number) =>
  utf8.decoder.decode(utf8.encoder.encode(text.slice(0, n)));

/** What a waiting log holds on to: no resource, a bounded body and attributes. */
function slim(log: StoredLogRow): StoredLogRow {
  return {
    ...log,
    body: log.body.length > KEPT_BODY_CHARS ? detachedPrefix(log.body, KEPT_BODY_CHARS) : log.body,
    attributes: log.attributes.length > KEPT_ATTRIBUTE_CHARS ? "{}" : log.attributes,
    resource_attributes: "{}",
  };
}

/** The lowest OTLP severity number analysed without being asked (ERROR). */
export const ERROR_SEVERITY = 17;

const shapeKey = (tenant: string, log: { service_name: string; body: string }) =>
  `${tenant}\u0000${log.service_name}\u0000${bodyShape(log.body)}`;

/** Short, content-free description of a failure for the server log. */
function reason(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}

/** The insight queue, workers, shape cache and result writer. */
export class AiInsights {
  readonly #store: InsightStore;
  readonly #model: InsightModel;
  readonly #workers: number;
  readonly #queueSize: number;
  readonly #retry: RetryPolicy;
  readonly #maxWaiting: number;
  readonly #traceGraceMs: number;
  /** Jobs waiting for their log's trace to arrive, with the timer that queues them again. */
  readonly #waitingForTrace = new Map<Job, ReturnType<typeof setTimeout>>();
  readonly #cache: LruCache<string>;
  readonly #queue: Job[] = [];
  /** Queued and running analyses by key, for coalescing. */
  readonly #byKey = new Map<string, Job>();
  /** `tenant\0id` of every log waiting on an analysis. */
  readonly #waiting = new Set<string>();
  readonly #writer: StateWriter;
  readonly #abort = new AbortController();
  #idle: (() => void)[] = [];
  #loops: Promise<void>[] = [];
  #intake: { tenant: string; log: StoredLogRow }[] = [];
  #intakeTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #stats: Omit<AiStats, "queueDepth" | "inFlight" | "writeFailures"> = {
    dropped: 0,
    cacheHits: 0,
    cacheMisses: 0,
    coalesced: 0,
    modelCalls: 0,
    modelRetries: 0,
    succeeded: 0,
    failed: 0,
  };
  #inFlight = 0;

  constructor(options: AiInsightsOptions) {
    this.#store = options.store;
    this.#writer = new StateWriter((tenant, ids, status, insight) =>
      this.#store.forTenant(tenant).setAiState(ids, status, insight)
    );
    this.#model = options.model;
    this.#workers = Math.max(1, options.workers);
    this.#queueSize = Math.max(1, options.queueSize);
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#maxWaiting = options.maxWaitingLogs ?? DEFAULT_MAX_WAITING;
    this.#traceGraceMs = options.traceGraceMs ?? DEFAULT_TRACE_GRACE_MS;
    this.#cache = new LruCache(
      options.cacheSize ?? DEFAULT_CACHE_SIZE,
      options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    );
    for (let i = 0; i < this.#workers; i++) this.#loops.push(this.#work());
  }

  /** Where the model calls go (for the start-up log). */
  get description(): string {
    return this.#model.description;
  }

  /** A snapshot of the counters. */
  get stats(): AiStats {
    return {
      ...this.#stats,
      queueDepth: this.#queue.length + this.#waitingForTrace.size,
      inFlight: this.#inFlight,
      writeFailures: this.#writer.failures,
    };
  }

  /** Adds a listener for written AI states (the `/ws` hub's `publishInsight`). */
  onResult(listener: InsightListener): void {
    this.#writer.onWritten(listener);
  }

  /**
   * The state a log is stored with (the pipeline's `aiState`): below ERROR
   * `none`; an ERROR log whose shape has a recent answer goes in `done` with it
   * (a cache hit that costs no UPDATE and reaches `/ws` with the log); any
   * other `pending`, for the queue.
   */
  initialState(tenant: string, log: LogRow): InitialAiState {
    if (log.severity_number < ERROR_SEVERITY) return { status: "none" };
    if (this.#closed) return { status: "pending" };
    const insight = this.#cache.get(shapeKey(tenant, log));
    if (insight === undefined) return { status: "pending" };
    this.#stats.cacheHits++;
    return { status: "done", insight };
  }

  /** Feeds the queue from the pipeline: every stored log whose `ai_status` is `pending`. */
  attach(pipeline: { onStored(cb: StoredCallback): void }): void {
    pipeline.onStored((tenant, result) => this.#onStored(tenant, result.logs));
  }

  /**
   * The commit path: only a filter and a push. Shapes are computed later, a
   * slice per macrotask, so acknowledgements and I/O interleave with them.
   */
  #onStored(tenant: string, logs: readonly StoredLogRow[]): void {
    if (this.#closed) return;
    let dropped: number[] | undefined;
    for (const log of logs) {
      if (log.ai_status !== "pending") continue;
      if (this.#intake.length + this.#waiting.size >= this.#maxWaiting) {
        this.#stats.dropped++;
        (dropped ??= []).push(log.id);
      } else {
        this.#intake.push({ tenant, log: slim(log) });
      }
    }
    if (dropped) this.#writer.write(tenant, dropped, "skipped", "");
    if (this.#intake.length > 0) this.#intakeTimer ??= setTimeout(() => this.#takeIntake(), 0);
  }

  #takeIntake(): void {
    this.#intakeTimer = undefined;
    const slice = this.#intake.splice(0, INTAKE_SLICE);
    // Hits and drops of a slice are grouped, so a burst costs a few UPDATEs, not one per log.
    const hits = new Map<string, { tenant: string; insight: string; ids: number[] }>();
    const dropped = new Map<string, number[]>();
    for (const { tenant, log } of slice) {
      const key = shapeKey(tenant, log);
      const cached = this.#cache.get(key);
      if (cached !== undefined) {
        this.#stats.cacheHits++;
        const group = `${tenant}\u0000${cached}`;
        const h = hits.get(group);
        if (h) h.ids.push(log.id);
        else hits.set(group, { tenant, insight: cached, ids: [log.id] });
        continue;
      }
      this.#stats.cacheMisses++;
      if (!this.#enqueue(tenant, key, log)) {
        const d = dropped.get(tenant);
        if (d) d.push(log.id);
        else dropped.set(tenant, [log.id]);
      }
    }
    for (const h of hits.values()) {
      this.#writer.write(h.tenant, h.ids, "done", h.insight);
    }
    for (const [tenant, ids] of dropped) this.#writer.write(tenant, ids, "skipped", "");
    if (this.#intake.length > 0) this.#intakeTimer ??= setTimeout(() => this.#takeIntake(), 0);
  }

  /** Joins or queues an analysis; false when it was dropped (counted). */
  #enqueue(tenant: string, key: string, log: StoredLogRow): boolean {
    const logKey = `${tenant}\u0000${log.id}`;
    if (this.#waiting.has(logKey)) return true;
    if (this.#waiting.size >= this.#maxWaiting) {
      this.#stats.dropped++;
      return false;
    }
    const running = this.#byKey.get(key);
    if (running) {
      this.#stats.coalesced++;
      running.ids.push(log.id);
    } else {
      if (this.#queue.length >= this.#queueSize) {
        this.#stats.dropped++;
        return false;
      }
      const job: Job = { tenant, key, log, ids: [log.id] };
      this.#byKey.set(key, job);
      this.#queue.push(job);
      this.#idle.shift()?.();
    }
    this.#waiting.add(logKey);
    return true;
  }

  /**
   * Analyses one log of any severity now (`POST /api/logs/{id}/insight`),
   * bypassing the shape cache. Resolves to the log's new state: `pending`, or
   * the log's current one when it no longer exists.
   *
   * @throws {OverloadedError} when the queue is full (503 with `Retry-After`).
   */
  async request(tenant: string, id: number): Promise<AiStatus> {
    if (this.#closed) throw new OverloadedError("AI analysis is shutting down; retry later", 5);
    if (this.#waiting.has(`${tenant}\u0000${id}`)) return "pending";
    const log = await this.#store.forTenant(tenant).getLog(id);
    if (!log) return "none";
    const key = shapeKey(tenant, log);
    if (!this.#byKey.has(key) && this.#queue.length >= this.#queueSize) {
      throw new OverloadedError(
        `The AI queue is full (${this.#queue.length} analyses waiting); retry later`,
        5,
      );
    }
    // Written before the analysis is queued, through the same ordered writer as its result,
    // so a quick result can never be overwritten by this 'pending'.
    await this.#writer.writeNow(tenant, id, "pending", undefined);
    if (!this.#enqueue(tenant, key, slim({ ...log, ai_status: "pending" }))) {
      this.#writer.write(tenant, [id], "skipped", undefined);
      throw new OverloadedError("The AI queue is full; retry later", 5);
    }
    return "pending";
  }

  async #work(): Promise<void> {
    while (!this.#closed) {
      const job = this.#queue.shift();
      if (!job) {
        await new Promise<void>((resolve) => this.#idle.push(resolve));
        continue;
      }
      this.#inFlight++;
      try {
        await this.#analyse(job);
      } catch (err) {
        logger.error("AI worker failed", { error: err });
      } finally {
        this.#inFlight--;
      }
    }
  }

  async #analyse(job: Job): Promise<void> {
    const signal = this.#abort.signal;
    let status: AiStatus;
    let insight = "";
    try {
      const trace = await this.#trace(job);
      if (trace === undefined && this.#waitForTrace(job)) return;
      const messages = buildPrompt(job.log, trace);
      this.#stats.modelCalls++;
      insight = await withRetries(() => this.#model.complete(messages, signal), this.#retry, {
        signal,
        onRetry: () => this.#stats.modelRetries++,
      });
      status = "done";
      this.#stats.succeeded++;
      this.#cache.set(job.key, insight);
    } catch (err) {
      if (this.#closed) {
        status = "skipped";
      } else {
        status = "failed";
        this.#stats.failed++;
        // The reason only: the log's content stays out of the server log.
        logger.warn("AI analysis failed", { service: job.log.service_name, reason: reason(err) });
      }
    }
    // Out of the coalescing map before the result is recorded: later logs of this shape hit the cache.
    this.#byKey.delete(job.key);
    for (const id of job.ids) this.#waiting.delete(`${job.tenant}\u0000${id}`);
    this.#writer.write(job.tenant, job.ids, status, insight);
  }

  /**
   * Puts a job whose log names a trace not stored yet aside until the grace
   * after the log was stored has passed, without holding a worker; then it is
   * queued again and analysed with whatever has arrived. False (analyse now)
   * for a log without a trace id, a job that waited already, or an old log.
   */
  #waitForTrace(job: Job): boolean {
    if (!job.log.trace_id || job.waitedForTrace || this.#closed) return false;
    const delay = storedAtMs(job.log.id) + this.#traceGraceMs - Date.now();
    if (delay <= 0) return false;
    job.waitedForTrace = true;
    this.#waitingForTrace.set(
      job,
      setTimeout(() => {
        this.#waitingForTrace.delete(job);
        this.#queue.push(job);
        this.#idle.shift()?.();
      }, delay),
    );
    return true;
  }

  async #trace(job: Job): Promise<PromptTrace | undefined> {
    const traceId = job.log.trace_id;
    if (!traceId) return undefined;
    try {
      const repo = this.#store.forTenant(job.tenant);
      const [summary, spans] = await Promise.all([repo.getTrace(traceId), repo.getSpans(traceId)]);
      return spans.length > 0 ? { summary, spans } : undefined;
    } catch (err) {
      // The log alone still deserves an answer.
      logger.warn("cannot read the trace of a log for its AI analysis", { reason: reason(err) });
      return undefined;
    }
  }

  /**
   * Stops: running calls are aborted, and every log still waiting — queued or
   * running — is set to `skipped` (it can be analysed on request after a
   * restart), waiting up to 5 s for those writes. Call after the pipeline has
   * closed and before the database does.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#intakeTimer);
    const intake = this.#intake.splice(0);
    for (const { tenant, log } of intake) {
      this.#writer.write(tenant, [log.id], "skipped", "");
    }
    this.#abort.abort(new Error("Argus is shutting down"));
    for (const wake of this.#idle.splice(0)) wake();
    await Promise.all(this.#loops);
    for (const timer of this.#waitingForTrace.values()) clearTimeout(timer);
    const aside = [...this.#waitingForTrace.keys()];
    this.#waitingForTrace.clear();
    for (const job of [...this.#queue.splice(0), ...aside]) {
      this.#byKey.delete(job.key);
      for (const id of job.ids) this.#waiting.delete(`${job.tenant}\u0000${id}`);
      this.#writer.write(job.tenant, job.ids, "skipped", "");
    }
    await this.#writer.idle(CLOSE_WRITE_WAIT_MS);
  }
}
