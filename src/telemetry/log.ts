/**
 * Structured `key=value` log lines on stderr, filtered by `LOG_LEVEL`.
 *
 * @module
 */

import type { LogLevel } from "../config.ts";

const ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
let threshold = ORDER.INFO;
const encoder = new TextEncoder();

/** Sets the lowest level written. */
export function setLogLevel(level: LogLevel): void {
  threshold = ORDER[level];
}

function format(value: unknown): string {
  const s = value instanceof Error
    ? value.message
    : typeof value === "string"
    ? value
    : JSON.stringify(value);
  return /^[^\s"=]+$/.test(s ?? "") ? s : JSON.stringify(s ?? "");
}

/** Writes one line: `ts=… level=… msg=… key=value…`. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold) return;
  let line = `ts=${new Date().toISOString()} level=${level} msg=${format(msg)}`;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${format(v)}`;
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

/** Level shorthands. */
export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => log("DEBUG", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => log("INFO", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => log("WARN", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => log("ERROR", msg, fields),
};
