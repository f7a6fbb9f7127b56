/**
 * The benchmark's payloads are what they claim: 512 items of 10 attributes in
 * resources of 5, every re-sent copy with new random trace ids (so nothing is
 * skipped as a duplicate), and the options parse as documented.
 */

import assert from "node:assert/strict";
import {
  logsTemplate,
  spanBatch,
  stamp,
  templateLogRows,
  templateSpanRows,
  tracesTemplate,
} from "./payload.ts";
import { parseBenchArgs } from "./bench.ts";
import { percentile } from "./stats.ts";

Deno.test("trace payloads: 512 spans, 10 attributes, 5 resource attributes, fresh trace ids per copy", () => {
  const t = tracesTemplate(Date.UTC(2024, 0, 1));
  const state = new Uint32Array([42]);
  const a = templateSpanRows({ ...t, bytes: stamp(t, state) });
  const b = templateSpanRows({ ...t, bytes: stamp(t, state) });
  assert.equal(a.length, 512);
  assert.equal(Object.keys(JSON.parse(a[0].attributes)).length, 10);
  assert.equal(Object.keys(JSON.parse(a[0].resource_attributes)).length, 5);
  const idsA = new Set(a.map((s) => s.trace_id));
  assert.equal(idsA.size, 64);
  assert.ok(b.every((s) => !idsA.has(s.trace_id)));
  // Spans of one trace keep their chain across the 8 services.
  const trace = a.filter((s) => s.trace_id === a[0].trace_id);
  assert.equal(new Set(trace.map((s) => s.service_name)).size, 8);
  assert.equal(trace.filter((s) => s.parent_span_id === "").length, 1);
  assert.ok(t.bytes.length / 512 > 350 && t.bytes.length / 512 < 600, `${t.bytes.length / 512} B/span`);

  // A stamp moves every start and end by the shift, and nothing else.
  const later = templateSpanRows({ ...t, bytes: stamp(t, new Uint32Array([42]), 5_000_000_000n) });
  assert.deepEqual(
    later.map((s) => ({ ...s, start_us: s.start_us - 5_000_000, end_us: s.end_us - 5_000_000 })),
    a,
  );

  const batch = spanBatch(a, 2000, 1_000_000, 10, state);
  assert.equal(batch.length, 2000);
  // 3 whole copies of the 64 traces and part of a 4th that touches all 64 again.
  assert.equal(new Set(batch.map((s) => s.trace_id)).size, 4 * 64);
});

Deno.test("log payloads: 512 records with trace context and 10 attributes", () => {
  const t = logsTemplate(Date.UTC(2024, 0, 1));
  const rows = templateLogRows(t);
  assert.equal(rows.length, 512);
  const state = new Uint32Array([9]);
  const a = templateLogRows({ ...t, bytes: stamp(t, state) });
  const later = templateLogRows({ ...t, bytes: stamp(t, new Uint32Array([9]), 2_000_000_000n) });
  assert.deepEqual(later.map((l) => ({ ...l, timestamp_us: l.timestamp_us - 2_000_000 })), a);
  assert.ok(a.every((l, i) => l.trace_id !== rows[i].trace_id));
  assert.ok(rows.every((l) => /^[0-9a-f]{32}$/.test(l.trace_id) && l.span_id.length === 16));
  assert.equal(Object.keys(JSON.parse(rows[0].attributes)).length, 10);
  assert.ok(rows.some((l) => l.severity === "ERROR"));
});

Deno.test("bench options and percentiles", () => {
  const a = parseBenchArgs([
    "--duration",
    "15s",
    "--sizes",
    "1m,10m",
    "--db=postgres",
    "--only",
    "ingest,ws",
  ]);
  assert.equal(a.durationS, 15);
  assert.deepEqual(a.sizes, [1_000_000, 10_000_000]);
  assert.equal(a.db, "postgres");
  assert.deepEqual([...a.only], ["ingest", "ws"]);
  assert.equal(parseBenchArgs(["--duration", "90"]).durationS, 90);
  assert.deepEqual(parseBenchArgs(["--spans", "250k"]).sizes, [250_000]);
  assert.throws(() => parseBenchArgs(["--db", "oracle"]), /--db "oracle"/);
  assert.throws(() => parseBenchArgs(["--sizes", "lots"]), /--sizes "lots"/);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
  assert.equal(percentile([], 0.95), 0);
});
