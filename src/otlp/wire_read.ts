/**
 * The reading primitives of the OTLP decoder (`wire.ts`) on top of protobufjs's `Reader`: strings
 * through a cache of recently seen short ASCII ones, 64-bit values without `Long` objects, tags,
 * skipping, and sub-messages bounded by narrowing the reader's end to them.
 *
 * @module
 */

import protobuf from "protobufjs";
import type { Int64, LongLike } from "./int64.ts";

/** protobufjs's wire reader. */
export type Reader = protobuf.Reader;

/** Deepest message nesting decoded (protobufjs's recursion limit). */
export const MAX_MESSAGE_DEPTH = 100;

const TWO_32 = 4294967296;

/**
 * Short ASCII strings decoded lately, by a hash of their bytes. Telemetry repeats itself:
 * attribute keys always, many values too, so most short strings are found here and cost no
 * allocation (and no garbage). A hit is compared byte by byte, never trusted on the hash.
 */
const SHORT = 32;
const RECENT_BITS = 12;
const recent: string[] = new Array(1 << RECENT_BITS).fill("");

/** A string field: from the cache when short, ASCII and seen lately; else checked as UTF-8. */
export function string(r: Reader): string {
  const at = r.pos;
  const len = r.size();
  const start = r.pos;
  const end = start + len;
  if (len <= SHORT && end <= r.len) {
    const b = r.buf;
    let h = 0x811c9dc5 ^ len;
    let i = start;
    for (; i < end; i++) {
      const c = b[i];
      if (c >= 0x80) break;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (i === end) {
      r.pos = end;
      const slot = h >>> (32 - RECENT_BITS);
      const hit = recent[slot];
      if (hit.length === len) {
        let j = 0;
        while (j < len && hit.charCodeAt(j) === b[start + j]) j++;
        if (j === len) return hit;
      }
      const made = String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
      recent[slot] = made;
      return made;
    }
  }
  r.pos = at;
  try {
    return r.stringVerify();
  } catch (e) {
    // protobufjs says "The encoded data is not valid"; say which data.
    if (e instanceof TypeError) throw new TypeError(`invalid UTF-8 in a string field at offset ${start}`);
    throw e;
  }
}

function long(low: number, high: number, unsigned: boolean): LongLike {
  return { low: low | 0, high: high | 0, unsigned };
}

/** An unsigned fixed64: a number when safe, else a LongLike. */
export function fixed64(r: Reader): Int64 {
  const lo = r.fixed32();
  const hi = r.fixed32();
  return hi < 0x200000 ? hi * TWO_32 + lo : long(lo, hi, true);
}

/** A signed int64 varint: a number when safe, else a LongLike (protobufjs would make a Long). */
export function int64(r: Reader): Int64 {
  const b = r.buf;
  let p = r.pos;
  let lo = 0, hi = 0;
  for (let i = 0; i < 10; i++) {
    if (p >= r.len) throw new RangeError(`index out of range: ${p} + 1 > ${r.len}`);
    const byte = b[p++];
    const bits = byte & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) {
      lo |= bits << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (7 * i - 32);
    if (byte < 0x80) {
      r.pos = p;
      // Exact whenever the result is a safe integer; anything larger rounds to beyond 2^53.
      const n = hi * TWO_32 + (lo >>> 0);
      return Number.isSafeInteger(n) ? n : long(lo, hi, false);
    }
  }
  throw new Error("invalid varint encoding");
}

/** The next tag; 0 and malformed tags are errors. */
export function tag(r: Reader): number {
  const t = r.tag();
  if (t >>> 3 === 0) throw new Error(`illegal tag: field number 0 at offset ${r.pos}`);
  return t;
}

export function skip(r: Reader, t: number, depth: number): void {
  r.skipType(t & 7, depth, t >>> 3);
}

/** Reads a length-delimited sub-message with `read`, which sees only its bytes. */
export function sub<M>(
  r: Reader,
  depth: number,
  read: (r: Reader, depth: number, into?: M) => M,
  into?: M,
): M {
  if (depth >= MAX_MESSAGE_DEPTH) throw new Error("max depth exceeded");
  const len = r.size();
  const end = r.pos + len;
  if (end > r.len) throw new RangeError(`index out of range: ${r.pos} + ${len} > ${r.len}`);
  const outer = r.len;
  r.len = end;
  const m = read(r, depth + 1, into);
  r.len = outer;
  return m;
}
