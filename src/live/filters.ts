/**
 * The filters clients send on `/ws` and `/ws/events`, parsed without trusting
 * them: unknown fields are ignored, a field of the wrong type or an unknown
 * severity is an error message for the client, never an exception.
 *
 * @module
 */

import { SEVERITY_FLOOR } from "../config.ts";

/** What a `/ws` client wants: one service or all (`""`), from a severity number up. */
export interface LogFilter {
  service: string;
  /** Lowest OTLP severity number (0 = everything). */
  minSeverity: number;
  /** The name the client gave, normalised (`""` = none). */
  minSeverityName: string;
}

/** Everything. */
export const NO_LOG_FILTER: Readonly<LogFilter> = Object.freeze({
  service: "",
  minSeverity: 0,
  minSeverityName: "",
});

/** A parsed value or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const SEVERITY_NAMES = Object.keys(SEVERITY_FLOOR).join(", ");

function parseObject(text: string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "Cannot parse the message: expected a JSON object" };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: "Cannot use the message: expected a JSON object" };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function parseService(v: unknown): Parsed<string> {
  if (v === undefined || v === null) return { ok: true, value: "" };
  if (typeof v !== "string") return { ok: false, error: 'Cannot use "service": expected a string' };
  return { ok: true, value: v.trim() };
}

function parseMinSeverity(v: unknown): Parsed<{ number: number; name: string }> {
  if (v === undefined || v === null || v === "") return { ok: true, value: { number: 0, name: "" } };
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 24) {
    return { ok: true, value: { number: v, name: String(v) } };
  }
  if (typeof v === "string") {
    const name = v.trim().toUpperCase();
    const floor = SEVERITY_FLOOR[name];
    if (floor !== undefined) return { ok: true, value: { number: floor, name } };
  }
  return {
    ok: false,
    error: `Cannot use "min_severity" ${JSON.stringify(v)}: expected one of ${SEVERITY_NAMES} or 0-24`,
  };
}

function logFilterOf(service: unknown, minSeverity: unknown): Parsed<LogFilter> {
  const s = parseService(service);
  if (!s.ok) return s;
  const m = parseMinSeverity(minSeverity);
  if (!m.ok) return m;
  return {
    ok: true,
    value: { service: s.value, minSeverity: m.value.number, minSeverityName: m.value.name },
  };
}

/**
 * A `/ws` filter message `{"service": "...", "min_severity": "..."}`. It
 * replaces the whole filter: a missing field means no constraint.
 */
export function parseLogFilter(text: string): Parsed<LogFilter> {
  const obj = parseObject(text);
  if (!obj.ok) return obj;
  return logFilterOf(obj.value.service, obj.value.min_severity);
}

/** The initial `/ws` filter from the query string (`?service=&min_severity=`). */
export function logFilterFromQuery(params: URLSearchParams): Parsed<LogFilter> {
  return logFilterOf(params.get("service") ?? undefined, params.get("min_severity") ?? undefined);
}

/** A `/ws/events` filter message `{"service": "name"}` (`""` or absent = all services). */
export function parseEventsFilter(text: string): Parsed<string> {
  const obj = parseObject(text);
  if (!obj.ok) return obj;
  return parseService(obj.value.service);
}

/**
 * The severity number a filter compares: the record's own, or for a record
 * that had only a text (number 0) the floor of that text when it is a known name.
 */
export function effectiveSeverity(log: { severity_number: number; severity: string }): number {
  if (log.severity_number > 0) return log.severity_number;
  return SEVERITY_FLOOR[log.severity.toUpperCase()] ?? 0;
}

/** Whether a log passes a filter. */
export function matchesLogFilter(
  f: LogFilter,
  log: { service_name: string; severity_number: number; severity: string },
): boolean {
  if (f.service !== "" && log.service_name !== f.service) return false;
  return f.minSeverity === 0 || effectiveSeverity(log) >= f.minSeverity;
}

/** A key equal for equal filters, to serialise one message per filter instead of per client. */
export const logFilterKey = (f: LogFilter) => `${f.minSeverity}\u0000${f.service}`;
