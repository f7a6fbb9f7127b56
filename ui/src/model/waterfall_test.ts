import assert from "node:assert/strict";
import {
  buildWaterfall,
  criticalPath,
  segmentsBySpan,
  ticks,
  type TimedSpan,
  visibleRows,
} from "./waterfall.ts";

const s = (spanId: string, parentSpanId: string, startUs: number, endUs: number): TimedSpan => ({
  spanId,
  parentSpanId,
  startUs,
  endUs,
});

//  root [0,100]
//  ├─ a [10,40]
//  │   └─ a1 [15,35]
//  └─ b [50,90]
const tree = [s("b", "root", 50, 90), s("a1", "a", 15, 35), s("root", "", 0, 100), s("a", "root", 10, 40)];

Deno.test("buildWaterfall orders depth-first with siblings by start and places bars", () => {
  const layout = buildWaterfall(tree);
  assert.deepEqual(layout.rows.map((r) => [r.span.spanId, r.depth, r.childCount]), [
    ["root", 0, 2],
    ["a", 1, 1],
    ["a1", 2, 0],
    ["b", 1, 0],
  ]);
  assert.equal(layout.durationUs, 100);
  assert.equal(layout.maxDepth, 2);
  const b = layout.rows[3];
  assert.equal(b.offset, 0.5);
  assert.equal(b.width, 0.4);
});

Deno.test("buildWaterfall keeps orphans and spans caught in a parent cycle", () => {
  const layout = buildWaterfall([
    s("root", "", 0, 10),
    s("lost", "missing-parent", 2, 4),
    s("x", "y", 5, 6),
    s("y", "x", 5, 7),
  ]);
  const ids = layout.rows.map((r) => r.span.spanId);
  assert.equal(ids.length, 4);
  assert.deepEqual(new Set(ids), new Set(["root", "lost", "x", "y"]));
  assert.equal(layout.rows.find((r) => r.span.spanId === "lost")?.orphan, true);
  assert.equal(layout.rows.find((r) => r.span.spanId === "root")?.orphan, false);
});

Deno.test("buildWaterfall handles an empty trace and an instant trace", () => {
  assert.deepEqual(buildWaterfall([]).rows, []);
  const layout = buildWaterfall([s("only", "", 5, 5)]);
  assert.equal(layout.rows[0].offset, 0);
  assert.equal(layout.rows[0].width, 0);
});

Deno.test("visibleRows hides the subtree of a collapsed span only", () => {
  const rows = buildWaterfall(tree).rows;
  assert.deepEqual(visibleRows(rows, new Set(["a"])).map((r) => r.span.spanId), ["root", "a", "b"]);
  assert.deepEqual(visibleRows(rows, new Set(["root"])).map((r) => r.span.spanId), ["root"]);
  assert.equal(visibleRows(rows, new Set()).length, 4);
});

Deno.test("criticalPath follows the last-finishing children and covers the root's duration", () => {
  const path = criticalPath(tree);
  assert.deepEqual(path.segments.map((x) => [x.spanId, x.startUs, x.endUs]), [
    ["root", 0, 10],
    ["a", 10, 15],
    ["a1", 15, 35],
    ["a", 35, 40],
    ["root", 40, 50],
    ["b", 50, 90],
    ["root", 90, 100],
  ]);
  const covered = path.segments.reduce((n, x) => n + x.endUs - x.startUs, 0);
  assert.equal(covered, 100);
  assert.deepEqual(path.spanIds, new Set(["root", "a", "a1", "b"]));
});

Deno.test("criticalPath skips a child that ran in parallel with a later-finishing one", () => {
  // p [0,100]: fast [0,30] overlaps slow [20,80], so only slow is on the path
  const path = criticalPath([s("p", "", 0, 100), s("fast", "p", 0, 30), s("slow", "p", 20, 80)]);
  assert.deepEqual(path.spanIds, new Set(["p", "slow"]));
  assert.deepEqual(segmentsBySpan(path).get("p"), [
    { spanId: "p", startUs: 0, endUs: 20 },
    { spanId: "p", startUs: 80, endUs: 100 },
  ]);
});

Deno.test("criticalPath takes back-to-back children and clamps a child that outlives its parent", () => {
  const seq = criticalPath([s("p", "", 0, 20), s("one", "p", 0, 10), s("two", "p", 10, 20)]);
  assert.deepEqual(seq.spanIds, new Set(["p", "one", "two"]));
  const skew = criticalPath([s("p", "", 0, 50), s("late", "p", 40, 70)]);
  assert.deepEqual(skew.segments.map((x) => [x.spanId, x.startUs, x.endUs]), [["p", 0, 40], [
    "late",
    40,
    50,
  ]]);
});

Deno.test("10,000 spans in a deep chain and a wide fan lay out fast without recursion", () => {
  const spans: TimedSpan[] = [s("r", "", 0, 1_000_000)];
  for (let i = 0; i < 5_000; i++) spans.push(s(`c${i}`, i === 0 ? "r" : `c${i - 1}`, i, 1_000_000 - i));
  for (let i = 0; i < 5_000; i++) spans.push(s(`w${i}`, "r", i * 10, i * 10 + 5));
  const t0 = performance.now();
  const layout = buildWaterfall(spans);
  const path = criticalPath(spans);
  const elapsed = performance.now() - t0;
  assert.equal(layout.rows.length, 10_001);
  assert.equal(layout.maxDepth, 5_000);
  assert.ok(path.spanIds.has("c4999"));
  assert.ok(elapsed < 500, `took ${elapsed.toFixed(0)} ms`);
});

Deno.test("ticks spread marks from 0 to the duration", () => {
  assert.deepEqual(ticks(100, 5).map((t) => t.us), [0, 25, 50, 75, 100]);
});
