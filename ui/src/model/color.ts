/**
 * Colours derived from data: a service keeps the same colour on every page,
 * and error rates map to a traffic-light scale.
 *
 * @module
 */

/**
 * Sixteen well-separated colours that read on light and dark backgrounds. Pure red is left out
 * so that a service never looks like an error.
 */
export const SERVICE_PALETTE: readonly string[] = [
  "#4263eb", // indigo
  "#f76707", // orange
  "#2f9e44", // green
  "#ae3ec9", // grape
  "#1098ad", // cyan
  "#f59f00", // amber
  "#d6336c", // pink
  "#7048e8", // violet
  "#74b816", // lime
  "#1c7ed6", // blue
  "#0ca678", // teal
  "#a0522d", // sienna
  "#868e96", // grey
  "#339af0", // sky
  "#808000", // olive
  "#f783ac", // rose
];

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads FNV's low bits, which alone cluster for short names. */
function mix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The colour of a service, stable across pages and sessions (a hash of its name). */
export function serviceColor(serviceName: string): string {
  return SERVICE_PALETTE[mix(fnv1a(serviceName)) % SERVICE_PALETTE.length];
}

/** Traffic-light level of an error share (0..1): below 1% ok, below 5% warn, else bad. */
export type HealthLevel = "ok" | "warn" | "bad" | "idle";

/** Classifies an error share; `idle` when there were no requests. */
export function errorLevel(errorCount: number, total: number): HealthLevel {
  if (!(total > 0)) return "idle";
  const share = errorCount / total;
  return share < 0.01 ? "ok" : share < 0.05 ? "warn" : "bad";
}

/** Colours of the health levels (Mantine green/yellow/red/gray, shade 6). */
export const LEVEL_COLORS: Readonly<Record<HealthLevel, string>> = {
  ok: "#40c057",
  warn: "#fab005",
  bad: "#fa5252",
  idle: "#868e96",
};

/**
 * Text colours of the health levels: CSS variables of the theme, darker than
 * {@link LEVEL_COLORS} on a light background so that the figures stay readable.
 */
export const LEVEL_TEXT_COLORS: Readonly<Record<HealthLevel, string>> = {
  ok: "var(--mantine-color-green-text)",
  warn: "var(--mantine-color-orange-text)",
  bad: "var(--mantine-color-red-text)",
  idle: "var(--mantine-color-dimmed)",
};
