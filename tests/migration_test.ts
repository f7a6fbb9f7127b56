/**
 * Migrations applied to a database that already holds data, on every live
 * dialect: the database is migrated up to the version before, filled the way
 * Argus wrote it then, and migrated the rest of the way.
 */

import assert from "node:assert/strict";
import type { Database } from "../src/db/contract.ts";
import { migrate } from "../src/db/migrate.ts";
import { purgeTenant } from "../src/store/retention.ts";
import { LOG_COLUMNS, Repository, SPAN_COLUMNS, TRACE_COLUMNS } from "../src/store/repository.ts";
import { mergeTraceSummary } from "../src/store/trace_summary.ts";
import type { SpanRow } from "../src/store/rows.ts";
import { insertRaw, liveDialects } from "./support/databases.ts";
import { log, span, spanId, traceId } from "./support/fixtures.ts";

const T0 = 1_700_000_000_000_000;

/** Spans as stored before migration 0006 (no trace key), with their summary unless `orphan`. */
async function insertBefore0006(db: Database, tenant: string, spans: SpanRow[], orphan = false) {
  for (const s of spans) {
    await insertRaw(db, "spans", ["tenant_id", ...SPAN_COLUMNS, "resource_id"], [
      tenant,
      ...SPAN_COLUMNS.map((c) => s[c]),
      "",
    ]);
  }
  if (orphan) return;
  const t = mergeTraceSummary(undefined, spans);
  await insertRaw(db, "traces", ["tenant_id", ...TRACE_COLUMNS], [
    tenant,
    ...TRACE_COLUMNS.map((c) => c === "services" ? JSON.stringify(t.services) : t[c]),
  ]);
}

const { run, skipped } = liveDialects();
for (const s of skipped) console.log(`migration tests skipped on ${s.name}: ${s.reason}`);

for (const dialect of run) {
  Deno.test(`migration 0006 keys the spans stored before it, on ${dialect.name}`, async () => {
    const { db, close } = await dialect.fresh(5);
    try {
      const a = traceId(0xa1), b = traceId(0xb2), gone = traceId(0xc3);
      const aSpans = [
        span({ trace_id: a, span_id: spanId(1), start_us: T0 }),
        span({ trace_id: a, span_id: spanId(2), parent_span_id: spanId(1), start_us: T0 + 5 }),
      ];
      // The same span id in another trace and tenant: the new unique index is per trace.
      const bSpan = span({ trace_id: b, span_id: spanId(1), start_us: T0 + 10, service_name: "billing" });
      await insertBefore0006(db, "acme", aSpans);
      await insertBefore0006(db, "acme", [bSpan]);
      await insertBefore0006(db, "other", [{ ...bSpan, trace_id: a }]);
      await insertBefore0006(db, "acme", [span({ trace_id: gone, span_id: spanId(9) })], true);

      assert.deepEqual((await migrate(db)).filter((v) => v <= 6), [6]);

      const repo = new Repository(db, "acme");
      assert.deepEqual(await repo.getSpans(a), aSpans);
      assert.deepEqual(await repo.getSpans(b), [bSpan]);
      assert.deepEqual(await new Repository(db, "other").getSpans(a), [{ ...bSpan, trace_id: a }]);
      // A span without a summary could not be reached before and is gone.
      const orphans = await db.driver.query(
        `SELECT COUNT(*) AS n FROM spans WHERE trace_id = ${db.spelling.placeholder(1)}`,
        [gone],
      );
      assert.equal(Number(orphans[0].n), 0);
      const keys = await db.driver.query("SELECT tenant_id, trace_id, trace_key FROM traces", []);
      const oldKeys = keys.map((k) => Number(k.trace_key));
      assert.equal(new Set(oldKeys).size, 3, "every old trace has a key of its own");
      assert.ok(oldKeys.every((k) => k > 0));

      const late0 = span({ trace_id: a, span_id: spanId(3), parent_span_id: spanId(1), start_us: T0 + 7 });
      // Spans are unique on (tenant, trace key, span id) now, not on (tenant, trace id, span id)...
      const [aKey] = await db.driver.query(
        `SELECT trace_key FROM traces WHERE tenant_id = 'acme' AND trace_id = ${db.spelling.placeholder(1)}`,
        [a],
      );
      const spanColumns = ["tenant_id", ...SPAN_COLUMNS, "resource_id", "trace_key"];
      const spanValues = (s: SpanRow, key: number) => ["acme", ...SPAN_COLUMNS.map((c) => s[c]), "", key];
      await assert.rejects(
        insertRaw(
          db,
          "spans",
          spanColumns,
          spanValues({ ...aSpans[0], trace_id: traceId(0xee) }, Number(aKey.trace_key)),
        ),
      );
      await insertRaw(db, "spans", spanColumns, spanValues(aSpans[0], 999_999));
      await db.driver.execute("DELETE FROM spans WHERE trace_key = 999999", []);
      // ...and the key has no default: a writer that leaves it out fails instead of storing a span
      // that no trace can reach.
      await assert.rejects(
        insertRaw(db, "spans", ["tenant_id", ...SPAN_COLUMNS, "resource_id"], [
          "acme",
          ...SPAN_COLUMNS.map((c) => late0[c]),
          "",
        ]),
      );

      // The spans stored before are found by their key: a resend is a duplicate, a new span is folded in.
      const late = late0;
      const result = await repo.writeBatch([aSpans[0], late], []);
      assert.equal(result.duplicateSpans, 1);
      assert.equal((await repo.getTrace(a))?.span_count, 3);
      assert.deepEqual(await repo.getSpans(a), [aSpans[0], aSpans[1], late]);

      // A trace first stored now gets a key above every key the migration gave.
      const fresh = traceId(0xd4);
      await repo.writeBatch([span({ trace_id: fresh, span_id: spanId(1) })], []);
      const [row] = await db.driver.query(
        `SELECT trace_key FROM traces WHERE trace_id = ${db.spelling.placeholder(1)}`,
        [fresh],
      );
      assert.ok(Number(row.trace_key) > Math.max(...oldKeys));
    } finally {
      await close();
    }
  });
}

for (const dialect of run) {
  Deno.test(`migration 0007 keys the logs stored before it, on ${dialect.name}`, async () => {
    const { db, close } = await dialect.fresh(6);
    try {
      const withSpans = traceId(0xa1), logsOnly = traceId(0xb2);
      const repo = new Repository(db, "acme");
      // A trace with a summary, as 0006 left it (the batch writer of this version reads trace_keys).
      const s = span({ trace_id: withSpans, span_id: spanId(1), start_us: T0 });
      await insertRaw(db, "spans", ["tenant_id", ...SPAN_COLUMNS, "resource_id", "trace_key"], [
        "acme",
        ...SPAN_COLUMNS.map((c) => s[c]),
        "",
        5,
      ]);
      const summary0 = mergeTraceSummary(undefined, [s]);
      await insertRaw(db, "traces", ["tenant_id", ...TRACE_COLUMNS, "trace_key"], [
        "acme",
        ...TRACE_COLUMNS.map((c) => c === "services" ? JSON.stringify(summary0.services) : summary0[c]),
        5,
      ]);
      const before = [
        log(701, { trace_id: withSpans }),
        log(702, { trace_id: logsOnly }),
        log(703, { trace_id: logsOnly }),
        log(704),
      ];
      // As Argus stored logs before 0007: no trace key; the same trace id in another tenant too.
      const stored = [
        ...before.map((l) => ["acme", l] as const),
        ["other", log(705, { trace_id: logsOnly })] as const,
      ];
      for (const [tenant, l] of stored) {
        await insertRaw(db, "logs", ["tenant_id", ...LOG_COLUMNS, "resource_id"], [
          tenant,
          ...LOG_COLUMNS.map((c) => (l as unknown as Record<string, unknown>)[c] ?? ""),
          "",
        ]);
      }

      assert.deepEqual((await migrate(db)).filter((v) => v <= 7), [7]);

      // A purge right after the upgrade keeps every key a remaining log uses, however small.
      await purgeTenant(db, "acme", T0 - 86_400_000_000);
      const ids = async (r: Repository, t: string) => (await r.getTraceLogs(t)).map((l) => l.id);
      assert.deepEqual(await ids(repo, withSpans), [701]);
      assert.deepEqual(await ids(repo, logsOnly), [702, 703]);
      assert.deepEqual(await ids(new Repository(db, "other"), logsOnly), [705]);
      // One row per trace with logs, per tenant: the summary's key, or one after the highest given.
      const keys = await db.driver.query("SELECT tenant_id, trace_id, trace_key FROM trace_keys", []);
      assert.equal(keys.length, 3);
      assert.equal(Number(keys.find((k) => k.trace_id === withSpans)?.trace_key), 5);
      const logOnlyKeys = keys.filter((k) => k.trace_id === logsOnly).map((k) => Number(k.trace_key));
      assert.ok(logOnlyKeys.every((k) => k > 5), "keys after the highest");
      assert.notEqual(logOnlyKeys[0], logOnlyKeys[1]);
      const [noTrace] = await db.driver.query("SELECT trace_key FROM logs WHERE id = 704", []);
      assert.equal(noTrace.trace_key, null, "a log without a trace has no key");

      // The trace's spans, arriving now, take the key its logs were given; new logs join them.
      await repo.writeBatch([span({ trace_id: logsOnly, span_id: spanId(1), start_us: T0 })], [
        log(706, { trace_id: logsOnly }),
      ]);
      assert.deepEqual(await ids(repo, logsOnly), [702, 703, 706]);
      const [t] = await db.driver.query(
        `SELECT trace_key FROM traces WHERE tenant_id = 'acme' AND trace_id = ${db.spelling.placeholder(1)}`,
        [logsOnly],
      );
      const acmeKey = keys.find((k) => k.tenant_id === "acme" && k.trace_id === logsOnly)!;
      assert.equal(Number(t.trace_key), Number(acmeKey.trace_key));
    } finally {
      await close();
    }
  });
}

for (const dialect of run.filter((d) => d.name === "mysql")) {
  // MySQL commits each DDL statement at once: a migration stopped halfway has left some of its
  // changes, and the next start must finish it rather than fail on them.
  Deno.test(`migrations 0008 and 0009 finish after an interruption, on ${dialect.name}`, async () => {
    const { db, close } = await dialect.fresh(7);
    try {
      for (
        const stmt of [
          "ALTER TABLE logs ADD INDEX logs_tenant_time_level (tenant_id, timestamp_us, severity_number)",
          "ALTER TABLE logs DROP INDEX logs_tenant_time",
          "ALTER TABLE traces ADD COLUMN attr_bloom_0 BIGINT NULL",
        ]
      ) await db.driver.execute(stmt, []);
      assert.deepEqual(await migrate(db), [8, 9]);
      const names = async (sql: string) => (await db.driver.query(sql, [])).map((r) => String(r.n)).sort();
      assert.deepEqual(
        await names(
          "SELECT DISTINCT index_name AS n FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'logs' AND index_name LIKE 'logs_tenant%time%'",
        ),
        ["logs_tenant_service_time_level", "logs_tenant_time_level", "logs_tenant_trace_key_time"],
      );
      assert.deepEqual(
        await names(
          "SELECT column_name AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name LIKE 'attr_bloom_%'",
        ),
        Array.from({ length: 8 }, (_, i) => `attr_bloom_${i}`),
      );
    } finally {
      await close();
    }
  });
}
