/**
 * Prometheus metrics about Argus itself, served as text at `GET /metrics` on
 * `HTTP_PORT`. Everything lives in a registry of its own (never prom-client's
 * global one), so two instances in one process — tests — never share series.
 *
 * Figures that other modules already count (the writer's `Pipeline.stats`, the
 * exporter's `Exporter.counters`, the DLQ directory) are read by `collect()`
 * callbacks at scrape time rather than counted a second time here. Only the
 * database timings, which nothing else keeps, are observed as they happen.
 *
 * No label takes its value from a request: every label value below comes from
 * a fixed list in this file (`signal`, `outcome`, `operation`, `stream`, `table`).
 *
 * @module
 */

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PipelineStats } from "../ingest/pipeline.ts";
import type { ExportCounters } from "../ingest/export.ts";
import { DB_OPERATIONS, type DbOperation } from "../db/instrumented.ts";
import type { RetentionStats } from "../store/retention.ts";
import { logger } from "./log.ts";

/** The WebSocket streams of SPEC §7: `/ws` (logs), `/ws/events`, `/ws/health`. */
export type WsStream = "logs" | "events" | "health";
/** The streams, for label values. */
export const WS_STREAMS: readonly WsStream[] = ["logs", "events", "health"];

/** What the AI insight queue reports (SPEC §8). */
export interface AiQueueStats {
  /** Analyses waiting. */
  queueDepth: number;
  /** Analyses dropped because the queue was full, since start. */
  dropped: number;
}

/**
 * Where the scrape-time figures come from. Each is optional: a source not
 * provided yet reads as nothing (counters) or 0 (gauges).
 */
export interface MetricSources {
  /** The writer's counters (`pipeline.stats`). */
  pipeline?: () => PipelineStats;
  /** The exporter's counters (`exporter.counters`). */
  exporter?: () => ExportCounters;
  /** Files and bytes waiting in the dead-letter queue (`dlq.size()`). */
  dlq?: () => Promise<{ files: number; bytes: number }>;
  /** Dead-letter files moved to `failed/` since start (`dlq.quarantinedTotal`). */
  dlqQuarantined?: () => number;
  /** Open WebSocket clients per stream; the live hubs provide it. */
  wsClients?: () => Partial<Record<WsStream, number>>;
  /** The AI queue (`AiInsights.stats`); absent while AI is off, and then it reads 0. */
  ai?: () => AiQueueStats;
  /** What the retention loop has purged. */
  retention?: () => RetentionStats;
}

/** Bucket bounds of `argus_db_latency`, seconds: 0.5 ms (an SQLite point read) to 30 s (the writer's timeout). */
export const DB_LATENCY_BUCKETS = [
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
];

// prom-client's Node default metrics that read a stub under Deno (always 0 or one
// fixed entry), so exposing them would only mislead.
const STUB_DEFAULT_METRICS = [
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_requests",
  "nodejs_active_requests_total",
  "nodejs_active_resources",
  "nodejs_active_resources_total",
];

/** Options of {@link Metrics}. */
export interface MetricsOptions {
  /** The version `argus_build_info` reports. */
  version: string;
  /**
   * prom-client's process and runtime metrics (`process_cpu_seconds_total`,
   * `process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`, event-loop
   * lag, …). They work under Deno with `--allow-read --allow-sys`. Default true.
   */
  processMetrics?: boolean;
}

/** The metrics registry of one Argus instance. */
export class Metrics {
  /** The registry behind `/metrics`. */
  readonly registry: Registry = new Registry();
  #sources: MetricSources = {};
  #dlq: { files: number; bytes: number } | undefined;
  readonly #dbLatency: Histogram<"operation">;
  readonly #dbErrors: Counter<"operation">;

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    const src = () => this.#sources;

    if (options.processMetrics ?? true) {
      try {
        collectDefaultMetrics({ register: this.registry });
        for (const name of STUB_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
        // prom-client reads RSS from /proc/self, which Deno denies without --allow-all (it reported 0);
        // the runtime's own figure needs no permission.
        this.registry.removeSingleMetric("process_resident_memory_bytes");
        new Gauge({
          name: "process_resident_memory_bytes",
          help: "Resident memory size in bytes.",
          registers,
          collect() {
            this.set(Deno.memoryUsage().rss);
          },
        });
      } catch (err) {
        // Not expected under Deno 2.9; a runtime that lacks a Node API loses these series, not /metrics.
        logger.warn("process metrics unavailable", { error: err });
      }
    }

    new Gauge({
      name: "argus_build_info",
      help: "Always 1; the label carries the Argus version.",
      labelNames: ["version"],
      registers,
    }).set({ version: options.version }, 1);

    // --- ingestion -----------------------------------------------------------
    new Counter({
      name: "argus_ingestion_rate",
      help:
        "Items (spans for signal=traces, log records for signal=logs) accepted by OTLP exports; filtered items count as accepted, as the client is told. Use rate().",
      labelNames: ["signal"],
      registers,
      collect() {
        const c = src().exporter?.();
        this.reset();
        if (!c) return;
        this.inc({ signal: "traces" }, c.accepted.spans);
        this.inc({ signal: "logs" }, c.accepted.logs);
      },
    });
    new Counter({
      name: "argus_ingest_items_total",
      help:
        "Items received in OTLP exports by outcome: accepted (queued for storage), rejected (invalid, reported in partial_success), filtered_service, filtered_severity. The outcomes do not overlap.",
      labelNames: ["signal", "outcome"],
      registers,
      collect() {
        const c = src().exporter?.();
        this.reset();
        if (!c) return;
        this.inc(
          { signal: "traces", outcome: "accepted" },
          Math.max(0, c.accepted.spans - c.filteredService.spans),
        );
        this.inc({ signal: "traces", outcome: "rejected" }, c.rejectedInvalid.spans);
        this.inc({ signal: "traces", outcome: "filtered_service" }, c.filteredService.spans);
        this.inc(
          { signal: "logs", outcome: "accepted" },
          Math.max(0, c.accepted.logs - c.filteredService.logs - c.filteredSeverity.logs),
        );
        this.inc({ signal: "logs", outcome: "rejected" }, c.rejectedInvalid.logs);
        this.inc({ signal: "logs", outcome: "filtered_service" }, c.filteredService.logs);
        this.inc({ signal: "logs", outcome: "filtered_severity" }, c.filteredSeverity.logs);
      },
    });
    new Counter({
      name: "argus_otlp_requests_total",
      help: "OTLP export requests received (gRPC and HTTP), whatever their outcome.",
      labelNames: ["signal"],
      registers,
      collect() {
        const c = src().exporter?.();
        this.reset();
        if (!c) return;
        this.inc({ signal: "traces" }, c.requests.traces);
        this.inc({ signal: "logs" }, c.requests.logs);
      },
    });
    new Gauge({
      name: "argus_ingest_queue_items",
      help: "Items (spans + logs) waiting for the database writer.",
      registers,
      collect() {
        this.set(src().pipeline?.().queuedItems ?? 0);
      },
    });
    new Counter({
      name: "argus_ingest_overload_refusals_total",
      help: "Exports refused with UNAVAILABLE/503 because the ingest queue was full.",
      registers,
      collect() {
        this.reset();
        this.inc(src().pipeline?.().refusedOverload ?? 0);
      },
    });
    new Counter({
      name: "argus_stored_items_total",
      help: "Rows stored by the writer (duplicates from retries and replays left out).",
      labelNames: ["signal"],
      registers,
      collect() {
        const p = src().pipeline?.();
        this.reset();
        if (!p) return;
        this.inc({ signal: "traces" }, p.storedSpans);
        this.inc({ signal: "logs" }, p.storedLogs);
      },
    });
    new Counter({
      name: "argus_duplicate_items_total",
      help: "Rows the writer skipped because they were stored already (client retries, DLQ replays).",
      labelNames: ["signal"],
      registers,
      collect() {
        const p = src().pipeline?.();
        this.reset();
        if (!p) return;
        this.inc({ signal: "traces" }, p.duplicateSpans);
        this.inc({ signal: "logs" }, p.duplicateLogs);
      },
    });

    // --- database ------------------------------------------------------------
    this.#dbLatency = new Histogram({
      name: "argus_db_latency",
      help:
        "Wall time of database calls in seconds: top-level queries and statements, and each transaction as a whole.",
      labelNames: ["operation"],
      buckets: DB_LATENCY_BUCKETS,
      registers,
    });
    this.#dbErrors = new Counter({
      name: "argus_db_errors_total",
      help: "Database calls that failed.",
      labelNames: ["operation"],
      registers,
    });
    for (const operation of DB_OPERATIONS) {
      // Zero series from the start, so rate() and alerts see them before the first failure.
      this.#dbLatency.zero({ operation });
      this.#dbErrors.inc({ operation }, 0);
    }
    new Counter({
      name: "argus_db_transactions_total",
      help:
        "Ingest writer transactions by outcome; a failed one sent its batch to the dead-letter queue (or refused it).",
      labelNames: ["outcome"],
      registers,
      collect() {
        const p = src().pipeline?.();
        this.reset();
        if (!p) return;
        this.inc({ outcome: "committed" }, Math.max(0, p.transactions - p.failedTransactions));
        this.inc({ outcome: "failed" }, p.failedTransactions);
      },
    });
    new Gauge({
      name: "argus_db_up",
      help: "1 while the writer reaches the database, 0 while it writes to the dead-letter queue instead.",
      registers,
      collect() {
        this.set(src().pipeline?.().dbAvailable === false ? 0 : 1);
      },
    });

    // --- dead-letter queue -----------------------------------------------------
    const dlqRead = () => this.#dlq;
    new Gauge({
      name: "argus_dlq_size",
      help: "Files waiting in the dead-letter queue.",
      registers,
      collect() {
        this.set(dlqRead()?.files ?? 0);
      },
    });
    new Gauge({
      name: "argus_dlq_bytes",
      help: "Bytes of the files waiting in the dead-letter queue.",
      registers,
      collect() {
        this.set(dlqRead()?.bytes ?? 0);
      },
    });
    new Counter({
      name: "argus_dlq_batches_total",
      help: "Batches written to the dead-letter queue because their transaction failed.",
      registers,
      collect() {
        this.reset();
        this.inc(src().pipeline?.().dlqBatches ?? 0);
      },
    });
    new Counter({
      name: "argus_dlq_write_failures_total",
      help: "Batches neither the database nor the dead-letter queue took; their exports were refused.",
      registers,
      collect() {
        this.reset();
        this.inc(src().pipeline?.().dlqFailures ?? 0);
      },
    });
    new Counter({
      name: "argus_dlq_quarantined_total",
      help: "Dead-letter files moved to failed/ (unreadable, or failing replay repeatedly).",
      registers,
      collect() {
        this.reset();
        this.inc(src().dlqQuarantined?.() ?? 0);
      },
    });

    // --- WebSockets --------------------------------------------------------------
    const wsClients = () => this.#wsClients();
    new Gauge({
      name: "argus_active_connections",
      help: "Open WebSocket clients on all streams.",
      registers,
      collect() {
        this.set(Object.values(wsClients()).reduce((a, b) => a + b, 0));
      },
    });
    new Gauge({
      name: "argus_ws_clients",
      help: "Open WebSocket clients per stream (/ws = logs, /ws/events = events, /ws/health = health).",
      labelNames: ["stream"],
      registers,
      collect() {
        const counts = wsClients();
        for (const stream of WS_STREAMS) this.set({ stream }, counts[stream]);
      },
    });

    // --- AI ----------------------------------------------------------------------
    // Without a provider (AI off) both read 0.
    new Gauge({
      name: "argus_ai_queue_depth",
      help: "Log analyses waiting for an AI worker.",
      registers,
      collect() {
        this.set(src().ai?.().queueDepth ?? 0);
      },
    });
    new Counter({
      name: "argus_ai_dropped_total",
      help: "Log analyses dropped because the AI queue was full (the logs themselves are stored).",
      registers,
      collect() {
        this.reset();
        this.inc(src().ai?.().dropped ?? 0);
      },
    });

    // --- retention -------------------------------------------------------------------
    new Counter({
      name: "argus_retention_deleted_total",
      help: "Rows purged by retention (the hourly loop and admin purges).",
      labelNames: ["table"],
      registers,
      collect() {
        const r = src().retention?.();
        this.reset();
        if (!r) return;
        this.inc({ table: "traces" }, r.deleted.traces);
        this.inc({ table: "spans" }, r.deleted.spans);
        this.inc({ table: "logs" }, r.deleted.logs);
      },
    });
    new Gauge({
      name: "argus_retention_last_run_timestamp_seconds",
      help: "When the retention loop last completed a purge (0: not yet).",
      registers,
      collect() {
        this.set((src().retention?.().lastRunUnixMs ?? 0) / 1000);
      },
    });
  }

  /**
   * Adds or replaces sources. The live hubs call
   * `metrics.provide({ wsClients: () => ({ logs, events, health }) })`; the AI
   * queue will call `metrics.provide({ ai: () => ({ queueDepth, dropped }) })`.
   */
  provide(sources: MetricSources): void {
    this.#sources = { ...this.#sources, ...sources };
  }

  /** Records one database call (the {@link instrumentDatabase} observer). */
  observeDb(operation: DbOperation, seconds: number, ok: boolean): void {
    this.#dbLatency.observe({ operation }, seconds);
    if (!ok) this.#dbErrors.inc({ operation });
  }

  #wsClients(): Record<WsStream, number> {
    let counts: Partial<Record<WsStream, number>> = {};
    try {
      counts = this.#sources.wsClients?.() ?? {};
    } catch { /* a broken provider reads as no clients */ }
    const out = { logs: 0, events: 0, health: 0 };
    // Only the known streams are read: the provider's keys never become label values.
    for (const s of WS_STREAMS) out[s] = Math.max(0, Number(counts[s]) || 0);
    return out;
  }

  /** Open WebSocket clients on all streams (health's `active_connections`). */
  activeConnections(): number {
    return Object.values(this.#wsClients()).reduce((a, b) => a + b, 0);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<string> {
    try {
      this.#dlq = await this.#sources.dlq?.();
    } catch (err) {
      logger.warn("cannot read the dead-letter queue for /metrics", { error: err });
      this.#dlq = undefined;
    }
    return await this.registry.metrics();
  }

  /** The content type of {@link render}'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Answers `GET /metrics`. */
  async response(): Promise<Response> {
    return new Response(await this.render(), {
      headers: { "Content-Type": this.contentType, "Cache-Control": "no-store" },
    });
  }
}
