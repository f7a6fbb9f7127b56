/**
 * What write transactions still executing have stored, for a writer that
 * pipelines ({@link Driver.pipelinesWrites}): the next batch is read and built
 * while the previous one commits, so its reads may miss that one's rows. The
 * repository lays these over its reads: a summary and key in flight supersede
 * the stored ones, spans, log ids and resource times in flight add to them.
 * Whether the reads saw the rows or not, the result is the state after the
 * transactions in flight. If one of them fails, the writer does not run the
 * batches prepared behind it, and they are prepared again.
 *
 * @module
 */

import type { Database } from "../db/contract.ts";
import type { SpanFacts } from "./rollups.ts";
import type { TraceSummaryRow } from "./trace_summary.ts";

/** What one batch writes that the next batch's reads look for. */
export interface BatchOverlay {
  readonly tenant: string;
  /** The summaries the batch writes, with their keys. */
  readonly traces: ReadonlyMap<string, { summary: TraceSummaryRow; key: number }>;
  /** The batch's new spans, by trace id. */
  readonly spans: ReadonlyMap<string, readonly SpanFacts[]>;
  readonly logIds: ReadonlySet<number>;
  /** Resource id → the last_seen_us the batch writes. */
  readonly lastSeen: ReadonlyMap<string, number>;
}

/** The overlays of the transactions in flight on one database, oldest first. */
export class InFlightWrites {
  readonly #open = new Set<BatchOverlay>();

  /** The overlays of `tenant`'s transactions in flight now, oldest first. */
  of(tenant: string): BatchOverlay[] {
    const out: BatchOverlay[] = [];
    for (const o of this.#open) if (o.tenant === tenant) out.push(o);
    return out;
  }

  /** Adds an overlay; the returned function removes it (call it once its transaction has settled). */
  add(overlay: BatchOverlay): () => void {
    this.#open.add(overlay);
    return () => this.#open.delete(overlay);
  }

  get size(): number {
    return this.#open.size;
  }
}

const registries = new WeakMap<Database, InFlightWrites>();

/** The in-flight registry of `db` (one per open database). */
export function inFlightWrites(db: Database): InFlightWrites {
  let r = registries.get(db);
  if (!r) registries.set(db, r = new InFlightWrites());
  return r;
}
