/**
 * Readers shared by the OTLP/JSON decoders: type-checked primitives, AnyValue and
 * KeyValue lists, Resource and InstrumentationScope. A wrong value throws a
 * `ShapeError` whose path grows as it travels out; `decodeJsonBody` turns it into an
 * `OtlpDecodeError`.
 *
 * @module
 */

import { MAX_ANY_VALUE_DEPTH } from "./any_value.ts";
import { OtlpDecodeError } from "./errors.ts";
import { type Int64, parseJsonInt64 } from "./int64.ts";
import type * as T from "./types.ts";

/** A parsed JSON object. */
export type Obj = Record<string, unknown>;

/** A type error at `path` (built up while the error travels out of the nested readers). */
export class ShapeError extends Error {
  constructor(public path: string, readonly reason: string) {
    super(reason);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses `body` (UTF-8 bytes or text) and runs `read` on the top-level object; every
 * failure becomes an `OtlpDecodeError` naming `what` and, for type errors, the path.
 */
export function decodeJsonBody<R>(body: Uint8Array | string, what: string, read: (m: Obj) => R): R {
  let parsed: unknown;
  try {
    const text = typeof body === "string" ? body.replace(/^\uFEFF/, "") : utf8.decode(body);
    parsed = JSON.parse(text);
  } catch (e) {
    const why = e instanceof SyntaxError ? e.message : "the body is not valid UTF-8";
    throw new OtlpDecodeError(`Cannot parse ${what} as JSON: ${why}`, { cause: e });
  }
  try {
    return read(object(parsed, ""));
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    const path = e.path.startsWith(".") ? e.path.slice(1) : e.path;
    throw new OtlpDecodeError(`Invalid OTLP/JSON ${what} at ${path || "top level"}: ${e.reason}`, {
      cause: e,
    });
  }
}

/** Runs `read`, prefixing `.name` to the path of a ShapeError it throws. */
export function within<R>(name: string, read: () => R): R {
  try {
    return read();
  } catch (e) {
    if (e instanceof ShapeError) e.path = `.${name}${e.path}`;
    throw e;
  }
}

/** `v` as a JSON object, or a ShapeError at `name`. */
export function object(v: unknown, name: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ShapeError(name, "expected an object");
  }
  return v as Obj;
}

/** A JSON array read item by item (`null`/absent → []); errors get `.name[i]` prefixed. */
export function list<R>(v: unknown, name: string, item: (v: unknown) => R): R[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw new ShapeError("." + name, "expected an array");
  const out = new Array<R>(v.length);
  for (let i = 0; i < v.length; i++) {
    try {
      out[i] = item(v[i]);
    } catch (e) {
      if (e instanceof ShapeError) e.path = `.${name}[${i}]${e.path}`;
      throw e;
    }
  }
  return out;
}

/** A string field (`null`/absent → ''). */
export function str(v: unknown, name: string): string {
  if (v == null) return "";
  if (typeof v !== "string") throw new ShapeError("." + name, "expected a string");
  return v;
}

/** A uint32 field: an integer number or a decimal string (`null`/absent → 0). */
export function u32(v: unknown, name: string): number {
  if (v == null) return 0;
  const n = typeof v === "string" && /^[0-9]{1,10}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 4294967295) {
    throw new ShapeError("." + name, "expected an unsigned 32-bit integer");
  }
  return n;
}

/** A fixed64 field: a non-negative integer number or decimal string (`null`/absent → 0). */
export function fixed64(v: unknown, name: string): Int64 {
  if (v == null) return 0;
  const n = parseJsonInt64(v, false);
  if (n === undefined) {
    throw new ShapeError("." + name, "expected an unsigned 64-bit integer (number or decimal string)");
  }
  return n;
}

/**
 * An enum field: an integer, or a member name. Unknown names become 0 (the
 * "unspecified" member) rather than failing the request, so that a sender using a
 * newer schema is still heard.
 */
export function enumValue(v: unknown, name: string, names: Readonly<Record<string, number>>): number {
  if (v == null) return 0;
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 2147483647) return v;
  if (typeof v === "string") {
    return Object.hasOwn(names, v) ? names[v] : /^[0-9]{1,9}$/.test(v) ? Number(v) : 0;
  }
  throw new ShapeError("." + name, "expected an enum integer or name");
}

/** The empty id: what an absent or "" id decodes to. */
export const EMPTY_ID: Uint8Array = new Uint8Array(0);

/**
 * A trace or span id, hex per the OTLP/JSON spec (either case). A wrong *length*
 * decodes, so that the mapper rejects the item alone as it does for protobuf; text that
 * is not hex at all is a malformed request.
 */
export function id(v: unknown, name: string): Uint8Array {
  if (v == null || v === "") return EMPTY_ID;
  if (typeof v === "string") {
    try {
      return Uint8Array.fromHex(v);
    } catch {
      // fall through to the error below
    }
  }
  throw new ShapeError("." + name, "expected a hex-encoded id string");
}

function bytes(v: unknown, name: string): Uint8Array {
  if (typeof v === "string") {
    try {
      return Uint8Array.fromBase64(v, { alphabet: /[-_]/.test(v) ? "base64url" : "base64" });
    } catch {
      // fall through to the error below
    }
  }
  throw new ShapeError("." + name, "expected a base64 string");
}

function double(v: unknown, name: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "NaN") return NaN;
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    const n = Number(v);
    if (v.trim() !== "" && !Number.isNaN(n)) return n;
  }
  throw new ShapeError("." + name, 'expected a number or "NaN", "Infinity", "-Infinity"');
}

const EMPTY_VALUE: T.AnyValue = Object.freeze({});

/** An AnyValue at nesting level `depth` (1 for an attribute value or a log body). */
export function anyValue(v: unknown, depth: number): T.AnyValue {
  if (v == null) return EMPTY_VALUE;
  const m = object(v, "");
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new ShapeError("", `an AnyValue is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  let out = EMPTY_VALUE;
  for (const k in m) {
    const x = m[k];
    if (x === null) continue;
    switch (k) {
      case "stringValue":
      case "string_value":
        out = { stringValue: str(x, k) };
        break;
      case "boolValue":
      case "bool_value":
        if (typeof x !== "boolean") throw new ShapeError("." + k, "expected true or false");
        out = { boolValue: x };
        break;
      case "intValue":
      case "int_value": {
        const n = parseJsonInt64(x, true);
        if (n === undefined) {
          throw new ShapeError("." + k, "expected a 64-bit integer (number or decimal string)");
        }
        out = { intValue: n };
        break;
      }
      case "doubleValue":
      case "double_value":
        out = { doubleValue: double(x, k) };
        break;
      case "bytesValue":
      case "bytes_value":
        out = { bytesValue: bytes(x, k) };
        break;
      case "arrayValue":
      case "array_value":
        out = {
          arrayValue: { values: nested(x, k, (a) => list(a, "values", (e) => anyValue(e, depth + 1))) },
        };
        break;
      case "kvlistValue":
      case "kvlist_value":
        out = {
          kvlistValue: { values: nested(x, k, (a) => keyValues(a, "values", depth + 1)) },
        };
        break;
    }
  }
  return out;
}

// ArrayValue and KeyValueList wrap their list in an object: {"values": [...]}.
function nested<R>(x: unknown, name: string, read: (values: unknown) => R[]): R[] {
  const m = object(x, "." + name);
  return within(name, () => read(m.values));
}

/** A KeyValue list; values start at nesting level `depth`. */
export function keyValues(v: unknown, name: string, depth = 1): T.KeyValue[] {
  return list(v, name, (item) => {
    const m = object(item, "");
    const kv: T.KeyValue = { key: "", value: EMPTY_VALUE };
    for (const k in m) {
      if (k === "key") kv.key = str(m[k], k);
      else if (k === "value") kv.value = within(k, () => anyValue(m[k], depth));
    }
    return kv;
  });
}

/** A Resource (`null`/absent → null). */
export function resource(v: unknown): T.Resource | null {
  if (v == null) return null;
  const m = object(v, ".resource");
  const out: T.Resource = { attributes: [], droppedAttributesCount: 0 };
  return within("resource", () => {
    for (const k in m) {
      if (k === "attributes") out.attributes = keyValues(m[k], k);
      else if (k === "droppedAttributesCount" || k === "dropped_attributes_count") {
        out.droppedAttributesCount = u32(m[k], k);
      }
    }
    return out;
  });
}

/** An InstrumentationScope (`null`/absent → null). */
export function scope(v: unknown): T.InstrumentationScope | null {
  if (v == null) return null;
  const m = object(v, ".scope");
  const out: T.InstrumentationScope = { name: "", version: "", attributes: [], droppedAttributesCount: 0 };
  return within("scope", () => {
    for (const k in m) {
      const x = m[k];
      if (k === "name") out.name = str(x, k);
      else if (k === "version") out.version = str(x, k);
      else if (k === "attributes") out.attributes = keyValues(x, k);
      else if (k === "droppedAttributesCount" || k === "dropped_attributes_count") {
        out.droppedAttributesCount = u32(x, k);
      }
    }
    return out;
  });
}
