/**
 * The live-tail buffer of the logs page: newest first, de-duplicated by id,
 * capped, and filtered in the browser by the page's filters.
 *
 * @module
 */
import { normalizeSeverity } from "./severity.ts";
import type { LogEntry } from "./types.ts";
import type { LogFilters } from "./url_state.ts";

/** Most log lines the tail keeps in memory. */
export const TAIL_CAP = 10_000;

/** Whether a log passes the logs page filters. */
export function matchesLogFilters(log: LogEntry, f: LogFilters): boolean {
  if (f.services.length > 0 && !f.services.includes(log.serviceName)) return false;
  if (
    f.severities.length > 0 && !f.severities.includes(normalizeSeverity(log.severity, log.severityNumber))
  ) {
    return false;
  }
  if (f.traceId && log.traceId !== f.traceId) return false;
  const q = f.search.trim().toLowerCase();
  return !q || log.body.toLowerCase().includes(q);
}

/**
 * Puts newly arrived logs in front of the buffer: newest first, dropping ids
 * already present, keeping at most `cap` entries.
 */
export function prependLogs(
  buffer: readonly LogEntry[],
  arrived: readonly LogEntry[],
  cap = TAIL_CAP,
): LogEntry[] {
  if (arrived.length === 0) return buffer as LogEntry[];
  const seen = new Set(buffer.map((l) => l.id));
  const fresh: LogEntry[] = [];
  for (const l of arrived) {
    if (!seen.has(l.id)) {
      seen.add(l.id);
      fresh.push(l);
    }
  }
  fresh.sort((a, b) => b.timestampUs - a.timestampUs);
  return fresh.concat(buffer).slice(0, cap);
}

/** A copy of the buffer with one log's AI insight replaced (after an `insight` message). */
export function applyInsight(
  buffer: readonly LogEntry[],
  logId: string,
  insight: string,
  status: LogEntry["aiStatus"],
): LogEntry[] {
  const at = buffer.findIndex((l) => l.id === logId);
  if (at < 0) return buffer as LogEntry[];
  const out = buffer.slice();
  out[at] = { ...out[at], aiInsight: insight, aiStatus: status };
  return out;
}
