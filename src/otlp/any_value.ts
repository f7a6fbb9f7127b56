/**
 * OTLP AnyValue / KeyValue lists to plain JSON, as stored in the attribute, event and
 * link columns: strings, booleans, integers (a number when safe, else a decimal string),
 * doubles (non-finite ones as "NaN", "Infinity", "-Infinity"), bytes as base64, arrays
 * and key/value lists as JSON arrays and objects. Every key and string is `cleanText`ed.
 *
 * @module
 */

import { OtlpDecodeError } from "./errors.ts";
import { int64ToJson } from "./int64.ts";
import { cleanText } from "./text.ts";
import type { AnyValue, KeyValue } from "./types.ts";

/**
 * Deepest AnyValue nesting accepted; an attribute value is level 1. Real telemetry
 * rarely nests beyond a handful of levels, and the recursive conversion must stay far
 * from the stack limit whatever a client sends.
 */
export const MAX_ANY_VALUE_DEPTH = 32;

/** A JSON value as produced from an AnyValue. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The error thrown for AnyValues nested deeper than `MAX_ANY_VALUE_DEPTH`. */
export function tooDeepError(): OtlpDecodeError {
  return new OtlpDecodeError(`an AnyValue is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
}

/**
 * The plain JSON form of an AnyValue (`null` when none is set).
 * @param depth nesting level of `v`, 1 for an attribute value.
 * @throws OtlpDecodeError when nested deeper than `MAX_ANY_VALUE_DEPTH`.
 */
export function anyValueToJson(v: AnyValue | null | undefined, depth = 1): JsonValue {
  if (v == null) return null;
  if (depth > MAX_ANY_VALUE_DEPTH) throw tooDeepError();
  // Own-property tests, most frequent member first (a oneof has one own member; protobufjs's
  // `value` getter allocated `Object.keys(this)` on every call).
  if (hasOwn(v, "stringValue")) return cleanText(v.stringValue ?? "");
  if (hasOwn(v, "intValue")) return v.intValue == null ? 0 : int64ToJson(v.intValue);
  if (hasOwn(v, "boolValue")) return v.boolValue === true;
  if (hasOwn(v, "doubleValue")) return doubleToJson(v.doubleValue ?? 0);
  if (hasOwn(v, "arrayValue")) {
    const values = v.arrayValue?.values;
    if (values == null) return [];
    const out = new Array<JsonValue>(values.length);
    for (let i = 0; i < values.length; i++) out[i] = anyValueToJson(values[i], depth + 1);
    return out;
  }
  if (hasOwn(v, "kvlistValue")) return keyValuesToObject(v.kvlistValue?.values, depth + 1);
  if (hasOwn(v, "bytesValue")) return v.bytesValue == null ? "" : v.bytesValue.toBase64();
  return null;
}

/**
 * A KeyValue list as a JSON object; a duplicate key keeps its last value, as OTLP
 * forbids duplicates and "last wins" is what most SDK attribute maps do.
 */
export function keyValuesToObject(
  kvs: readonly KeyValue[] | null | undefined,
  depth = 1,
): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  if (kvs == null) return out;
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i];
    const key = cleanText(kv.key ?? "");
    // Deno has no `Object.prototype.__proto__` accessor, so a "__proto__" key is plain data.
    out[key] = anyValueToJson(kv.value, depth);
  }
  return out;
}

/** A KeyValue list as JSON object text, `{}` when empty. */
export function attributesJson(kvs: readonly KeyValue[] | null | undefined): string {
  return kvs == null || kvs.length === 0 ? "{}" : JSON.stringify(keyValuesToObject(kvs));
}

/**
 * The string form of a log body: a string as it is, '' when absent or empty, booleans
 * and numbers as their text, bytes as base64, arrays and lists as JSON text.
 */
export function anyValueToText(v: AnyValue | null | undefined): string {
  if (v == null) return "";
  if (hasOwn(v, "stringValue")) return cleanText(v.stringValue ?? "");
  const json = anyValueToJson(v);
  if (json === null) return "";
  return typeof json === "object" ? JSON.stringify(json) : String(json);
}

/**
 * The string value of `key` in a KeyValue list; the last entry wins, as in
 * `keyValuesToObject`. '' when the key is absent or its value is not a string.
 */
export function stringAttribute(kvs: readonly KeyValue[] | null | undefined, key: string): string {
  if (kvs == null) return "";
  for (let i = kvs.length - 1; i >= 0; i--) {
    const kv = kvs[i];
    if (kv.key === key) {
      const v = kv.value;
      return v != null && hasOwn(v, "stringValue") ? cleanText(v.stringValue ?? "") : "";
    }
  }
  return "";
}

const hasOwn = Object.hasOwn;

function doubleToJson(d: number): number | string {
  return Number.isFinite(d) ? d : String(d);
}
