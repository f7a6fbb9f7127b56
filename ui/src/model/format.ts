/**
 * Formatting of durations, times, counts and sizes for display.
 *
 * @module
 */

/** Trims trailing zeros of a fixed-point number: `1.50` → `1.5`, `2.00` → `2`. */
function trim(n: number, digits: number): string {
  const fixed = n.toFixed(digits);
  return digits > 0 ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** Digits after the point so that about three significant figures show. */
function digitsFor(n: number): number {
  const abs = Math.abs(n);
  return abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
}

/**
 * Formats a duration in microseconds in the best unit: `850µs`, `12.3ms`,
 * `1.25s`, `2m 5s`, `1h 2m`.
 */
export function formatDurationUs(us: number): string {
  if (!Number.isFinite(us)) return "–";
  const sign = us < 0 ? "-" : "";
  const abs = Math.abs(us);
  if (abs < 1000) return `${sign}${trim(abs, abs < 10 ? 2 : abs < 100 ? 1 : 0)}µs`;
  if (abs < 1_000_000) {
    const ms = abs / 1000;
    return `${sign}${trim(ms, digitsFor(ms))}ms`;
  }
  if (abs < 60_000_000) {
    const s = abs / 1_000_000;
    return `${sign}${trim(s, digitsFor(s))}s`;
  }
  const totalS = Math.round(abs / 1_000_000);
  if (totalS < 3600) return `${sign}${Math.floor(totalS / 60)}m ${totalS % 60}s`;
  const totalM = Math.round(totalS / 60);
  if (totalM < 24 * 60) return `${sign}${Math.floor(totalM / 60)}h ${totalM % 60}m`;
  return `${sign}${Math.floor(totalM / 1440)}d ${Math.floor((totalM % 1440) / 60)}h`;
}

/** Formats a duration in milliseconds in the best unit (see {@link formatDurationUs}). */
export function formatDurationMs(ms: number): string {
  return formatDurationUs(ms * 1000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * Returns the UTC offset label of a zone offset as JavaScript reports it
 * (`Date#getTimezoneOffset`, minutes behind UTC): `-120` → `UTC+02:00`.
 */
export function utcOffsetLabel(timezoneOffsetMinutes: number): string {
  const east = -timezoneOffsetMinutes;
  const sign = east >= 0 ? "+" : "-";
  const abs = Math.abs(east);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Formats an epoch time in milliseconds in the browser's zone:
 * `2024-05-01 12:34:56.789` (`withMs` false drops the fraction).
 */
export function formatLocalTime(ms: number, withMs = true): string {
  if (!Number.isFinite(ms)) return "–";
  const d = new Date(ms);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** The text of a time's hover title: the zone offset and the UTC time. */
export function timeTitle(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  const d = new Date(ms);
  return `${utcOffsetLabel(d.getTimezoneOffset())} · ${d.toISOString()} UTC`;
}

/** Formats a microsecond epoch time in the browser's zone (see {@link formatLocalTime}). */
export function formatTimeUs(us: number, withMs = true): string {
  return formatLocalTime(us / 1000, withMs);
}

/** Formats a count compactly: `950`, `12.3k`, `4.5M`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "–";
  const abs = Math.abs(n);
  if (abs < 1000) return trim(n, Number.isInteger(n) ? 0 : 1);
  if (abs < 1_000_000) return `${trim(n / 1000, digitsFor(n / 1000))}k`;
  if (abs < 1_000_000_000) return `${trim(n / 1_000_000, digitsFor(n / 1_000_000))}M`;
  return `${trim(n / 1_000_000_000, digitsFor(n / 1_000_000_000))}G`;
}

/** Formats a 0..1 share as a percentage: `0.0123` → `1.23%`. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return "–";
  const pct = share * 100;
  if (pct === 0) return "0%";
  if (pct < 0.01) return "<0.01%";
  return `${trim(pct, digitsFor(pct))}%`;
}

/** Formats a byte count with binary units: `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : trim(value, digitsFor(value))} ${units[unit]}`;
}

/** Formats an age in seconds for "updated Ns ago" style labels: `4s`, `3m`, `2h`, `5d`. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
