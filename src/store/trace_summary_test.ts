import assert from "node:assert/strict";
import { mergeTraceSummary } from "./trace_summary.ts";
import { span, spanId } from "../../tests/support/fixtures.ts";

const T0 = 1_700_000_000_000_000;
const root = span({ span_id: spanId(1), name: "root", start_us: T0, end_us: T0 + 100 });
const early = span({
  span_id: spanId(2),
  parent_span_id: spanId(1),
  name: "early",
  start_us: T0 - 10,
  end_us: T0 + 20,
});
const late = span({
  span_id: spanId(3),
  parent_span_id: spanId(1),
  name: "late",
  service_name: "db",
  start_us: T0 + 50,
  end_us: T0 + 500,
  status_code: "ERROR",
});

function fold(batches: (typeof root)[][]) {
  let s: ReturnType<typeof mergeTraceSummary> | undefined;
  for (const b of batches) s = mergeTraceSummary(s, b);
  return s!;
}

Deno.test("every arrival order gives the same summary", () => {
  const orders = [
    [[root], [early], [late]],
    [[late], [early], [root]],
    [[early, late], [root]],
    [[late, root, early]],
    [[early], [root, late]],
  ];
  const results = orders.map(fold);
  for (const r of results) assert.deepEqual(r, results[0]);
  assert.equal(results[0].name, "root");
  assert.equal(results[0].start_us, T0 - 10);
  assert.equal(results[0].duration_us, 510);
  assert.equal(results[0].status, "ERROR");
  assert.equal(results[0].span_count, 3);
  assert.deepEqual(results[0].services, ["db", "frontend"]);
});

Deno.test("without a root the earliest span names the trace, ties by span id", () => {
  const a = span({ span_id: spanId(9), parent_span_id: spanId(1), name: "a", start_us: T0 });
  const b = span({ span_id: spanId(8), parent_span_id: spanId(1), name: "b", start_us: T0 });
  assert.equal(mergeTraceSummary(undefined, [a, b]).name, "b");
  assert.equal(mergeTraceSummary(undefined, [b, a]).name, "b");
  assert.equal(mergeTraceSummary(undefined, [a, b]).root_span_id, "");
});
