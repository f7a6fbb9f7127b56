/**
 * The global time range: relative ("last 15m") or absolute, how it is written in
 * the URL (`range=1h`, or `start` and `end` in Unix milliseconds) and how it
 * resolves to concrete times.
 *
 * @module
 */

/** The presets offered in the header. */
export const PRESETS = ["5m", "15m", "1h", "6h", "24h", "7d"] as const;

/** A time range: the last `duration` before now, or fixed bounds. */
export type TimeRange =
  | { kind: "relative"; duration: string }
  | { kind: "absolute"; startMs: number; endMs: number };

/** The relative duration used when the URL names none. */
export const DEFAULT_DURATION = "15m";

/** The range used when the URL names none (the API's default too). */
export const DEFAULT_RANGE: TimeRange = { kind: "relative", duration: DEFAULT_DURATION };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `30s`, `15m`, `6h`, `7d`, `2w` into milliseconds; `null` when malformed or not positive. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : null;
}

/** Resolves a range to concrete bounds in epoch milliseconds. */
export function resolveRange(range: TimeRange, nowMs: number): { startMs: number; endMs: number } {
  if (range.kind === "absolute") return { startMs: range.startMs, endMs: range.endMs };
  const ms = parseDuration(range.duration) ?? 15 * 60_000;
  return { startMs: nowMs - ms, endMs: nowMs };
}

/**
 * Parses a point in time typed by a person or found in a URL: Unix milliseconds
 * (`1714559696789`), RFC 3339 (`2024-05-01T10:34:56Z`), or a local date and
 * time (`2024-05-01 12:34`, `2024-05-01T12:34:56`, as `<input type=datetime-local>`
 * gives). Returns epoch milliseconds or `null`.
 */
export function parseTimeInput(text: string): number | null {
  const t = text.trim();
  if (/^\d{10,14}$/.test(t)) return Number(t);
  const local = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3}))?)?)?$/.exec(t);
  if (local) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0"] = local;
    const date = new Date(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, "0")));
    return Number.isNaN(date.getTime()) ? null : date.getTime();
  }
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** Formats epoch milliseconds for `<input type="datetime-local">` (local time, seconds). */
export function toDatetimeLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${
    p(d.getMinutes())
  }:${p(d.getSeconds())}`;
}

/** Reads the range from URL search params; a malformed or missing range gives {@link DEFAULT_RANGE}. */
export function parseRangeParams(params: URLSearchParams): TimeRange {
  const start = params.get("start");
  const end = params.get("end");
  if (start && end) {
    const startMs = parseTimeInput(start);
    const endMs = parseTimeInput(end);
    if (startMs !== null && endMs !== null && startMs < endMs) return { kind: "absolute", startMs, endMs };
  }
  const range = params.get("range");
  if (range && parseDuration(range) !== null) return { kind: "relative", duration: range };
  return DEFAULT_RANGE;
}

/** Writes a range into URL search params (in place), removing the other form; the default is omitted. */
export function writeRangeParams(params: URLSearchParams, range: TimeRange): URLSearchParams {
  params.delete("range");
  params.delete("start");
  params.delete("end");
  if (range.kind === "absolute") {
    params.set("start", String(Math.round(range.startMs)));
    params.set("end", String(Math.round(range.endMs)));
  } else if (range.duration !== DEFAULT_DURATION) {
    params.set("range", range.duration);
  }
  return params;
}

/** A short stable string for query keys: `15m` or `1714559696789-1714563296789`. */
export function rangeKey(range: TimeRange): string {
  return range.kind === "relative" ? range.duration : `${range.startMs}-${range.endMs}`;
}

const UNIT_NAMES: Record<string, [string, string]> = {
  s: ["second", "seconds"],
  m: ["minute", "minutes"],
  h: ["hour", "hours"],
  d: ["day", "days"],
  w: ["week", "weeks"],
};

/** Human label of a relative duration: `15m` → `Last 15 minutes`, `1h` → `Last hour`. */
export function relativeLabel(duration: string): string {
  const m = /^(\d+)([smhdw])$/.exec(duration);
  if (!m) return duration;
  const n = Number(m[1]);
  const [one, many] = UNIT_NAMES[m[2]];
  return n === 1 ? `Last ${one}` : `Last ${n} ${many}`;
}

/** Whether two ranges are the same. */
export function sameRange(a: TimeRange, b: TimeRange): boolean {
  return rangeKey(a) === rangeKey(b) && a.kind === b.kind;
}
