import assert from "node:assert/strict";
import { Pipeline } from "./pipeline.ts";
import { DeadLetterQueue } from "./dlq.ts";
import { OverloadedError, ShuttingDownError } from "./errors.ts";
import { Store } from "../store/store.ts";
import type { Database } from "../db/contract.ts";
import { sqliteLive } from "../../tests/support/databases.ts";
import { span, spanId, traceId } from "../../tests/support/fixtures.ts";
import type { LogRow } from "../store/rows.ts";

/** A real SQLite database whose transactions wait for `open()` while `hold()` is in force. */
async function gatedDatabase() {
  const fresh = await sqliteLive.fresh();
  let gate: Promise<void> = Promise.resolve();
  let release = () => {};
  const db: Database = {
    ...fresh.db,
    driver: {
      ...fresh.db.driver,
      transaction: async (fn) => {
        await gate;
        return fresh.db.driver.transaction(fn);
      },
      writeTransaction: async (prepare, options) => {
        await gate;
        return fresh.db.driver.writeTransaction!(prepare, options);
      },
    },
  };
  return {
    db,
    fresh,
    hold: () => gate = new Promise((r) => release = r),
    open: () => release(),
  };
}

const logRow = (n: number, severity_number = 9): LogRow => ({
  timestamp_us: 1_700_000_000_000_000 + n,
  trace_id: "",
  span_id: "",
  severity_number,
  severity: severity_number >= 17 ? "ERROR" : "INFO",
  body: `log ${n}`,
  service_name: "svc",
  attributes: "{}",
  resource_attributes: "{}",
  scope_name: "",
});

Deno.test("a full queue refuses with OverloadedError; waiting exports complete; close flushes", async () => {
  const g = await gatedDatabase();
  const dir = await Deno.makeTempDir();
  const dlq = new DeadLetterQueue(dir);
  await dlq.init();
  const pipeline = new Pipeline(new Store(g.db), dlq, {
    maxQueuedItems: 10,
    aiState: (_tenant, l) => ({ status: l.severity_number >= 17 ? "pending" : "none" }),
  });
  const stored: { tenant: string; spans: number; logs: number }[] = [];
  pipeline.onStored(() => {
    throw new Error("a broken subscriber must not break ingestion");
  });
  pipeline.onStored((tenant, r) => stored.push({ tenant, spans: r.spans.length, logs: r.logs.length }));
  try {
    g.hold();
    // The first submission goes straight to the (held) writer; the next ones queue.
    const first = pipeline.submit("a", [span({ trace_id: traceId(1) })], []);
    await new Promise((r) => setTimeout(r, 10));
    const queued = [
      pipeline.submit(
        "a",
        Array.from({ length: 6 }, (_, i) => span({ trace_id: traceId(2), span_id: spanId(i + 1) })),
        [],
      ),
      pipeline.submit("b", [], [logRow(1), logRow(2, 17)]),
    ];
    assert.equal(pipeline.stats.queuedItems, 8);
    await assert.rejects(pipeline.submit("a", [], [logRow(3), logRow(4), logRow(5)]), OverloadedError);
    assert.equal(pipeline.stats.refusedOverload, 1);
    g.open();
    await Promise.all([first, ...queued]);
    assert.deepEqual(stored.sort((x, y) => x.tenant.localeCompare(y.tenant)), [
      { tenant: "a", spans: 1, logs: 0 },
      { tenant: "a", spans: 6, logs: 0 },
      { tenant: "b", spans: 0, logs: 2 },
    ]);
    const logs = await new Store(g.fresh.db).forTenant("b").listLogs({
      startUs: 0,
      endUs: Number.MAX_SAFE_INTEGER,
      limit: 10,
      offset: 0,
    });
    assert.deepEqual(logs.rows.map((l) => l.ai_status).sort(), ["none", "pending"]);

    // close() waits for what is queued, then refuses new work.
    g.hold();
    const late = pipeline.submit("c", [span({ trace_id: traceId(3) })], []);
    const closing = pipeline.close();
    await assert.rejects(pipeline.submit("c", [span()], []), ShuttingDownError);
    g.open();
    await Promise.all([late, closing]);
    assert.equal((await new Store(g.fresh.db).forTenant("c").getSpans(traceId(3))).length, 1);
  } finally {
    await g.fresh.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a timed-out write that is still running keeps the next batches out of the database until it settles", async () => {
  const g = await gatedDatabase();
  const dir = await Deno.makeTempDir();
  const dlq = new DeadLetterQueue(dir);
  await dlq.init();
  let writes = 0;
  const counted = {
    ...g.db,
    driver: {
      ...g.db.driver,
      writeTransaction: <T>(prepare: Parameters<NonNullable<Database["driver"]["writeTransaction"]>>[0]) => {
        writes++;
        return g.db.driver.writeTransaction!(prepare) as Promise<T>;
      },
    },
  } as Database;
  const pipeline = new Pipeline(new Store(counted), dlq, { writeTimeoutMs: 50, dbRetryMs: 0 });
  try {
    g.hold();
    // Times out and goes to the DLQ, while its transaction waits at the gate.
    await pipeline.submit("a", [span({ trace_id: traceId(1) })], []);
    assert.equal(pipeline.stats.dlqBatches, 1);
    // The database is not marked down for long (dbRetryMs 0), but the first write still runs:
    // this batch must not be written beside it.
    await pipeline.submit("a", [span({ trace_id: traceId(2) })], []);
    assert.equal(writes, 1);
    assert.equal(pipeline.stats.dlqBatches, 2);
    g.open();
    await new Promise((r) => setTimeout(r, 100));
    // Settled: writing resumes.
    await pipeline.submit("a", [span({ trace_id: traceId(3) })], []);
    assert.equal(writes, 2);
    const repo = new Store(g.fresh.db).forTenant("a");
    assert.equal((await repo.getSpans(traceId(1))).length, 1, "the timed-out write committed late");
    assert.equal((await repo.getSpans(traceId(3))).length, 1);
    // The success replays the dead-letter queue (the batch kept out comes in then); wait for it.
    for (let i = 0; i < 100 && (await repo.getSpans(traceId(2))).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await repo.getSpans(traceId(2))).length, 1);
    await pipeline.replayDlq();
    await pipeline.close();
  } finally {
    await g.fresh.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exports arriving while earlier batches commit are all stored, with at most three batches out of the queue", async () => {
  const fresh = await sqliteLive.fresh();
  const dir = await Deno.makeTempDir();
  const dlq = new DeadLetterQueue(dir);
  await dlq.init();
  // Counts the batches that have left the queue and are not yet committed.
  let out = 0;
  let mostOut = 0;
  const db: Database = {
    ...fresh.db,
    driver: {
      ...fresh.db.driver,
      writeTransaction: async (prepare, options) => {
        mostOut = Math.max(mostOut, ++out);
        try {
          return await fresh.db.driver.writeTransaction!(prepare, options);
        } finally {
          out--;
        }
      },
    },
  };
  const pipeline = new Pipeline(new Store(db), dlq);
  try {
    // Arrivals spread over time, one trace each: some land in an empty queue while a write commits.
    const exports = Array.from(
      { length: 60 },
      (_, i) =>
        new Promise((r) => setTimeout(r, i % 20)).then(() =>
          pipeline.submit(
            "default",
            Array.from(
              { length: 200 },
              (_, j) => span({ trace_id: traceId(1000 + i), span_id: spanId(j + 1) }),
            ),
            [logRow(i)],
          )
        ),
    );
    await Promise.all(exports);
    assert.equal(pipeline.stats.storedSpans, 60 * 200);
    assert.equal(pipeline.stats.storedLogs, 60);
    assert.ok(pipeline.stats.transactions > 1, `${pipeline.stats.transactions} transactions`);
    assert.ok(mostOut >= 2 && mostOut <= 3, `${mostOut} batches out at once`);
    const [row] = await fresh.db.driver.query("SELECT COUNT(*) AS n FROM spans", []);
    assert.equal(Number(row.n), 60 * 200);
  } finally {
    await pipeline.close();
    await fresh.close();
    await Deno.remove(dir, { recursive: true });
  }
});
