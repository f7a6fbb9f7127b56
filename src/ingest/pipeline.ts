/**
 * The ingest pipeline after decoding: a bounded queue in front of one writer
 * per database. Receivers `submit` rows and wait; the writer takes everything
 * queued (group commit: the busier it is, the larger each transaction), writes
 * it tenant by tenant in one transaction each and only then resolves the
 * submitters. A failed transaction goes to the dead-letter queue, and the
 * submitters are acknowledged once that file is durable; if the DLQ cannot be
 * written either, they get {@link StorageUnavailableError} and nothing is
 * acknowledged. After a commit, callbacks fan the stored rows out (live hubs,
 * AI queue, metrics) without the writer waiting on them.
 *
 * @module
 */

import type { AiStatus, LogRow, SpanRow } from "../store/rows.ts";
import type { StoredLogRow, WriteResult } from "../store/repository.ts";
import type { Store } from "../store/store.ts";
import { IdGenerator } from "../store/ids.ts";
import { DbError } from "../db/errors.ts";
import { type DeadLetterQueue, type DlqBatch, type ReplayResult } from "./dlq.ts";
import { OverloadedError, ShuttingDownError, StorageUnavailableError } from "./errors.ts";
import { logger } from "../telemetry/log.ts";

/** The AI fields a log is inserted with. */
export interface InitialAiState {
  status: AiStatus;
  insight?: string;
}

/** Called after a commit with what was stored. Must be quick and must not throw. */
export type StoredCallback = (tenant: string, result: WriteResult) => void;

/** Pipeline settings. */
export interface PipelineOptions {
  /** Items (spans + logs) that may wait for the writer before exports are refused. */
  maxQueuedItems?: number;
  /** Items per transaction at most. */
  maxBatchItems?: number;
  /**
   * The starting AI state of a log: `pending` for analysis, or `done` with the
   * insight when a recent answer for its shape is at hand (no UPDATE later).
   */
  aiState?: (tenant: string, log: LogRow) => InitialAiState;
  /** How long to send batches straight to the DLQ after the database was found unavailable. */
  dbRetryMs?: number;
  /**
   * A transaction not settled after this long counts as failed and its batch goes
   * to the DLQ, so a hung connection cannot stall the writer. Safe even if it
   * commits later: replay skips rows already stored. The time counts from when the
   * batch leaves the queue, so it includes the commit of at most one batch ahead of it.
   */
  writeTimeoutMs?: number;
}

interface Job {
  kind: "ingest" | "replay";
  tenant: string;
  spans: SpanRow[];
  logs: StoredLogRow[];
  items: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Counters the metrics and health endpoints read. */
export interface PipelineStats {
  queuedItems: number;
  storedSpans: number;
  storedLogs: number;
  duplicateSpans: number;
  duplicateLogs: number;
  dlqBatches: number;
  dlqFailures: number;
  refusedOverload: number;
  transactions: number;
  failedTransactions: number;
  dbAvailable: boolean;
}

const isUnavailable = (err: unknown) => err instanceof DbError && err.code === "unavailable";

/** Queue, writer and DLQ fallback. */
export class Pipeline {
  readonly #store: Store;
  readonly #dlq: DeadLetterQueue;
  readonly #maxQueued: number;
  readonly #maxBatch: number;
  readonly #aiState: (tenant: string, log: LogRow) => InitialAiState;
  readonly #dbRetryMs: number;
  readonly #writeTimeoutMs: number;
  readonly #ids = new IdGenerator();
  readonly #callbacks: StoredCallback[] = [];
  #pending: Job[] = [];
  #running: Promise<void> | undefined;
  /** Set while the writer loop waits for work beside a commit: called when a job arrives. */
  #wake: (() => void) | undefined;
  #closing = false;
  #dbDownUntil = 0;
  #dbWasDown = false;
  /** A write that timed out and is still running (it may yet commit). */
  #abandoned: Promise<void> | undefined;
  readonly stats: PipelineStats = {
    queuedItems: 0,
    storedSpans: 0,
    storedLogs: 0,
    duplicateSpans: 0,
    duplicateLogs: 0,
    dlqBatches: 0,
    dlqFailures: 0,
    refusedOverload: 0,
    transactions: 0,
    failedTransactions: 0,
    dbAvailable: true,
  };

  constructor(store: Store, dlq: DeadLetterQueue, options: PipelineOptions = {}) {
    this.#store = store;
    this.#dlq = dlq;
    this.#maxQueued = options.maxQueuedItems ?? 200_000;
    this.#maxBatch = options.maxBatchItems ?? 20_000;
    this.#aiState = options.aiState ?? (() => ({ status: "none" }));
    this.#dbRetryMs = options.dbRetryMs ?? 2000;
    this.#writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  }

  /** Registers a callback run after each commit. */
  onStored(cb: StoredCallback): void {
    this.#callbacks.push(cb);
  }

  /**
   * Queues rows of one tenant and resolves once they are in the database or
   * durably in the DLQ. Log ids are assigned here.
   *
   * @throws {OverloadedError} when the queue is full (nothing was taken).
   * @throws {StorageUnavailableError} when neither database nor DLQ took the rows.
   */
  submit(tenant: string, spans: SpanRow[], logs: LogRow[]): Promise<void> {
    if (this.#closing) return Promise.reject(new ShuttingDownError());
    const items = spans.length + logs.length;
    if (items === 0) return Promise.resolve();
    // One request larger than the whole queue is still taken when the queue is empty.
    if (this.stats.queuedItems > 0 && this.stats.queuedItems + items > this.#maxQueued) {
      this.stats.refusedOverload++;
      return Promise.reject(
        new OverloadedError(`Ingest queue is full (${this.stats.queuedItems} items waiting); retry later`),
      );
    }
    const stored = logs.map((l): StoredLogRow => {
      const ai = this.#aiState(tenant, l);
      return { ...l, id: this.#ids.next(), ai_status: ai.status, ai_insight: ai.insight ?? "" };
    });
    return this.#enqueue("ingest", tenant, spans, stored);
  }

  #enqueue(kind: Job["kind"], tenant: string, spans: SpanRow[], logs: StoredLogRow[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const items = spans.length + logs.length;
      this.#pending.push({ kind, tenant, spans, logs, items, resolve, reject });
      this.stats.queuedItems += items;
      this.#wake?.();
      this.#startDrain();
    });
  }

  #startDrain(): void {
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
      // A job queued between the loop's last look and now still gets a writer.
      if (this.#pending.length > 0) this.#startDrain();
    });
  }

  async #drain(): Promise<void> {
    // The last two writes started, newest first.
    let previous: Promise<void> = Promise.resolve();
    let before: Promise<void> = Promise.resolve();
    for (;;) {
      if (this.#pending.length === 0) {
        // A job that arrives while the last write commits is taken at once, to be prepared beside it.
        const arrived = new Promise<boolean>((resolve) => this.#wake = () => resolve(false));
        const finished = await Promise.race([Promise.all([before, previous]).then(() => true), arrived]);
        this.#wake = undefined;
        if (this.#pending.length === 0) {
          if (finished) return;
          continue;
        }
      }
      let count = 0;
      let take = 0;
      while (
        take < this.#pending.length && (take === 0 || count + this.#pending[take].items <= this.#maxBatch)
      ) {
        count += this.#pending[take].items;
        take++;
      }
      const jobs = this.#pending.splice(0, take);
      this.stats.queuedItems -= count;
      const byTenant = new Map<string, Job[]>();
      for (const j of jobs) {
        // A replay is kept apart so its outcome is its own (the file stays if it fails).
        const key = j.kind === "replay" ? `\u0000replay\u0000${byTenant.size}` : j.tenant;
        const list = byTenant.get(key);
        if (list) list.push(j);
        else byTenant.set(key, [j]);
      }
      for (const group of byTenant.values()) {
        // The next batch is taken once this one has read what it needs and queued its writes (a
        // driver that prepares beside a commit says so early, others when the write is done), and
        // once the write two before it has finished: while one batch commits, the next waits on the
        // writer thread and the one after prepares, and what arrives meanwhile makes a later batch
        // larger. At most three batches are out of the queue at once.
        let prepared!: () => void;
        const ready = new Promise<void>((resolve) => prepared = resolve);
        const done = this.#write(group, prepared);
        await Promise.race([ready, done]);
        await before;
        before = previous;
        previous = done;
      }
    }
  }

  async #write(jobs: Job[], onPrepared: () => void): Promise<void> {
    const tenant = jobs[0].tenant;
    const spans = jobs.length === 1 ? jobs[0].spans : jobs.flatMap((j) => j.spans);
    const logs = jobs.length === 1 ? jobs[0].logs : jobs.flatMap((j) => j.logs);
    const replay = jobs[0].kind === "replay";
    let result: WriteResult | undefined;
    let failure: unknown;
    if (this.#abandoned) {
      // A timed-out write is still running: a second one beside it could read what the first is
      // about to change (trace summaries, rollup deltas) and count it twice. Until it settles,
      // batches go to the DLQ (replays stay queued on disk), as while the database is down.
      failure = new DbError("unavailable", "a timed-out database write is still running");
    } else if (replay || Date.now() >= this.#dbDownUntil) {
      try {
        this.stats.transactions++;
        result = await this.#withTimeout(
          this.#store.forTenant(tenant).writeBatch(spans, logs, { onPrepared }),
        );
      } catch (err) {
        this.stats.failedTransactions++;
        failure = err;
        if (isUnavailable(err)) this.#markDown(err);
      }
    } else {
      failure = new DbError("unavailable", "database marked unavailable; writing to the dead-letter queue");
    }

    if (result) {
      this.stats.storedSpans += result.spans.length;
      this.stats.storedLogs += result.logs.length;
      this.stats.duplicateSpans += result.duplicateSpans;
      this.stats.duplicateLogs += result.duplicateLogs;
      for (const j of jobs) j.resolve();
      this.#markUp();
      for (const cb of this.#callbacks) {
        try {
          cb(tenant, result);
        } catch (err) {
          logger.error("a stored-data callback failed", { error: err });
        }
      }
      return;
    }
    if (replay) {
      for (const j of jobs) j.reject(failure);
      return;
    }
    try {
      const name = await this.#dlq.write({ tenant, spans, logs });
      this.stats.dlqBatches++;
      logger.warn("batch written to the dead-letter queue", {
        file: name,
        spans: spans.length,
        logs: logs.length,
        reason: failure,
      });
      for (const j of jobs) j.resolve();
    } catch (err) {
      this.stats.dlqFailures++;
      logger.error("dead-letter queue write failed; export refused", { error: err, db_error: failure });
      const refused = new StorageUnavailableError(
        "Storage is unavailable: the database and the dead-letter queue both failed; retry later",
        { cause: err },
      );
      for (const j of jobs) j.reject(refused);
    }
  }

  async #withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          const abandoned = work.then(() => {}, () => {}).finally(() => {
            if (this.#abandoned === abandoned) this.#abandoned = undefined;
          });
          this.#abandoned = abandoned;
          reject(new DbError("unavailable", `database write not settled after ${this.#writeTimeoutMs} ms`));
        },
        this.#writeTimeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #markDown(err: unknown): void {
    if (this.stats.dbAvailable) logger.error("database unavailable", { error: err });
    this.stats.dbAvailable = false;
    this.#dbWasDown = true;
    this.#dbDownUntil = Date.now() + this.#dbRetryMs;
  }

  #markUp(): void {
    this.stats.dbAvailable = true;
    this.#dbDownUntil = 0;
    if (this.#dbWasDown) {
      this.#dbWasDown = false;
      logger.info("database available again; replaying the dead-letter queue");
      this.replayDlq().catch((err) => logger.error("dead-letter replay failed", { error: err }));
    }
  }

  /** Replays the dead-letter queue through this writer (never beside it). */
  async replayDlq(): Promise<ReplayResult> {
    const result = await this.#dlq.replay(
      (b: DlqBatch) => this.#enqueue("replay", b.tenant, b.spans, b.logs),
      isUnavailable,
    );
    if (result.replayed > 0 || result.quarantined > 0) logger.info("dead-letter replay", { ...result });
    return result;
  }

  /** Stops taking data and waits until everything queued is stored or dead-lettered. */
  async close(): Promise<void> {
    this.#closing = true;
    while (this.#running) await this.#running;
  }
}
