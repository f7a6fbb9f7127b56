/**
 * Ingest filters of SPEC §3: minimum log severity, allowed and excluded
 * services. Pure; filtered items count as accepted, so they are only counted.
 *
 * @module
 */

import type { LogRow, SpanRow } from "../store/rows.ts";
import { SEVERITY_FLOOR } from "../config.ts";

/** The filter settings. */
export interface IngestFilter {
  readonly minSeverity: number;
  readonly allowedServices: readonly string[];
  readonly excludedServices: readonly string[];
}

/** What a filter kept and why it dropped the rest. */
export interface Filtered<T> {
  kept: T[];
  droppedService: number;
  droppedSeverity: number;
}

function serviceTest(f: IngestFilter): (service: string) => boolean {
  const allowed = new Set(f.allowedServices);
  const excluded = new Set(f.excludedServices);
  return (s) => (allowed.size === 0 || allowed.has(s)) && !excluded.has(s);
}

/** The effective severity number of a log: its own, else the one its text names, else keep it. */
function severityNumber(l: LogRow): number {
  if (l.severity_number > 0) return l.severity_number;
  const named = SEVERITY_FLOOR[l.severity.toUpperCase()];
  return named ?? Number.POSITIVE_INFINITY;
}

/** Drops spans of services the filter does not take. */
export function filterSpans(spans: readonly SpanRow[], f: IngestFilter): Filtered<SpanRow> {
  if (f.allowedServices.length === 0 && f.excludedServices.length === 0) {
    return { kept: spans as SpanRow[], droppedService: 0, droppedSeverity: 0 };
  }
  const ok = serviceTest(f);
  const kept = spans.filter((s) => ok(s.service_name));
  return { kept, droppedService: spans.length - kept.length, droppedSeverity: 0 };
}

/** Drops logs of services the filter does not take and logs below the minimum severity. */
export function filterLogs<T extends LogRow>(logs: readonly T[], f: IngestFilter): Filtered<T> {
  const ok = serviceTest(f);
  const kept: T[] = [];
  let droppedService = 0;
  let droppedSeverity = 0;
  for (const l of logs) {
    if (!ok(l.service_name)) droppedService++;
    else if (severityNumber(l) < f.minSeverity) droppedSeverity++;
    else kept.push(l);
  }
  return { kept, droppedService, droppedSeverity };
}
