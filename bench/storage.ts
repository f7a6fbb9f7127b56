/**
 * The storage side measured in-process, without the network, the decoder or
 * the queue: the same rows written through `Repository.writeBatch` in large
 * batches (the storage limit the server's ingest rate is compared with), and
 * bulk loading for the query benchmark.
 *
 * @module
 */

import type { Database } from "../src/db/contract.ts";
import { Store } from "../src/store/store.ts";
import { IdGenerator } from "../src/store/ids.ts";
import type { LogRow, SpanRow } from "../src/store/rows.ts";
import type { StoredLogRow } from "../src/store/repository.ts";
import {
  ITEMS_PER_REQUEST,
  logBatch,
  logsTemplate,
  spanBatch,
  templateLogRows,
  templateSpanRows,
  tracesTemplate,
} from "./payload.ts";

/** The pipeline's default transaction size (items), used for the storage limit. */
export const BATCH = 20_000;

/** Rows per second written, the time spent writing only. */
export interface WriteRate {
  rows: number;
  writeSeconds: number;
  rowsPerSecond: number;
}

/**
 * Writes batches of `signal` rows for about `seconds` of writing (or until
 * `maxRows`), `batch` rows per transaction, timing only `writeBatch`: the rows are built between batches.
 */
export async function storageLimit(
  db: Database,
  signal: "traces" | "logs",
  seconds: number,
  maxRows = Infinity,
  batch = BATCH,
): Promise<WriteRate> {
  const repo = new Store(db).forTenant("default");
  const nowUs = Date.now() * 1000;
  const state = new Uint32Array([0x9e3779b9]);
  const ids = new IdGenerator();
  const spans = signal === "traces" ? templateSpanRows(tracesTemplate(Date.now())) : [];
  const logs = signal === "logs" ? templateLogRows(logsTemplate(Date.now())) : [];
  let rows = 0;
  let busy = 0;
  for (let copy = 0; busy < seconds * 1000 && rows < maxRows; copy += batch / ITEMS_PER_REQUEST) {
    const start = nowUs + copy * 1000;
    const spanRows: SpanRow[] = signal === "traces" ? spanBatch(spans, batch, start, 1000, state) : [];
    const logRows: StoredLogRow[] = signal === "logs"
      ? logBatch(logs, batch, start, 1000, state).map((l: LogRow) => ({
        ...l,
        id: ids.next(),
        ai_status: "skipped",
      }))
      : [];
    const t0 = performance.now();
    await repo.writeBatch(spanRows, logRows);
    busy += performance.now() - t0;
    rows += batch;
  }
  return { rows, writeSeconds: busy / 1000, rowsPerSecond: rows / (busy / 1000) };
}

/** What bulk loading produced. */
export interface Loaded {
  spans: number;
  logs: number;
  loadSeconds: number;
  /** A sample of stored trace ids, for trace-by-id queries. */
  traceIds: string[];
  /** The time the data covers, ms. */
  fromMs: number;
  toMs: number;
}

/**
 * Loads `spanCount` spans spread evenly over the `spreadMs` before now (time
 * increasing, as a live stream arrives), then `logCount` logs over the same time.
 * `afterSpans` runs between the two (the report measures bytes per span there).
 */
export async function bulkLoad(
  db: Database,
  spanCount: number,
  logCount: number,
  spreadMs: number,
  afterSpans: () => Promise<void>,
  progress: (text: string) => void,
): Promise<Loaded> {
  const repo = new Store(db).forTenant("default");
  const toMs = Date.now();
  const fromMs = toMs - spreadMs;
  const state = new Uint32Array([0x2545f491]);
  const spans = templateSpanRows(tracesTemplate(fromMs));
  const copies = Math.ceil(spanCount / ITEMS_PER_REQUEST);
  const stepUs = (spreadMs * 1000) / copies;
  const traceIds: string[] = [];
  const t0 = performance.now();
  let done = 0;
  let nextReport = 0.1;
  while (done < spanCount) {
    const n = Math.min(BATCH, spanCount - done);
    const batch = spanBatch(spans, n, fromMs * 1000 + (done / ITEMS_PER_REQUEST) * stepUs, stepUs, state);
    await repo.writeBatch(batch, []);
    if (traceIds.length < 500) traceIds.push(batch[Math.floor(batch.length / 2)].trace_id);
    done += n;
    if (done / spanCount >= nextReport) {
      progress(`${Math.round((done / spanCount) * 100)}% of ${spanCount.toLocaleString("en-US")} spans`);
      nextReport += 0.1;
    }
  }
  await afterSpans();
  const ids = new IdGenerator();
  const logs = templateLogRows(logsTemplate(fromMs));
  const logStepUs = (spreadMs * 1000) / Math.ceil(logCount / ITEMS_PER_REQUEST);
  for (let written = 0; written < logCount;) {
    const n = Math.min(BATCH, logCount - written);
    const rows = logBatch(
      logs,
      n,
      fromMs * 1000 + (written / ITEMS_PER_REQUEST) * logStepUs,
      logStepUs,
      state,
    )
      .map((l): StoredLogRow => ({ ...l, id: ids.next(), ai_status: "skipped" }));
    await repo.writeBatch([], rows);
    written += n;
  }
  return {
    spans: spanCount,
    logs: logCount,
    loadSeconds: (performance.now() - t0) / 1000,
    traceIds,
    fromMs,
    toMs,
  };
}
