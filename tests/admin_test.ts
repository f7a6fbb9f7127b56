/**
 * The admin routes on a running Argus, on every live dialect: a purge removes
 * exactly the request tenant's old traces, spans and logs and says how many;
 * vacuum answers; a bad `days` is a 400 naming it; the DLQ can be listed and
 * replayed with real files.
 */

import assert from "node:assert/strict";
import type { Database } from "../src/db/contract.ts";
import { liveDialects } from "./support/databases.ts";
import { startTestArgus, type TestArgus } from "./support/argus.ts";
import { log, span, spanId, traceId } from "./support/fixtures.ts";

const DAY_US = 86_400_000_000;

/** Per tenant: two old traces (one with a span that starts after the cutoff), one recent; 4 old and 3 recent logs. */
async function seed(t: TestArgus, tenant: string, logIdBase: number) {
  const now = Date.now() * 1000;
  const old = now - 10 * DAY_US;
  const recent = now - 3_600_000_000;
  await t.argus.store.forTenant(tenant).writeBatch(
    [
      span({ trace_id: traceId(1), span_id: spanId(1), start_us: old }),
      span({ trace_id: traceId(1), span_id: spanId(2), parent_span_id: spanId(1), start_us: old + 5 }),
      span({ trace_id: traceId(1), span_id: spanId(3), parent_span_id: spanId(1), start_us: recent }),
      span({ trace_id: traceId(2), span_id: spanId(1), start_us: old + 100 }),
      span({ trace_id: traceId(2), span_id: spanId(2), parent_span_id: spanId(1), start_us: old + 200 }),
      span({ trace_id: traceId(3), span_id: spanId(1), start_us: recent }),
      span({ trace_id: traceId(3), span_id: spanId(2), parent_span_id: spanId(1), start_us: recent + 1 }),
    ],
    [
      ...[1, 2, 3, 4].map((i) => log(logIdBase + i, { timestamp_us: old + i })),
      ...[5, 6, 7].map((i) => log(logIdBase + i, { timestamp_us: recent + i })),
    ],
  );
}

async function counts(db: Database, tenant: string) {
  const out: Record<string, number> = {};
  for (const table of ["traces", "spans", "logs"]) {
    const sqlText = `SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ${db.spelling.placeholder(1)}`;
    const [r] = await db.driver.query(sqlText, [tenant]);
    out[table] = Number(r.n);
  }
  return out;
}

function purge(t: TestArgus, query: string, tenant?: string) {
  return fetch(`${t.http}/api/admin/purge${query}`, {
    method: "DELETE",
    headers: tenant ? { "X-Scope-OrgID": tenant } : {},
  });
}

for (const dialect of liveDialects().run) {
  Deno.test(`admin on ${dialect.name}: purge by days for one tenant, vacuum, bad days`, async () => {
    const t = await startTestArgus({}, dialect);
    try {
      const db = t.argus.store.db;
      await seed(t, "acme", 1000);
      await seed(t, "other", 2000);

      const res = await purge(t, "?days=7", "acme");
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { traces_deleted: 2, spans_deleted: 5, logs_deleted: 4 });
      assert.deepEqual(await counts(db, "acme"), { traces: 1, spans: 2, logs: 3 });
      // Another tenant's old data stays.
      assert.deepEqual(await counts(db, "other"), { traces: 3, spans: 7, logs: 7 });
      const repo = t.argus.store.forTenant("acme");
      assert.equal(await repo.getTrace(traceId(1)), undefined);
      assert.equal((await repo.getTrace(traceId(3)))?.span_count, 2);

      const again = await purge(t, "?days=7", "acme");
      assert.deepEqual(await again.json(), { traces_deleted: 0, spans_deleted: 0, logs_deleted: 0 });
      // No header: the default tenant, which has nothing.
      assert.deepEqual(await (await purge(t, "?days=0")).json(), {
        traces_deleted: 0,
        spans_deleted: 0,
        logs_deleted: 0,
      });
      // days=0 keeps nothing older than now.
      assert.deepEqual(await (await purge(t, "?days=0", "other")).json(), {
        traces_deleted: 3,
        spans_deleted: 7,
        logs_deleted: 7,
      });

      const vacuum = await fetch(`${t.http}/api/admin/vacuum`, { method: "POST" });
      assert.equal(vacuum.status, 200);
      assert.deepEqual(await vacuum.json(), { status: "vacuumed" });
      // The database still works after it.
      assert.deepEqual(await counts(db, "acme"), { traces: 1, spans: 2, logs: 3 });

      for (const q of ["", "?days=", "?days=abc", "?days=-1", "?days=1.5", "?days=1e3", "?days=99999"]) {
        const bad = await purge(t, q, "acme");
        assert.equal(bad.status, 400, q);
        assert.match(bad.headers.get("content-type") ?? "", /application\/json/);
        assert.match((await bad.json()).error, /"days"/, q);
      }
      const badTenant = await purge(t, "?days=1", "../etc");
      assert.equal(badTenant.status, 400);
      assert.match((await badTenant.json()).error, /X-Scope-OrgID/);
      const wrongMethod = await fetch(`${t.http}/api/admin/purge?days=1`);
      assert.equal(wrongMethod.status, 405);
      await wrongMethod.body?.cancel();
      assert.deepEqual(await counts(db, "acme"), { traces: 1, spans: 2, logs: 3 });
    } finally {
      await t.stop();
    }
  });
}

Deno.test("admin DLQ: list files with size, age and attempts; replay stores them and empties the list", async () => {
  const t = await startTestArgus();
  try {
    const empty = await (await fetch(`${t.http}/api/admin/dlq`)).json();
    assert.deepEqual(empty, { data: [], total: 0, bytes: 0, failed: 0 });

    const name = await t.argus.dlq.write({
      tenant: "acme",
      spans: [span({ trace_id: traceId(42), span_id: spanId(1), start_us: Date.now() * 1000 })],
      logs: [log(9001, { timestamp_us: Date.now() * 1000 })],
    });
    await Deno.writeTextFile(`${t.argus.dlq.dir}/batch_9999999999999999999_000001.json`, "{not json");

    const listed = await (await fetch(`${t.http}/api/admin/dlq`)).json();
    assert.equal(listed.total, 2);
    assert.equal(listed.failed, 0);
    const entry = listed.data.find((e: { name: string }) => e.name === name);
    assert.ok(entry, `${name} is listed`);
    assert.ok(entry.size_bytes > 100);
    assert.equal(entry.attempts, 0);
    assert.ok(Number.isInteger(entry.age_s) && entry.age_s >= 0);
    assert.equal(
      listed.bytes,
      listed.data.reduce((n: number, e: { size_bytes: number }) => n + e.size_bytes, 0),
    );

    const replay = await fetch(`${t.http}/api/admin/dlq/replay`, { method: "POST" });
    assert.equal(replay.status, 200);
    assert.deepEqual(await replay.json(), { replayed: 1, quarantined: 1, remaining: 0 });

    const after = await (await fetch(`${t.http}/api/admin/dlq`)).json();
    assert.deepEqual(after, { data: [], total: 0, bytes: 0, failed: 1 });
    const repo = t.argus.store.forTenant("acme");
    assert.equal((await repo.getTrace(traceId(42)))?.span_count, 1);
    assert.equal((await repo.getLog(9001))?.body, "log 9001");
  } finally {
    await t.stop();
  }
});
