/**
 * Query-string parsing for the REST API: pure functions from URL search params
 * to typed filters. Every failure is a BadRequestError naming the parameter,
 * e.g. `Cannot parse "start": expected RFC 3339 or Unix milliseconds`.
 *
 * @module
 */

import { BadRequestError } from "./errors.ts";
import { SEVERITY_FLOOR } from "../config.ts";

/** A time range in microseconds, both ends inclusive. */
export interface Range {
  startUs: number;
  endUs: number;
}

/** Paging. */
export interface Paging {
  limit: number;
  offset: number;
}

const DEFAULT_WINDOW_MS = 15 * 60_000;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** Parses RFC 3339 or Unix milliseconds into microseconds. */
export function parseTime(name: string, value: string): number {
  const v = value.trim();
  if (/^\d{1,16}$/.test(v)) return Number(v) * 1000;
  if (RFC3339_RE.test(v)) {
    const ms = Date.parse(v.replace(" ", "T"));
    if (Number.isFinite(ms)) {
      // Keep sub-millisecond digits that Date drops.
      const frac = /\.(\d+)/.exec(v)?.[1] ?? "";
      const extraUs = frac.length > 3 ? Number(frac.slice(3, 6).padEnd(3, "0")) : 0;
      return ms * 1000 + extraUs;
    }
  }
  throw new BadRequestError(`Cannot parse "${name}": expected RFC 3339 or Unix milliseconds`);
}

/** `start`/`end`; default the last `defaultMs` (15 minutes) ending now. */
export function parseRange(p: URLSearchParams, nowMs = Date.now(), defaultMs = DEFAULT_WINDOW_MS): Range {
  const endUs = p.has("end") ? parseTime("end", p.get("end")!) : nowMs * 1000;
  const startUs = p.has("start") ? parseTime("start", p.get("start")!) : endUs - defaultMs * 1000;
  if (startUs > endUs) throw new BadRequestError(`Cannot use "start": it is after "end"`);
  return { startUs, endUs };
}

/** A non-negative integer parameter. */
export function parseInteger(
  p: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = p.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new BadRequestError(`Cannot parse "${name}": expected an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

/** `limit` (default 50, at most 1000) and `offset`. */
export function parsePaging(p: URLSearchParams, defaultLimit = 50): Paging {
  return {
    limit: parseInteger(p, "limit", defaultLimit, 1, 1000),
    offset: parseInteger(p, "offset", 0, 0, 1_000_000_000),
  };
}

/** A non-negative number of milliseconds, as microseconds. */
export function parseMillis(p: URLSearchParams, name: string): number | undefined {
  const raw = p.get(name);
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !Number.isFinite(n)) {
    throw new BadRequestError(`Cannot parse "${name}": expected a non-negative number of milliseconds`);
  }
  return Math.round(n * 1000);
}

/** One of the allowed values (case-insensitive), or the fallback when absent. */
export function parseChoice<T extends string>(
  p: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T | undefined,
): T | undefined {
  const raw = p.get(name);
  if (raw === null || raw === "") return fallback;
  const v = allowed.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
  if (!v) throw new BadRequestError(`Cannot use "${name}": expected one of ${allowed.join(", ")}`);
  return v;
}

/** Repeated string parameters, empty ones dropped. */
export function parseList(p: URLSearchParams, name: string): string[] {
  return p.getAll(name).map((s) => s.trim()).filter((s) => s !== "");
}

/** `attr=key=value` filters (repeatable). */
export function parseAttributes(p: URLSearchParams): { key: string; value: string }[] {
  return parseList(p, "attr").map((a) => {
    const i = a.indexOf("=");
    if (i <= 0) {
      throw new BadRequestError(`Cannot parse "attr": expected key=value, got ${JSON.stringify(a)}`);
    }
    return { key: a.slice(0, i).trim(), value: a.slice(i + 1) };
  });
}

/** Severity names as OTLP floors; `severity` names must be known. */
export function parseSeverities(p: URLSearchParams): { exact: number[]; min?: number } {
  const toFloor = (name: string, v: string) => {
    const floor = SEVERITY_FLOOR[v.toUpperCase()];
    if (floor === undefined) {
      throw new BadRequestError(`Cannot use "${name}": expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL`);
    }
    return floor;
  };
  const exact = parseList(p, "severity").map((v) => toFloor("severity", v));
  const minRaw = p.get("min_severity");
  return { exact, min: minRaw ? toFloor("min_severity", minRaw) : undefined };
}
