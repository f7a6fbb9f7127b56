import assert from "node:assert/strict";
import {
  formatAge,
  formatBytes,
  formatCount,
  formatDurationMs,
  formatDurationUs,
  formatLocalTime,
  formatPercent,
  timeTitle,
  utcOffsetLabel,
} from "./format.ts";

Deno.test("formatDurationUs picks µs, ms, s, minutes and hours", () => {
  assert.equal(formatDurationUs(0), "0µs");
  assert.equal(formatDurationUs(5.25), "5.25µs");
  assert.equal(formatDurationUs(850), "850µs");
  assert.equal(formatDurationUs(1000), "1ms");
  assert.equal(formatDurationUs(12_345), "12.3ms");
  assert.equal(formatDurationUs(999_000), "999ms");
  assert.equal(formatDurationUs(1_250_000), "1.25s");
  assert.equal(formatDurationUs(59_000_000), "59s");
  assert.equal(formatDurationUs(125_000_000), "2m 5s");
  assert.equal(formatDurationUs(3_720_000_000), "1h 2m");
  assert.equal(formatDurationUs(90_000_000_000), "1d 1h");
  assert.equal(formatDurationUs(-1500), "-1.5ms");
  assert.equal(formatDurationUs(NaN), "–");
});

Deno.test("formatDurationMs converts milliseconds", () => {
  assert.equal(formatDurationMs(0.5), "500µs");
  assert.equal(formatDurationMs(42), "42ms");
  assert.equal(formatDurationMs(1500), "1.5s");
});

Deno.test("utcOffsetLabel turns getTimezoneOffset minutes into an offset", () => {
  assert.equal(utcOffsetLabel(0), "UTC+00:00");
  assert.equal(utcOffsetLabel(-120), "UTC+02:00");
  assert.equal(utcOffsetLabel(300), "UTC-05:00");
  assert.equal(utcOffsetLabel(-330), "UTC+05:30");
});

Deno.test("formatLocalTime uses the local zone and timeTitle names the offset and UTC", () => {
  const ms = Date.UTC(2024, 4, 1, 10, 34, 56, 789);
  const d = new Date(ms);
  const expectedHour = String(d.getHours()).padStart(2, "0");
  assert.match(formatLocalTime(ms), new RegExp(`^2024-05-0[12] ${expectedHour}:\\d\\d:56\\.789$`));
  assert.match(formatLocalTime(ms, false), /:56$/);
  assert.equal(
    timeTitle(ms),
    `${utcOffsetLabel(d.getTimezoneOffset())} · 2024-05-01T10:34:56.789Z UTC`,
  );
});

Deno.test("formatCount, formatPercent, formatBytes and formatAge", () => {
  assert.equal(formatCount(950), "950");
  assert.equal(formatCount(12_345), "12.3k");
  assert.equal(formatCount(4_500_000), "4.5M");
  assert.equal(formatCount(2.5), "2.5");
  assert.equal(formatPercent(0), "0%");
  assert.equal(formatPercent(0.0123), "1.23%");
  assert.equal(formatPercent(0.5), "50%");
  assert.equal(formatPercent(0.00000001), "<0.01%");
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(5 * 1024 * 1024), "5 MiB");
  assert.equal(formatAge(4.9), "4s");
  assert.equal(formatAge(185), "3m");
  assert.equal(formatAge(7200), "2h");
  assert.equal(formatAge(-3), "0s");
});
