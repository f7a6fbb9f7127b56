/**
 * Log severities: order, colours and the OTLP number ranges.
 *
 * @module
 */

/** The severities the server stores, lowest first (SPEC §4). */
export const SEVERITIES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;

/** One of {@link SEVERITIES}. */
export type SeverityName = typeof SEVERITIES[number];

/** Mantine colour names per severity. */
const COLORS: Record<SeverityName, string> = {
  TRACE: "gray",
  DEBUG: "cyan",
  INFO: "blue",
  WARN: "orange", // yellow text is under 3:1 on a light background
  ERROR: "red",
  FATAL: "grape",
};

/**
 * Normalises a severity text or OTLP severity number to one of {@link SEVERITIES}:
 * the number decides when it is set (1-4 TRACE … 21-24 FATAL), else the text
 * (`warning` → WARN, `err` → ERROR); unknown text gives INFO.
 */
export function normalizeSeverity(text: string, number = 0): SeverityName {
  if (number >= 1 && number <= 24) return SEVERITIES[Math.floor((number - 1) / 4)];
  const t = text.trim().toUpperCase();
  if (t.startsWith("TRACE")) return "TRACE";
  if (t.startsWith("DEBUG")) return "DEBUG";
  if (t.startsWith("WARN")) return "WARN";
  if (t.startsWith("ERR")) return "ERROR";
  if (t.startsWith("FATAL") || t === "CRITICAL" || t === "PANIC" || t === "EMERGENCY") return "FATAL";
  return "INFO";
}

/** Rank of a severity, 0 (TRACE) … 5 (FATAL). */
export function severityRank(text: string, number = 0): number {
  return SEVERITIES.indexOf(normalizeSeverity(text, number));
}

/** Mantine colour name of a log's severity. */
export function severityColor(text: string, number = 0): string {
  return COLORS[normalizeSeverity(text, number)];
}

/** Whether a log is an error or worse (what the AI analyses by default). */
export function isErrorSeverity(text: string, number = 0): boolean {
  return severityRank(text, number) >= SEVERITIES.indexOf("ERROR");
}
