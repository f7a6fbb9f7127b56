/**
 * The one place where 64-bit integers from the wire become JavaScript values.
 * protobufjs hands out `Long` objects for int64/fixed64, OTLP/JSON carries numbers or
 * decimal strings (parsed here to a number or a bigint).
 *
 * @module
 */

/** The shape of a `long.js` Long as protobufjs produces it; declared so the library type does not leak. */
export interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

/** A 64-bit integer as any decoder may produce it. */
export type Int64 = number | bigint | LongLike;

const TWO_32 = 4294967296;
const MAX_US = Number.MAX_SAFE_INTEGER;

/**
 * Unsigned nanoseconds since the epoch (fixed64) to integer microseconds, rounded down.
 * Exact for every time a JavaScript number can hold in microseconds; anything later than
 * that (after year 2255) is clamped to `Number.MAX_SAFE_INTEGER`. Missing or negative → 0.
 */
export function nanosToMicros(v: Int64 | null | undefined): number {
  if (v == null) return 0;
  if (typeof v === "number") return v > 0 ? Math.min(Math.floor(v / 1000), MAX_US) : 0;
  if (typeof v === "bigint") return v > 0n ? Math.min(Number(v / 1000n), MAX_US) : 0;
  // A fixed64 is unsigned whatever the Long says; value = high·2^32 + low and
  // 2^32 = 4294967·1000 + 296, so the division splits into two exact parts.
  const high = v.high >>> 0;
  const low = v.low >>> 0;
  const us = high * 4294967 + Math.floor((high * 296 + low) / 1000);
  return us > MAX_US ? MAX_US : us;
}

/**
 * A signed int64 (AnyValue.int_value) as a JSON value: a number when it is a safe
 * integer, else its exact decimal string so that no digit is silently lost.
 */
export function int64ToJson(v: Int64): number | string {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") {
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
  }
  const n = (v.unsigned ? v.high >>> 0 : v.high | 0) * TWO_32 + (v.low >>> 0);
  if (Number.isSafeInteger(n)) return n;
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return (v.unsigned ? bits : BigInt.asIntN(64, bits)).toString();
}

/** A number of the int32/uint32 family from a decoder; protobufjs already gives numbers. */
export function int64ToNumber(v: Int64): number {
  const j = int64ToJson(v);
  return typeof j === "number" ? j : Number(j);
}

const DECIMAL = /^-?[0-9]{1,20}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Parses an OTLP/JSON 64-bit integer: a JSON number holding an integer, or a decimal
 * string (the ProtoJSON form). Returns `undefined` when the value is not acceptable
 * (wrong type, fraction, out of range, negative for an unsigned field) so the caller
 * can name the field in its error.
 */
export function parseJsonInt64(v: unknown, signed: boolean): number | bigint | undefined {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return undefined;
    return signed
      ? (v >= -(2 ** 63) && v < 2 ** 63 ? v : undefined)
      : (v >= 0 && v < 2 ** 64 ? v : undefined);
  }
  if (typeof v !== "string" || !DECIMAL.test(v)) return undefined;
  if (v.length <= 15) {
    const n = Number(v);
    return !signed && n < 0 ? undefined : n;
  }
  const b = BigInt(v);
  if (signed ? b < INT64_MIN || b > INT64_MAX : b < 0n || b > UINT64_MAX) return undefined;
  return Number.isSafeInteger(Number(b)) && BigInt(Number(b)) === b ? Number(b) : b;
}
