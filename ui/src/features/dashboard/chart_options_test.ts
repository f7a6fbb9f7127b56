import assert from "node:assert/strict";
import { latencyOption, trafficOption } from "./chart_options.ts";

Deno.test("trafficOption splits each bucket into OK and error bars that add up to the count", () => {
  const opt = trafficOption([{ timeMs: 1000, count: 10, errorCount: 3 }, {
    timeMs: 2000,
    count: 2,
    errorCount: 5,
  }]);
  assert.deepEqual(opt.series[0].data, [[1000, 7], [2000, 0]]);
  assert.deepEqual(opt.series[1].data, [[1000, 3], [2000, 5]]);
});

Deno.test("latencyOption keeps zero durations plottable on the log axis", () => {
  const opt = latencyOption([{ timeMs: 1, durationMs: 0 }, { timeMs: 2, durationMs: 250 }]);
  assert.deepEqual(opt.series[0].data, [[1, 0.001], [2, 250]]);
  assert.equal(opt.visualMap.max, 250);
  const empty = latencyOption([]);
  assert.deepEqual(empty.series[0].data, []);
  assert.ok(Number.isFinite(empty.visualMap.min));
});
