/**
 * `/ws`, the live log stream (SPEC §7). Logs committed by the pipeline are
 * queued per tenant — only for tenants with a client — and flushed as JSON
 * arrays of LogEntry when 100 are queued or 500 ms after the oldest arrived.
 * Each client has its own filter; clients with equal filters share one
 * serialised message. A large commit is sent at most a few batches per event
 * loop turn, and a turn waits while a client's unsent backlog is above a
 * quarter of the limit, so clients that keep reading are paced instead of
 * dropped. Only a client whose backlog stays high past the patience (1 s)
 * stops holding the others back and then reaches its backlog limit (1013).
 *
 * @module
 */

import type { StoredLogRow } from "../store/repository.ts";
import type { AiStatus } from "../store/rows.ts";
import { type LogEntry, toLogEntry } from "../http/wire.ts";
import { logger } from "../telemetry/log.ts";
import {
  type LogFilter,
  logFilterFromQuery,
  logFilterKey,
  matchesLogFilter,
  NO_LOG_FILTER,
  parseLogFilter,
} from "./filters.ts";
import type { ClientHandlers, LiveClient, LiveSockets } from "./socket.ts";

/** Batching settings of a {@link LogHub}. */
export interface LogHubOptions {
  /** Logs per message, and the queue length that triggers a flush. */
  batchSize?: number;
  /** Longest wait of a queued log. */
  flushMs?: number;
  /**
   * Batches sent per event loop turn before yielding to the socket writes; a
   * turn also ends after a quarter of the backlog limit in bytes.
   */
  maxBatchesPerTurn?: number;
  /** Logs queued per tenant at most; the oldest beyond it are dropped (the hub cannot keep up). */
  maxQueuedLogs?: number;
  /** How long the stream waits for a client's backlog to drain before sending on regardless. */
  patienceMs?: number;
}

/** The pause between checks while a client's backlog drains. */
const PACE_MS = 10;

interface TenantStream {
  clients: Set<LiveClient>;
  queue: StoredLogRow[];
  head: number;
  /** When the oldest unsent log was queued (ms). */
  firstAt: number;
  timer?: ReturnType<typeof setTimeout>;
  dueAt: number;
  /** Since when sending has waited for a client's backlog to drain (ms), or 0. */
  waitingSince: number;
}

const pendingOf = (st: TenantStream) => st.queue.length - st.head;

/** The `/ws` hub. */
export class LogHub {
  readonly #sockets: LiveSockets;
  readonly #batchSize: number;
  readonly #flushMs: number;
  readonly #maxBatchesPerTurn: number;
  readonly #maxQueued: number;
  readonly #patienceMs: number;
  readonly #filters = new Map<LiveClient, LogFilter>();
  readonly #tenants = new Map<string, TenantStream>();
  readonly #handlers: ClientHandlers;
  /** Logs dropped because a tenant's queue overflowed. */
  droppedLogs = 0;

  constructor(sockets: LiveSockets, options: LogHubOptions = {}) {
    this.#sockets = sockets;
    this.#batchSize = options.batchSize ?? 100;
    this.#flushMs = options.flushMs ?? 500;
    this.#maxBatchesPerTurn = options.maxBatchesPerTurn ?? 10;
    this.#maxQueued = options.maxQueuedLogs ?? 50_000;
    this.#patienceMs = options.patienceMs ?? 1_000;
    this.#handlers = {
      onOpen: (c) => this.#open(c),
      onMessage: (c, text) => this.#message(c, text),
      onClose: (c) => this.#close(c),
    };
  }

  /** Answers a `/ws` request (upgrade or refusal). */
  handle(req: Request): Response {
    return this.#sockets.upgrade(req, "logs", this.#handlers);
  }

  #open(client: LiveClient): void {
    const initial = logFilterFromQuery(client.url.searchParams);
    if (!initial.ok) client.sendError(initial.error);
    this.#filters.set(client, initial.ok ? initial.value : NO_LOG_FILTER);
    let st = this.#tenants.get(client.tenant);
    if (!st) {
      st = { clients: new Set(), queue: [], head: 0, firstAt: 0, dueAt: Infinity, waitingSince: 0 };
      this.#tenants.set(client.tenant, st);
    }
    st.clients.add(client);
  }

  #message(client: LiveClient, text: string): void {
    const parsed = parseLogFilter(text);
    if (!parsed.ok) {
      client.sendError(parsed.error);
      return;
    }
    this.#filters.set(client, parsed.value);
    client.send(JSON.stringify({
      type: "filter",
      service: parsed.value.service,
      min_severity: parsed.value.minSeverityName,
    }));
  }

  #close(client: LiveClient): void {
    this.#filters.delete(client);
    const st = this.#tenants.get(client.tenant);
    if (!st) return;
    st.clients.delete(client);
    if (st.clients.size === 0) {
      clearTimeout(st.timer);
      this.#tenants.delete(client.tenant);
    }
  }

  /** Queues logs a commit stored for `tenant` (the pipeline's `onStored`). */
  publish(tenant: string, logs: readonly StoredLogRow[]): void {
    const st = this.#tenants.get(tenant);
    if (!st || logs.length === 0) return;
    if (pendingOf(st) === 0) st.firstAt = Date.now();
    for (const l of logs) st.queue.push(l);
    const excess = pendingOf(st) - this.#maxQueued;
    if (excess > 0) {
      if (this.droppedLogs === 0) {
        logger.warn("live log stream cannot keep up; dropping the oldest queued logs", { tenant });
      }
      this.droppedLogs += excess;
      st.head += excess;
    }
    this.#schedule(st);
  }

  /**
   * Tells the tenant's `/ws` clients that an AI insight finished:
   * `{"type":"insight","log_id","insight","status"}`. Logs still queued are
   * sent first, so a client never sees an insight before its log.
   */
  publishInsight(tenant: string, logId: number, insight: string, status: AiStatus): void {
    const st = this.#tenants.get(tenant);
    if (!st) return;
    this.#drain(st, true);
    const text = JSON.stringify({ type: "insight", log_id: logId, insight, status });
    for (const c of st.clients) c.send(text);
  }

  /** Sends everything queued now (before shutdown closes the sockets). */
  flushAll(): void {
    for (const st of this.#tenants.values()) this.#drain(st, true);
  }

  /** Stops the timers. */
  close(): void {
    for (const st of this.#tenants.values()) clearTimeout(st.timer);
    this.#tenants.clear();
    this.#filters.clear();
  }

  #schedule(st: TenantStream): void {
    const pending = pendingOf(st);
    if (pending === 0 || st.clients.size === 0) return;
    const now = Date.now();
    const ready = pending >= this.#batchSize ? now : Math.max(now, st.firstAt + this.#flushMs);
    const dueAt = st.waitingSince > 0 ? Math.max(ready, now + PACE_MS) : ready;
    if (st.timer !== undefined && st.dueAt <= dueAt) return;
    clearTimeout(st.timer);
    st.dueAt = dueAt;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      st.dueAt = Infinity;
      this.#drain(st, false);
      this.#schedule(st);
    }, dueAt - now);
  }

  /** Sends full batches (and a partial one whose time is up); `all` sends everything now. */
  #drain(st: TenantStream, all: boolean): void {
    // A quarter of the backlog limit per turn: a client that keeps up never nears the limit.
    const budget = this.#sockets.limits.maxBufferedBytes / 4;
    let batches = 0;
    let bytes = 0;
    if (!all && this.#mustWait(st, budget)) return;
    while (pendingOf(st) > 0 && st.clients.size > 0) {
      if (!all) {
        if (batches > 0 && (batches >= this.#maxBatchesPerTurn || bytes >= budget)) break;
        if (pendingOf(st) < this.#batchSize && Date.now() < st.firstAt + this.#flushMs) break;
      }
      const end = st.head + Math.min(this.#batchSize, pendingOf(st));
      bytes += this.#send(st, st.queue.slice(st.head, end));
      st.head = end;
      batches++;
    }
    if (pendingOf(st) === 0 || st.clients.size === 0) {
      st.queue = [];
      st.head = 0;
    } else if (st.head > 4096 && st.head * 2 > st.queue.length) {
      st.queue = st.queue.slice(st.head);
      st.head = 0;
    }
  }

  /**
   * True while a client's unsent backlog is above `budget` and the patience
   * has not run out: the next turn comes a few ms later instead.
   */
  #mustWait(st: TenantStream, budget: number): boolean {
    let busiest = 0;
    for (const c of st.clients) if (c.open) busiest = Math.max(busiest, c.socket.bufferedAmount);
    if (busiest <= budget) {
      st.waitingSince = 0;
      return false;
    }
    const now = Date.now();
    if (st.waitingSince === 0) st.waitingSince = now;
    return now - st.waitingSince < this.#patienceMs;
  }

  /** Sends one batch to every client as its filter wants it; returns the longest message's length. */
  #send(st: TenantStream, rows: StoredLogRow[]): number {
    let entries: LogEntry[] | undefined;
    let longest = 0;
    const texts = new Map<string, string | null>();
    for (const client of st.clients) {
      const f = this.#filters.get(client) ?? NO_LOG_FILTER;
      const key = logFilterKey(f);
      let text = texts.get(key);
      if (text === undefined) {
        entries ??= rows.map(toLogEntry);
        const picked = f === NO_LOG_FILTER || (f.service === "" && f.minSeverity === 0)
          ? entries
          : entries.filter((_, i) => matchesLogFilter(f, rows[i]));
        text = picked.length > 0 ? JSON.stringify(picked) : null;
        texts.set(key, text);
        longest = Math.max(longest, text?.length ?? 0);
      }
      if (text !== null) client.send(text);
    }
    return longest;
  }
}
