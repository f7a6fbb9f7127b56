/**
 * Attribute maps as tables: flattening to sorted rows, value text and filtering.
 *
 * @module
 */
import type { Attribute } from "./types.ts";

/** Turns an attribute object into rows sorted by key; non-objects give no rows. */
export function toAttributes(value: unknown): Attribute[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .map(([key, v]) => ({ key, value: v }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The text shown for an attribute value: strings as they are, everything else as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Rows whose key or value text contains `query` (case-insensitive); all rows for a blank query. */
export function filterAttributes(rows: readonly Attribute[], query: string): Attribute[] {
  const q = query.trim().toLowerCase();
  if (!q) return rows as Attribute[];
  return rows.filter((r) => r.key.toLowerCase().includes(q) || valueText(r.value).toLowerCase().includes(q));
}

/** The value of the first attribute with `key`, or `undefined`. */
export function attributeValue(rows: readonly Attribute[], key: string): unknown {
  return rows.find((r) => r.key === key)?.value;
}
