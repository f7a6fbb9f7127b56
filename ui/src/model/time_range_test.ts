import assert from "node:assert/strict";
import {
  DEFAULT_RANGE,
  parseDuration,
  parseRangeParams,
  parseTimeInput,
  rangeKey,
  relativeLabel,
  resolveRange,
  toDatetimeLocal,
  writeRangeParams,
} from "./time_range.ts";

Deno.test("parseDuration reads the presets and rejects junk", () => {
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("24h"), 86_400_000);
  assert.equal(parseDuration("7d"), 604_800_000);
  assert.equal(parseDuration("0m"), null);
  assert.equal(parseDuration("15"), null);
  assert.equal(parseDuration("1y"), null);
  assert.equal(parseDuration("-5m"), null);
});

Deno.test("resolveRange counts a relative range back from now", () => {
  const now = 1_700_000_000_000;
  assert.deepEqual(resolveRange({ kind: "relative", duration: "1h" }, now), {
    startMs: now - 3_600_000,
    endMs: now,
  });
  assert.deepEqual(resolveRange({ kind: "absolute", startMs: 1, endMs: 2 }, now), { startMs: 1, endMs: 2 });
});

Deno.test("parseTimeInput accepts Unix ms, RFC 3339 and local date-times", () => {
  assert.equal(parseTimeInput("1714559696789"), 1714559696789);
  assert.equal(parseTimeInput("2024-05-01T10:34:56Z"), Date.UTC(2024, 4, 1, 10, 34, 56));
  assert.equal(parseTimeInput("2024-05-01T12:34:56+02:00"), Date.UTC(2024, 4, 1, 10, 34, 56));
  assert.equal(parseTimeInput("2024-05-01 12:34"), new Date(2024, 4, 1, 12, 34).getTime());
  assert.equal(parseTimeInput("2024-05-01T12:34:56.5"), new Date(2024, 4, 1, 12, 34, 56, 500).getTime());
  assert.equal(parseTimeInput("yesterday"), null);
  assert.equal(parseTimeInput(""), null);
});

Deno.test("toDatetimeLocal round-trips through parseTimeInput to the second", () => {
  const ms = new Date(2024, 0, 2, 3, 4, 5).getTime();
  assert.equal(toDatetimeLocal(ms), "2024-01-02T03:04:05");
  assert.equal(parseTimeInput(toDatetimeLocal(ms)), ms);
});

Deno.test("range params: preset, absolute, default and invalid input", () => {
  assert.deepEqual(parseRangeParams(new URLSearchParams("range=6h")), { kind: "relative", duration: "6h" });
  assert.deepEqual(
    parseRangeParams(new URLSearchParams("start=1714559696789&end=2024-05-01T12:00:00Z&range=6h")),
    {
      kind: "absolute",
      startMs: 1714559696789,
      endMs: Date.UTC(2024, 4, 1, 12),
    },
  );
  assert.deepEqual(parseRangeParams(new URLSearchParams("")), DEFAULT_RANGE);
  assert.deepEqual(parseRangeParams(new URLSearchParams("range=banana")), DEFAULT_RANGE);
  // end before start is ignored, not silently swapped
  assert.deepEqual(
    parseRangeParams(new URLSearchParams("start=2000000000000&end=1000000000000")),
    DEFAULT_RANGE,
  );
});

Deno.test("writeRangeParams keeps other params, omits the default and replaces the other form", () => {
  const p = new URLSearchParams("status=ERROR&range=1h");
  writeRangeParams(p, { kind: "absolute", startMs: 1714559696789, endMs: 1714563296789 });
  assert.equal(p.toString(), "status=ERROR&start=1714559696789&end=1714563296789");
  writeRangeParams(p, DEFAULT_RANGE);
  assert.equal(p.toString(), "status=ERROR");
  writeRangeParams(p, { kind: "relative", duration: "7d" });
  assert.equal(p.toString(), "status=ERROR&range=7d");
  assert.deepEqual(parseRangeParams(p), { kind: "relative", duration: "7d" });
});

Deno.test("rangeKey and relativeLabel", () => {
  assert.equal(rangeKey({ kind: "relative", duration: "5m" }), "5m");
  assert.equal(rangeKey({ kind: "absolute", startMs: 1, endMs: 2 }), "1-2");
  assert.equal(relativeLabel("15m"), "Last 15 minutes");
  assert.equal(relativeLabel("1h"), "Last hour");
  assert.equal(relativeLabel("7d"), "Last 7 days");
});
