/**
 * Trace and span identifiers: validity rules of the OTLP spec and their stored form
 * (lowercase hex).
 *
 * @module
 */

/** Length in bytes of a valid trace id. */
export const TRACE_ID_BYTES = 16;
/** Length in bytes of a valid span id. */
export const SPAN_ID_BYTES = 8;

/** Lowercase hex of the bytes; '' for none. */
export function bytesToHex(b: Uint8Array | null | undefined): string {
  return b == null || b.length === 0 ? "" : b.toHex();
}

/**
 * Why an id is invalid, in English ('' when it is valid). An id is valid when it has
 * exactly `size` bytes and at least one of them is not zero.
 */
export function idProblem(b: Uint8Array | null | undefined, size: number, what: string): string {
  const len = b == null ? 0 : b.length;
  if (len !== size) return len === 0 ? `${what} is missing` : `${what} is ${len} bytes, expected ${size}`;
  for (let i = 0; i < len; i++) if (b![i] !== 0) return "";
  return `${what} is all zero`;
}

/** True when the id has exactly `size` bytes, not all zero. */
export function isValidId(b: Uint8Array | null | undefined, size: number): boolean {
  if (b == null || b.length !== size) return false;
  for (let i = 0; i < size; i++) if (b[i] !== 0) return true;
  return false;
}
