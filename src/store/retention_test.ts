import { firstIdAt } from "./ids.ts";
import assert from "node:assert/strict";
import type { Database } from "../db/contract.ts";
import { type Compiled, countTenantTableRefs, sql } from "../db/sql.ts";
import { insertRaw, liveDialects } from "../../tests/support/databases.ts";
import { capturingDatabase } from "../../tests/support/capture.ts";
import { log, span, spanId, traceId } from "../../tests/support/fixtures.ts";
import {
  cutoffForDays,
  deleteChunk,
  listTenants,
  purgeTenant,
  Retention,
  skipInterruptedAnalyses,
  vacuum,
} from "./retention.ts";
import { minuteOf, ROLLUP_TABLES } from "./rollups.ts";
import { idsPerMs } from "./ids.ts";
import { ScopedExecutor } from "./scope.ts";
import { Store } from "./store.ts";
import { LOG_COLUMNS, Repository } from "./repository.ts";

const BOUNDED_DELETE = {
  sqlite:
    "DELETE FROM logs WHERE rowid IN (SELECT rowid FROM logs WHERE tenant_id = ? AND (timestamp_us < ?) LIMIT ?)",
  postgres:
    "DELETE FROM logs WHERE ctid = ANY (ARRAY(SELECT ctid FROM logs WHERE tenant_id = $1 AND (timestamp_us < $2) LIMIT $3))",
  mysql: "DELETE FROM logs WHERE tenant_id = ? AND (timestamp_us < ?) LIMIT ?",
  sqlserver: "DELETE TOP (@p3) FROM logs WHERE tenant_id = @p1 AND (timestamp_us < @p2)",
} as const;

for (const [dialect, expected] of Object.entries(BOUNDED_DELETE)) {
  Deno.test(`bounded delete on ${dialect}: dialect spelling, tenant bound, accepted by the scope guard`, () => {
    const { db } = capturingDatabase(dialect as keyof typeof BOUNDED_DELETE);
    const ex = new ScopedExecutor(db.driver, db.spelling, "acme", () => {});
    const c = ex.compile(deleteChunk("logs", sql`timestamp_us < ${123}`, 500));
    assert.equal(c.text, expected);
    assert.deepEqual(c.params, ["acme", 123, 500]);
    assert.equal(countTenantTableRefs(c.text), c.scopedRefs);
  });
}

Deno.test("vacuum: statements per dialect, and none (false) where the dialect has no equivalent", async () => {
  const ran: Record<string, string[]> = {};
  for (const name of ["sqlite", "postgres", "mysql", "sqlserver"] as const) {
    const { db, statements } = capturingDatabase(name);
    const done = await vacuum(db);
    ran[name] = statements.map((s) => s.text);
    assert.equal(done, name !== "sqlserver", name);
  }
  assert.deepEqual(ran, {
    sqlite: ["PRAGMA incremental_vacuum", "PRAGMA wal_checkpoint(TRUNCATE)"],
    postgres: [
      "VACUUM (ANALYZE) spans, traces, logs, trace_keys, resources, span_minutes, trace_minutes, edge_minutes, log_minutes",
    ],
    mysql: [
      "OPTIMIZE TABLE spans, traces, logs, trace_keys, resources, span_minutes, trace_minutes, edge_minutes, log_minutes",
    ],
    sqlserver: [],
  });
});

const NOW_MS = Date.UTC(2030, 0, 15);
const DAY_US = 86_400_000_000;
const OLD_US = NOW_MS * 1000 - 10 * DAY_US;
const NEW_US = NOW_MS * 1000 - 3_600_000_000;

/** `old` traces of 3 spans (one of which starts after the cutoff) and `fresh` traces of 2, plus logs. */
async function seed(
  db: Database,
  tenant: string,
  n: { old: number; fresh: number; oldLogs: number; newLogs: number },
) {
  const repo = new Store(db).forTenant(tenant);
  const spans = [];
  for (let t = 1; t <= n.old; t++) {
    spans.push(span({ trace_id: traceId(t), span_id: spanId(1), start_us: OLD_US + t }));
    spans.push(
      span({ trace_id: traceId(t), span_id: spanId(2), parent_span_id: spanId(1), start_us: OLD_US + t }),
    );
    // Part of an old trace, though it starts after the cutoff: it goes with its trace.
    spans.push(
      span({ trace_id: traceId(t), span_id: spanId(3), parent_span_id: spanId(1), start_us: NEW_US }),
    );
  }
  for (let t = 1; t <= n.fresh; t++) {
    spans.push(span({ trace_id: traceId(1000 + t), span_id: spanId(1), start_us: NEW_US + t }));
    spans.push(span({ trace_id: traceId(1000 + t), span_id: spanId(2), start_us: NEW_US + t }));
  }
  const logs = [];
  for (let i = 1; i <= n.oldLogs; i++) logs.push(log(i, { timestamp_us: OLD_US + i }));
  for (let i = 1; i <= n.newLogs; i++) logs.push(log(10_000 + i, { timestamp_us: NEW_US + i }));
  // Log ids are global: give each tenant its own range.
  const offset = tenant === "acme" ? 0 : 100_000;
  await repo.writeBatch(spans, logs.map((l) => ({ ...l, id: l.id + offset })));
}

/** The minutes each tenant has rollup rows for, in any rollup table. */
async function rollupMinutes(db: Database) {
  const out: Record<string, Set<number>> = {};
  for (const table of Object.keys(ROLLUP_TABLES)) {
    for (const r of await db.driver.query(`SELECT DISTINCT tenant_id, minute_us FROM ${table}`, [])) {
      (out[String(r.tenant_id)] ??= new Set()).add(Number(r.minute_us));
    }
  }
  return Object.fromEntries(Object.entries(out).map(([t, m]) => [t, [...m].sort((a, b) => a - b)]));
}

async function countsByTenant(db: Database) {
  const out: Record<string, { traces: number; spans: number; logs: number }> = {};
  for (const table of ["traces", "spans", "logs"] as const) {
    const rows = await db.driver.query(
      `SELECT tenant_id, COUNT(*) AS n FROM ${table} GROUP BY tenant_id`,
      [],
    );
    for (const r of rows) {
      out[String(r.tenant_id)] ??= { traces: 0, spans: 0, logs: 0 };
      out[String(r.tenant_id)][table] = Number(r.n);
    }
  }
  return out;
}

for (const dialect of liveDialects().run) {
  Deno.test(`chunked purge on ${dialect.name}: everything older than the cutoff across many chunks, nothing newer, one tenant`, async () => {
    const fresh = await dialect.fresh();
    try {
      const db = fresh.db;
      await seed(db, "acme", { old: 11, fresh: 4, oldLogs: 13, newLogs: 5 });
      await seed(db, "other", { old: 2, fresh: 1, oldLogs: 3, newLogs: 1 });
      assert.deepEqual(await listTenants(db), ["acme", "other"]);

      const statements: Compiled[] = [];
      const counts = await purgeTenant(db, "acme", cutoffForDays(7, NOW_MS), {
        chunkRows: 4,
        observe: (c) => statements.push(c),
      });
      assert.deepEqual(counts, { traces_deleted: 11, spans_deleted: 33, logs_deleted: 13 });
      const deletes = statements.filter((s) =>
        s.text.startsWith("DELETE") && !/\b(span|trace|edge|log)_minutes\b/.test(s.text)
      );
      // Trace ids in chunks of 4, 4, 3: their 12, 12, 9 spans take 4, 4, 3 bounded deletes (the last
      // one short), plus one summary delete each; the orphan sweep walks the 8 spans left in two slices
      // of at most 4 keys (one delete each, finding nothing); 13 logs take 4 deletes; the logs' kept
      // trace keys (none: these logs have no trace) and the one resource, seen after the cutoff, take
      // one delete each, finding nothing. A bound the database ignored would empty each set in one
      // statement and change this count.
      assert.equal(deletes.length, 5 + 5 + 4 + 2 + 4 + 1 + 1);
      for (const s of statements) {
        assert.equal(countTenantTableRefs(s.text), s.scopedRefs, s.text);
        assert.ok(s.params.includes("acme"), s.text);
        assert.ok(!s.params.includes("other"), s.text);
      }
      assert.deepEqual(await countsByTenant(db), {
        acme: { traces: 4, spans: 8, logs: 5 },
        other: { traces: 3, spans: 8, logs: 4 },
      });
      // The rollups of whole minutes before the cutoff went too, in every rollup table.
      assert.deepEqual(await rollupMinutes(db), {
        acme: [minuteOf(NEW_US)],
        other: [minuteOf(OLD_US), minuteOf(NEW_US)],
      });
      // Nothing newer went: the fresh traces are whole and their summaries intact.
      const repo = new Store(db).forTenant("acme");
      for (let t = 1; t <= 4; t++) assert.equal((await repo.getTrace(traceId(1000 + t)))?.span_count, 2);
      assert.equal(await repo.getTrace(traceId(1)), undefined);

      // Idempotent: a second pass finds nothing.
      assert.deepEqual(await purgeTenant(db, "acme", cutoffForDays(7, NOW_MS), { chunkRows: 4 }), {
        traces_deleted: 0,
        spans_deleted: 0,
        logs_deleted: 0,
      });
    } finally {
      await fresh.close();
    }
  });
}

Deno.test("an orphan span older than the cutoff (its summary gone) is swept too", async () => {
  const fresh = await liveDialects().run[0].fresh();
  try {
    await seed(fresh.db, "acme", { old: 1, fresh: 1, oldLogs: 0, newLogs: 0 });
    await fresh.db.driver.execute("DELETE FROM traces WHERE trace_id = ?", [traceId(1)]);
    // The sweep goes by trace key: the spans of a trace first stored after the cutoff stay, whenever
    // they started, until their key is that old.
    const keyAt = (ms: number) =>
      fresh.db.driver.execute("UPDATE spans SET trace_key = ? WHERE trace_id = ?", [
        firstIdAt(ms),
        traceId(1),
      ]);
    await keyAt(NOW_MS);
    const early = await purgeTenant(fresh.db, "acme", cutoffForDays(7, NOW_MS), { chunkRows: 1 });
    assert.deepEqual(early, { traces_deleted: 0, spans_deleted: 0, logs_deleted: 0 });
    await keyAt(NOW_MS - 30 * 86_400_000);
    const c = await purgeTenant(fresh.db, "acme", cutoffForDays(7, NOW_MS), { chunkRows: 1 });
    // The two old-start spans go; the third started after the cutoff and, with no summary, is kept.
    assert.deepEqual(c, { traces_deleted: 0, spans_deleted: 2, logs_deleted: 0 });
  } finally {
    await fresh.close();
  }
});

/** A log row stored straight through the driver under trace key `key`. */
function insertLog(db: Database, tenant: string, l: ReturnType<typeof log>, key: number) {
  return insertRaw(db, "logs", ["tenant_id", ...LOG_COLUMNS, "resource_id", "trace_key"], [
    tenant,
    ...LOG_COLUMNS.map((c) => (l as unknown as Record<string, unknown>)[c] ?? ""),
    "",
    key,
  ]);
}

for (const dialect of liveDialects().run) {
  Deno.test(`trace keys of logs on ${dialect.name}: kept while a log uses them, gone after, per tenant`, async () => {
    const fresh = await dialect.fresh();
    try {
      const db = fresh.db;
      const oldKey = firstIdAt(NOW_MS - 30 * 86_400_000);
      const kept: [string, number, number][] = [
        ["acme", 1, oldKey],
        ["acme", 2, oldKey + 1],
        ["acme", 3, firstIdAt(NOW_MS)],
        ["other", 1, oldKey],
      ];
      for (const [tenant, id, key] of kept) {
        await insertRaw(db, "trace_keys", ["tenant_id", "trace_id", "trace_key"], [tenant, traceId(id), key]);
      }
      // Trace 2's key is old but a log stamped after the cutoff still uses it (a long trace, a late
      // log): the key stays, and so does the way to the log.
      const late = log(7, { trace_id: traceId(2), timestamp_us: NEW_US });
      await insertLog(db, "acme", late, oldKey + 1);
      await purgeTenant(db, "acme", cutoffForDays(7, NOW_MS), { chunkRows: 1 });
      const left = await db.driver.query(
        "SELECT tenant_id, trace_id FROM trace_keys ORDER BY tenant_id, trace_id",
        [],
      );
      assert.deepEqual(left.map((r) => [r.tenant_id, r.trace_id]), [
        ["acme", traceId(2)],
        ["acme", traceId(3)],
        ["other", traceId(1)],
      ]);
      assert.deepEqual((await new Store(db).forTenant("acme").getTraceLogs(traceId(2))).map((l) => l.id), [
        7,
      ]);
      // A tenant whose only rows left are trace keys is still found by the retention loop.
      assert.ok((await listTenants(db)).includes("other"));
    } finally {
      await fresh.close();
    }
  });
}

for (const dialect of liveDialects().run) {
  // Not on SQLite: a purge statement there holds the driver's gate and writer lock, so it comes
  // before a batch's reads or after its commit, never between (and this test's purge, started inside
  // the batch, would wait for ever).
  Deno.test({
    name: `a log written while a purge removes its trace's key row stays found, on ${dialect.name}`,
    ignore: dialect.name === "sqlite",
  }, async () => {
    const fresh = await dialect.fresh();
    try {
      const db = fresh.db;
      const T = traceId(0x79);
      const oldKey = firstIdAt(NOW_MS - 30 * 86_400_000);
      await insertRaw(db, "trace_keys", ["tenant_id", "trace_id", "trace_key"], ["a", T, oldKey]);
      const old = log(1, { trace_id: T, timestamp_us: OLD_US });
      await insertLog(db, "a", old, oldKey);
      // The batch reads the trace's row (its key is old, its one log older than the cutoff), then a
      // purge deletes the row as unused, then the batch writes its new log under that key.
      let purged = false;
      let purge: Promise<unknown> | undefined;
      const inner = db.driver;
      const racing: Database = {
        ...db,
        driver: {
          ...inner,
          transaction: (fn) =>
            inner.transaction((tx) => {
              // Every write waits for the purge (which must not wait for them: the rows it would wait
              // on are the ones this transaction holds).
              const beforeWrites = () =>
                purge ??= (purged = true, purgeTenant(db, "a", cutoffForDays(7, NOW_MS)));
              return fn({
                ...tx,
                query: tx.query.bind(tx),
                execute: async (text, params) => {
                  await beforeWrites();
                  return tx.execute(text, params);
                },
                executeEach: tx.executeEach && (async (text, rows) => {
                  await beforeWrites();
                  return tx.executeEach!(text, rows);
                }),
              });
            }),
        },
      };
      await new Repository(racing, "a").writeBatch([], [log(2, { trace_id: T, timestamp_us: NEW_US })]);
      assert.ok(purged, "the purge ran between the batch's reads and writes");
      assert.deepEqual((await new Repository(db, "a").getTraceLogs(T)).map((l) => l.id), [2]);
    } finally {
      await fresh.close();
    }
  });
}

Deno.test("the retention loop purges every tenant; days=0 never schedules; stop() aborts a run between chunks", async () => {
  const fresh = await liveDialects().run[0].fresh();
  try {
    await seed(fresh.db, "acme", { old: 3, fresh: 1, oldLogs: 4, newLogs: 1 });
    await seed(fresh.db, "other", { old: 2, fresh: 1, oldLogs: 2, newLogs: 1 });
    const loop = new Retention(fresh.db, { days: 7, chunkRows: 2 });
    assert.deepEqual(await loop.runOnce(NOW_MS), { traces_deleted: 5, spans_deleted: 15, logs_deleted: 6 });
    assert.equal(loop.stats.runs, 1);
    assert.deepEqual(loop.stats.deleted, { traces: 5, spans: 15, logs: 6 });
    assert.deepEqual(await countsByTenant(fresh.db), {
      acme: { traces: 1, spans: 2, logs: 1 },
      other: { traces: 1, spans: 2, logs: 1 },
    });

    const never = new Retention(fresh.db, { days: 0, firstRunDelayMs: 0 });
    never.start();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(never.stats.runs, 0);
    await never.stop();

    await seed(fresh.db, "acme", { old: 6, fresh: 0, oldLogs: 0, newLogs: 0 });
    const slow = new Retention(fresh.db, { days: 7, chunkRows: 1, pauseMs: 30 });
    const run = slow.runOnce(NOW_MS);
    await new Promise((r) => setTimeout(r, 100));
    await slow.stop();
    await assert.rejects(run, (err: Error) => err.name === "AbortError");
    const left = await countsByTenant(fresh.db);
    assert.ok(left.acme.traces > 1, "the run stopped before it had purged everything");
  } finally {
    await fresh.close();
  }
});

for (const dialect of liveDialects().run) {
  Deno.test(`interrupted analyses on ${dialect.name}: pending logs near the newest become skipped, every tenant`, async () => {
    const fresh = await dialect.fresh();
    try {
      const db = fresh.db;
      assert.equal(await skipInterruptedAnalyses(db), 0, "an empty table");
      const newest = 1_000_000_000_000;
      const id = (minutesBefore: number, n: number) => newest - idsPerMs(minutesBefore * 60_000) + n;
      const pending = { severity_number: 17, severity: "ERROR" };
      await new Store(db).forTenant("acme").writeBatch([], [
        { ...log(id(30, 1), pending), ai_status: "pending" }, // older than the window: left as it is
        { ...log(id(5, 2), pending), ai_status: "pending" },
        { ...log(id(4, 3), pending), ai_status: "done", ai_insight: "known" },
        { ...log(id(0, 0)), ai_status: "none" },
      ]);
      await new Store(db).forTenant("other").writeBatch([], [
        { ...log(id(1, 4), pending), ai_status: "pending" },
      ]);
      assert.equal(await skipInterruptedAnalyses(db, 10 * 60_000), 2);
      const acme = new Store(db).forTenant("acme");
      assert.equal((await acme.getLog(id(30, 1)))?.ai_status, "pending");
      assert.equal((await acme.getLog(id(5, 2)))?.ai_status, "skipped");
      assert.deepEqual(
        [(await acme.getLog(id(4, 3)))?.ai_status, (await acme.getLog(id(4, 3)))?.ai_insight],
        ["done", "known"],
      );
      assert.equal((await acme.getLog(id(0, 0)))?.ai_status, "none");
      assert.equal((await new Store(db).forTenant("other").getLog(id(1, 4)))?.ai_status, "skipped");
      assert.equal(await skipInterruptedAnalyses(db, 10 * 60_000), 0, "nothing left to change");
    } finally {
      await fresh.close();
    }
  });
}

for (const dialect of liveDialects().run) {
  Deno.test(`listTenants on ${dialect.name}: tenants of traces, of logs and of resources, one index seek per tenant`, async () => {
    const fresh = await dialect.fresh();
    try {
      const db = fresh.db;
      assert.deepEqual(await listTenants(db), []);
      await new Store(db).forTenant("only-traces").writeBatch([span({ trace_id: traceId(1) })], []);
      await new Store(db).forTenant("only-logs").writeBatch([], [log(1), log(2)]);
      await new Store(db).forTenant("both").writeBatch([span({ trace_id: traceId(2) })], [log(3)]);
      // Resources left behind by a purge cut short after the logs: the next purge must find the tenant.
      await new Store(db).forTenant("only-resources").writeBatch([], [log(4)]);
      await db.driver.execute("DELETE FROM logs WHERE tenant_id = 'only-resources'", []);
      let statements = 0;
      const counting: Database = {
        ...db,
        driver: { ...db.driver, query: (text, params) => (statements++, db.driver.query(text, params)) },
      };
      assert.deepEqual(await listTenants(counting), ["both", "only-logs", "only-resources", "only-traces"]);
      // Per table: one seek per tenant and one that finds none after the last (trace_keys: none,
      // these logs have no trace).
      assert.equal(statements, (2 + 1) + (2 + 1) + (4 + 1) + (0 + 1));
    } finally {
      await fresh.close();
    }
  });
}

for (const dialect of liveDialects().run) {
  Deno.test(`purge on ${dialect.name}: resources last seen before the cutoff go, the others and other tenants' stay`, async () => {
    const fresh = await dialect.fresh();
    try {
      const db = fresh.db;
      const resource = (name: string) => JSON.stringify({ "service.name": name, "host.name": "h1" });
      const write = (tenant: string) =>
        new Store(db).forTenant(tenant).writeBatch([
          span({ trace_id: traceId(1), start_us: OLD_US, resource_attributes: resource("old") }),
          span({ trace_id: traceId(2), start_us: NEW_US, resource_attributes: resource("new") }),
          // Seen by an old span and a fresh log: last seen after the cutoff.
          span({ trace_id: traceId(3), start_us: OLD_US, resource_attributes: resource("both") }),
        ], [
          // Log ids are global: each tenant gets its own.
          log(tenant === "acme" ? 1 : 2, { timestamp_us: NEW_US, resource_attributes: resource("both") }),
          log(tenant === "acme" ? 3 : 4, { timestamp_us: OLD_US, resource_attributes: resource("old-log") }),
        ]);
      await write("acme");
      await write("other");
      const names = async (tenant: string) =>
        (await db.driver.query(
          `SELECT attributes FROM resources WHERE tenant_id = ${db.spelling.placeholder(1)}`,
          [tenant],
        ))
          .map((r) => JSON.parse(String(r.attributes))["service.name"]).sort();
      assert.deepEqual(await names("acme"), ["both", "new", "old", "old-log"]);

      await purgeTenant(db, "acme", cutoffForDays(7, NOW_MS), { chunkRows: 1 });
      assert.deepEqual(await names("acme"), ["both", "new"]);
      assert.deepEqual(await names("other"), ["both", "new", "old", "old-log"]);
      // What is left still reads its resource.
      const acme = new Store(db).forTenant("acme");
      assert.equal((await acme.getSpans(traceId(2)))[0].resource_attributes, resource("new"));
      assert.equal((await acme.getLog(1))?.resource_attributes, resource("both"));
      assert.equal(
        (await new Store(db).forTenant("other").getSpans(traceId(1)))[0].resource_attributes,
        resource("old"),
      );
    } finally {
      await fresh.close();
    }
  });
}

const postgres = liveDialects().run.find((d) => d.name === "postgres");
Deno.test({
  name:
    "PostgreSQL: the purge of unused trace keys probes the logs' key index per key, not a join over every log",
  ignore: postgres === undefined,
}, async () => {
  const fresh = await postgres!.fresh();
  try {
    const db = fresh.db;
    const oldKey = firstIdAt(NOW_MS - 30 * 86_400_000);
    // 3,000 old keys, each used by 20 logs stamped after the cutoff (they stay): 60,000 logs.
    await db.driver.execute(
      `INSERT INTO trace_keys (tenant_id, trace_id, trace_key)
       SELECT 'acme', lpad(to_hex(g), 32, '0'), $1::bigint + g FROM generate_series(1, 3000) g`,
      [oldKey],
    );
    await db.driver.execute(
      `INSERT INTO logs (id, tenant_id, timestamp_us, trace_id, severity_number, severity, body, service_name, trace_key)
       SELECT g, 'acme', $1::bigint + g, lpad(to_hex(1 + g % 3000), 32, '0'), 9, 'INFO', 'log ' || g, 'svc',
              $2::bigint + 1 + g % 3000
       FROM generate_series(1, 60000) g`,
      [NEW_US, oldKey],
    );
    await db.driver.execute("ANALYZE logs, trace_keys", []);
    const statements: Compiled[] = [];
    await purgeTenant(db, "acme", cutoffForDays(7, NOW_MS), { observe: (c) => statements.push(c) });
    const keysDelete = statements.find((c) => c.text.startsWith("DELETE FROM trace_keys"));
    assert.ok(keysDelete, statements.map((c) => c.text).join("\n"));
    const plan = (await db.driver.query(`EXPLAIN ${keysDelete.text}`, keysDelete.params))
      .map((r) => String(r["QUERY PLAN"])).join("\n");
    assert.doesNotMatch(plan, /Seq Scan on logs|Anti Join/, plan);
    assert.match(plan, /Index (Only )?Scan using logs_tenant_trace_key_time/, plan);
    // Every key is still used: none went.
    assert.equal(Number((await db.driver.query("SELECT COUNT(*) AS n FROM trace_keys", []))[0].n), 3000);
  } finally {
    await fresh.close();
  }
});
