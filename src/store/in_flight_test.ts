import assert from "node:assert/strict";
import { sqliteLive } from "../../tests/support/databases.ts";
import { log, span, spanId, traceId } from "../../tests/support/fixtures.ts";
import { Repository } from "./repository.ts";
import { serviceMap } from "./metric_queries.ts";
import type { SpanRow } from "./rows.ts";

const T0 = 1_700_000_000_000_000;

/** Spans of other traces: enough that their batch is still executing when the next one is read. */
const filler = (from: number): SpanRow[] =>
  Array.from(
    { length: 20_000 },
    (_, i) => span({ trace_id: traceId(from + i), span_id: spanId(1), start_us: T0 }),
  );

Deno.test("pipelined batches: the next batch sees the spans, summary, edge and log ids of the one in flight", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    assert.equal(fresh.db.driver.pipelinesWrites, true);
    const repo = new Repository(fresh.db, "acme");
    const t = traceId(7);
    const root = span({ trace_id: t, span_id: spanId(1), start_us: T0 });
    const child = span({
      trace_id: t,
      span_id: spanId(2),
      parent_span_id: spanId(1),
      service_name: "db",
      resource_attributes: '{"service.name":"db"}',
      start_us: T0 + 10,
    });
    // Both at once: the second is read while the first executes. It resends the root and the log.
    const [first, second] = await Promise.all([
      repo.writeBatch([...filler(1_000_000), root], [log(5)]),
      repo.writeBatch([root, child], [log(5)]),
    ]);
    assert.equal(first.duplicateSpans, 0);
    assert.equal(second.duplicateSpans, 1);
    assert.equal(second.duplicateLogs, 1);
    assert.deepEqual(second.spans, [child]);
    const summary = await repo.getTrace(t);
    assert.equal(summary?.span_count, 2);
    assert.deepEqual(summary?.services, ["db", "frontend"]);
    assert.deepEqual(await repo.getSpans(t), [root, child]);
    // The edge is counted once, by the batch that stored its second span.
    const map = await serviceMap(repo, { startUs: T0 - 60e6, endUs: T0 + 60e6, services: [] });
    assert.deepEqual(map.edges.map((e) => [e.source, e.target, e.call_count]), [["frontend", "db", 1]]);
  } finally {
    await fresh.close();
  }
});

Deno.test("pipelined batches: when the batch in flight fails, the next is read again without it", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    const repo = new Repository(fresh.db, "acme");
    const t = traceId(8);
    const lost = span({ trace_id: t, span_id: spanId(1), start_us: T0 });
    const kept = span({ trace_id: t, span_id: spanId(2), parent_span_id: spanId(1), start_us: T0 + 10 });
    const [first, second] = await Promise.allSettled([
      // NaN is not storable as an integer: the first batch fails inside its transaction.
      repo.writeBatch([...filler(2_000_000), lost], [log(6, { severity_number: NaN })]),
      repo.writeBatch([kept], []),
    ]);
    assert.equal(first.status, "rejected");
    assert.equal(second.status, "fulfilled");
    const summary = await repo.getTrace(t);
    assert.equal(summary?.span_count, 1);
    assert.equal(summary?.start_us, kept.start_us);
    assert.deepEqual(await repo.getSpans(t), [kept]);
  } finally {
    await fresh.close();
  }
});
