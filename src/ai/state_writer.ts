/**
 * The one writer of AI states (`logs.ai_status`/`ai_insight`). Writes are
 * applied in the order they were queued — so an on-demand `pending` can never
 * land after the quick result that follows it — and consecutive writes with the
 * same tenant, status and insight share one `UPDATE` (a burst of cache hits or
 * a coalesced analysis costs one statement, not one per log). After each write
 * the listeners hear every log it changed (the `/ws` hub).
 *
 * @module
 */

import type { AiStatus } from "../store/rows.ts";
import { logger } from "../telemetry/log.ts";

/** Writes AI states of one tenant's logs (`Repository.setAiState`). */
export type SetAiState = (
  tenant: string,
  ids: readonly number[],
  status: AiStatus,
  insight?: string,
) => Promise<unknown>;

/** Hears each written AI state: `/ws` sends `{"type":"insight", log_id, insight, status}`. */
export type InsightListener = (tenant: string, logId: number, insight: string, status: AiStatus) => void;

interface Write {
  tenant: string;
  status: AiStatus;
  /** Undefined leaves the stored insight as it is. */
  insight: string | undefined;
  ids: number[];
  settled?: { resolve: () => void; reject: (err: unknown) => void };
}

/** Ids that may wait for the database; beyond it a state update is lost (counted) rather than memory. */
const MAX_BUFFERED_IDS = 100_000;

const reason = (err: unknown) =>
  (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 300);

/** Ordered, batched AI-state writes. */
export class StateWriter {
  readonly #set: SetAiState;
  readonly #listeners: InsightListener[] = [];
  #writes: Write[] = [];
  #buffered = 0;
  #draining: Promise<void> | undefined;
  /** Log states the database refused or that did not fit the buffer; those logs keep their state. */
  failures = 0;

  constructor(set: SetAiState) {
    this.#set = set;
  }

  /** Adds a listener for written states. */
  onWritten(listener: InsightListener): void {
    this.#listeners.push(listener);
  }

  /** Queues a state for `ids`. */
  write(tenant: string, ids: number[], status: AiStatus, insight: string | undefined): void {
    if (this.#buffered + ids.length > MAX_BUFFERED_IDS) {
      this.failures += ids.length;
      return;
    }
    const last = this.#writes.at(-1);
    if (
      last && !last.settled && last.tenant === tenant && last.status === status && last.insight === insight
    ) {
      last.ids.push(...ids);
    } else {
      this.#writes.push({ tenant, status, insight, ids });
    }
    this.#buffered += ids.length;
    this.#start();
  }

  /** Queues a state for one log and resolves once it is stored (rejects with the database's error). */
  writeNow(tenant: string, id: number, status: AiStatus, insight: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#writes.push({ tenant, status, insight, ids: [id], settled: { resolve, reject } });
      this.#buffered++;
      this.#start();
    });
  }

  /** Resolves when everything queued is written, or after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#draining,
      new Promise<void>((resolve) => timer = setTimeout(resolve, timeoutMs)),
    ]);
    clearTimeout(timer);
  }

  #start(): void {
    this.#draining ??= this.#drain().finally(() => this.#draining = undefined);
  }

  async #drain(): Promise<void> {
    while (this.#writes.length > 0) {
      const w = this.#writes.shift()!;
      this.#buffered -= w.ids.length;
      try {
        await this.#set(w.tenant, w.ids, w.status, w.insight);
      } catch (err) {
        this.failures += w.ids.length;
        logger.warn("cannot store AI states", { logs: w.ids.length, status: w.status, reason: reason(err) });
        w.settled?.reject(err);
        continue;
      }
      w.settled?.resolve();
      for (const id of w.ids) {
        for (const listener of this.#listeners) {
          try {
            listener(w.tenant, id, w.insight ?? "", w.status);
          } catch (err) {
            logger.error("an AI result listener failed", { error: err });
          }
        }
      }
    }
  }
}
