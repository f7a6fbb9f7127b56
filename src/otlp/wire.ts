/**
 * A protobuf decoder written for the two OTLP export requests, producing the plain
 * objects of `types.ts` directly. protobufjs's generated decoders were a fifth of the
 * ingest thread's time and much of its garbage: every message is an object with its
 * defaults on a prototype, every 64-bit field a `Long`, and setting an AnyValue's
 * `value` oneof runs `delete` on the other members, which turns each AnyValue into a
 * slow dictionary-mode object. Here each message is one object literal, a 64-bit field
 * is a number when it is a safe integer (else a {@link LongLike}), and an AnyValue gets
 * exactly one own member, the last one on the wire, as proto3 says for a oneof.
 *
 * Rules, those of the protobuf encoding spec: fields may come in any order and repeat
 * (a repeated field appends, a singular one keeps the last value); a field with an
 * unknown number, or a known number with another wire type, is skipped (groups too);
 * a length that runs past its enclosing message, a varint longer than ten bytes, wire
 * types 6 and 7, field number 0 and a string that is not UTF-8 are errors, thrown as
 * plain `Error`s whose messages `decode_protobuf.ts` words for the client. Messages
 * nest at most {@link MAX_MESSAGE_DEPTH} deep, as with protobufjs.
 *
 * @module
 */

import type { Int64, LongLike } from "./int64.ts";
import type {
  AnyValue,
  ExportLogsServiceRequest,
  ExportTraceServiceRequest,
  InstrumentationScope,
  KeyValue,
  LogRecord,
  Resource,
  ResourceLogs,
  ResourceSpans,
  ScopeLogs,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  SpanStatus,
} from "./types.ts";

/** Deepest message nesting decoded (protobufjs's recursion limit). */
export const MAX_MESSAGE_DEPTH = 100;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Short ASCII strings decoded lately, by a hash of their bytes. Telemetry repeats itself:
 * attribute keys always, many values (methods, routes, status codes, service names)
 * too, so most short strings are found here and cost no allocation (and no garbage).
 */
const SHORT = 32;
const RECENT_BITS = 12;
const recent: string[] = new Array(1 << RECENT_BITS).fill("");
const TWO_32 = 4294967296;

// Tags: field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
const F1_LEN = 10;
const F1_I64 = 9;
const F2_LEN = 18;
const F2_VARINT = 16;
const F3_LEN = 26;
const F3_VARINT = 24;
const F4_LEN = 34;
const F4_I64 = 33;
const F4_VARINT = 32;
const F5_LEN = 42;
const F5_VARINT = 40;
const F6_LEN = 50;
const F6_VARINT = 48;
const F6_I32 = 53;
const F7_LEN = 58;
const F7_I64 = 57;
const F7_VARINT = 56;
const F8_I64 = 65;
const F8_I32 = 69;
const F9_LEN = 74;
const F10_LEN = 82;
const F10_VARINT = 80;
const F11_LEN = 90;
const F11_I64 = 89;
const F12_LEN = 98;
const F12_VARINT = 96;
const F13_LEN = 106;
const F14_VARINT = 112;
const F15_LEN = 122;
const F16_I32 = 133;

class Reader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  /** The end of the message being read: no field may run past it. */
  limit: number;
  /** The high 32 bits of the last {@link varint64}. */
  hi = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.limit = buf.length;
  }

  #outOfRange(n: number): never {
    throw new RangeError(`index out of range: ${this.pos} + ${n} > ${this.limit}`);
  }

  /** A varint's low 32 bits, unsigned (tags, lengths, uint32, and int32 enums via `| 0`). */
  uint32(): number {
    const b = this.buf;
    let p = this.pos;
    if (p < this.limit && b[p] < 0x80) {
      this.pos = p + 1;
      return b[p];
    }
    let x = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (p >= this.limit) this.#outOfRange(1);
      const byte = b[p++];
      if (shift < 32) x |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return x >>> 0;
      }
    }
    throw new RangeError(`invalid varint encoding at offset ${this.pos}`);
  }

  /** A varint's low 32 bits (returned, as signed int) and high 32 bits (in `hi`). */
  varint64(): number {
    const b = this.buf;
    let p = this.pos;
    let lo = 0, hi = 0;
    for (let i = 0; i < 10; i++) {
      if (p >= this.limit) this.#outOfRange(1);
      const byte = b[p++];
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (byte < 0x80) {
        this.pos = p;
        this.hi = hi;
        return lo;
      }
    }
    throw new RangeError(`invalid varint encoding at offset ${this.pos}`);
  }

  /** Start of a length-delimited field's bytes; moves `pos` there and returns its end. */
  #span(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.limit) this.#outOfRange(len);
    return end;
  }

  string(): string {
    const end = this.#span();
    const start = this.pos;
    this.pos = end;
    const b = this.buf;
    const len = end - start;
    if (len <= SHORT) {
      // Short ASCII (most keys and many values): no call into the text decoder, and a string
      // seen recently is returned again instead of a new one (see `recent`).
      let h = 0x811c9dc5 ^ len;
      let i = start;
      for (; i < end; i++) {
        const c = b[i];
        if (c >= 0x80) break;
        h = Math.imul(h ^ c, 0x01000193);
      }
      if (i === end) {
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
    try {
      return utf8.decode(b.subarray(start, end));
    } catch {
      throw new TypeError(`invalid UTF-8 in a string field at offset ${start}`);
    }
  }

  /** A view of a bytes field (not a copy: the mappers turn it into text at once). */
  bytes(): Uint8Array {
    const end = this.#span();
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  fixed32(): number {
    if (this.pos + 4 > this.limit) this.#outOfRange(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** An unsigned fixed64: a number when safe, else a LongLike. */
  fixed64(): Int64 {
    if (this.pos + 8 > this.limit) this.#outOfRange(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi < 0x200000 ? hi * TWO_32 + lo : long(lo, hi, true);
  }

  double(): number {
    if (this.pos + 8 > this.limit) this.#outOfRange(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A signed int64 varint: a number when safe, else a LongLike. */
  int64(): Int64 {
    const lo = this.varint64();
    const hi = this.hi;
    // Exact whenever the result is a safe integer; anything larger rounds to beyond 2^53.
    const n = hi * TWO_32 + (lo >>> 0);
    return Number.isSafeInteger(n) ? n : long(lo, hi, false);
  }

  /** Enters a length-delimited sub-message; returns the limit to restore with {@link leave}. */
  enter(): number {
    const end = this.#span();
    const outer = this.limit;
    this.limit = end;
    return outer;
  }

  leave(outer: number): void {
    this.limit = outer;
  }

  /** Skips the value of an unknown field (or a known one with an unexpected wire type). */
  skip(tag: number, depth: number): void {
    switch (tag & 7) {
      case 0:
        this.varint64();
        return;
      case 1:
        if (this.pos + 8 > this.limit) this.#outOfRange(8);
        this.pos += 8;
        return;
      case 2:
        this.pos = this.#span();
        return;
      case 5:
        if (this.pos + 4 > this.limit) this.#outOfRange(4);
        this.pos += 4;
        return;
      case 3: {
        if (depth >= MAX_MESSAGE_DEPTH) throw new RangeError("max depth exceeded");
        for (;;) {
          if (this.pos >= this.limit) this.#outOfRange(1);
          const inner = this.uint32();
          if ((inner & 7) === 4) {
            if (inner >>> 3 !== tag >>> 3) throw new RangeError(`mismatched end group at offset ${this.pos}`);
            return;
          }
          this.skip(checkTag(inner, this.pos), depth + 1);
        }
      }
      default:
        throw new RangeError(`invalid wire type ${tag & 7} at offset ${this.pos}`);
    }
  }
}

function long(low: number, high: number, unsigned: boolean): LongLike {
  return { low: low | 0, high: high | 0, unsigned };
}

function checkTag(tag: number, pos: number): number {
  if (tag >>> 3 === 0) throw new RangeError(`invalid field number 0 at offset ${pos}`);
  return tag;
}

function tooDeep(depth: number): void {
  if (depth > MAX_MESSAGE_DEPTH) throw new RangeError("max depth exceeded");
}

// Each message decoder reads fields until the reader's limit (the message's end).

function anyValue(r: Reader, depth: number): AnyValue {
  tooDeep(depth);
  let member = 0;
  let value: unknown = undefined;
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    switch (tag) {
      case F1_LEN:
        member = 1;
        value = r.string();
        break;
      case F2_VARINT:
        member = 2;
        value = r.varint64() !== 0 || r.hi !== 0;
        break;
      case F3_VARINT:
        member = 3;
        value = r.int64();
        break;
      case F4_I64:
        member = 4;
        value = r.double();
        break;
      case F5_LEN: {
        const outer = r.enter();
        member = 5;
        value = { values: anyValues(r, depth + 1) };
        r.leave(outer);
        break;
      }
      case F6_LEN: {
        const outer = r.enter();
        member = 6;
        value = { values: keyValues(r, depth + 1) };
        r.leave(outer);
        break;
      }
      case F7_LEN:
        member = 7;
        value = r.bytes();
        break;
      default:
        r.skip(tag, depth);
    }
  }
  switch (member) {
    case 1:
      return { stringValue: value as string };
    case 2:
      return { boolValue: value as boolean };
    case 3:
      return { intValue: value as Int64 };
    case 4:
      return { doubleValue: value as number };
    case 5:
      return { arrayValue: value as AnyValue["arrayValue"] };
    case 6:
      return { kvlistValue: value as AnyValue["kvlistValue"] };
    case 7:
      return { bytesValue: value as Uint8Array };
    default:
      return {};
  }
}

/** ArrayValue.values (field 1, repeated AnyValue). */
function anyValues(r: Reader, depth: number): AnyValue[] {
  tooDeep(depth);
  const out: AnyValue[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    if (tag === F1_LEN) {
      const outer = r.enter();
      out.push(anyValue(r, depth + 1));
      r.leave(outer);
    } else r.skip(tag, depth);
  }
  return out;
}

/** KeyValueList.values (field 1, repeated KeyValue). */
function keyValues(r: Reader, depth: number): KeyValue[] {
  tooDeep(depth);
  const out: KeyValue[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    if (tag === F1_LEN) {
      const outer = r.enter();
      out.push(keyValue(r, depth + 1));
      r.leave(outer);
    } else r.skip(tag, depth);
  }
  return out;
}

function keyValue(r: Reader, depth: number): KeyValue {
  tooDeep(depth);
  let key: string | undefined;
  let value: AnyValue | undefined;
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    if (tag === F1_LEN) key = r.string();
    else if (tag === F2_LEN) {
      const outer = r.enter();
      value = anyValue(r, depth + 1);
      r.leave(outer);
    } else r.skip(tag, depth);
  }
  return { key, value };
}

/** Appends one KeyValue (a length-delimited field) to `list`. */
function pushKeyValue(r: Reader, list: KeyValue[], depth: number): void {
  const outer = r.enter();
  list.push(keyValue(r, depth + 1));
  r.leave(outer);
}

function resource(r: Reader, depth: number): Resource {
  tooDeep(depth);
  const attributes: KeyValue[] = [];
  let dropped = 0;
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    if (tag === F1_LEN) pushKeyValue(r, attributes, depth);
    else if (tag === F2_VARINT) dropped = r.uint32();
    else r.skip(tag, depth);
  }
  return { attributes, droppedAttributesCount: dropped };
}

function scope(r: Reader, depth: number): InstrumentationScope {
  tooDeep(depth);
  let name = "", version = "", dropped = 0;
  const attributes: KeyValue[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    switch (tag) {
      case F1_LEN:
        name = r.string();
        break;
      case F2_LEN:
        version = r.string();
        break;
      case F3_LEN:
        pushKeyValue(r, attributes, depth);
        break;
      case F4_VARINT:
        dropped = r.uint32();
        break;
      default:
        r.skip(tag, depth);
    }
  }
  return { name, version, attributes, droppedAttributesCount: dropped };
}

/** A singular sub-message field: decoded with `read` inside its bounds. */
function sub<M>(r: Reader, depth: number, read: (r: Reader, depth: number) => M): M {
  const outer = r.enter();
  const m = read(r, depth + 1);
  r.leave(outer);
  return m;
}

function status(r: Reader, depth: number): SpanStatus {
  tooDeep(depth);
  let message = "", code = 0;
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    if (tag === F2_LEN) message = r.string();
    else if (tag === F3_VARINT) code = r.uint32() | 0;
    else r.skip(tag, depth);
  }
  return { message, code };
}

function event(r: Reader, depth: number): SpanEvent {
  tooDeep(depth);
  let time: Int64 = 0, name = "", dropped = 0;
  const attributes: KeyValue[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    switch (tag) {
      case F1_I64:
        time = r.fixed64();
        break;
      case F2_LEN:
        name = r.string();
        break;
      case F3_LEN:
        pushKeyValue(r, attributes, depth);
        break;
      case F4_VARINT:
        dropped = r.uint32();
        break;
      default:
        r.skip(tag, depth);
    }
  }
  return { timeUnixNano: time, name, attributes, droppedAttributesCount: dropped };
}

function link(r: Reader, depth: number): SpanLink {
  tooDeep(depth);
  let traceId: Uint8Array | null = null, spanId: Uint8Array | null = null;
  let traceState = "", dropped = 0, flags = 0;
  const attributes: KeyValue[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    switch (tag) {
      case F1_LEN:
        traceId = r.bytes();
        break;
      case F2_LEN:
        spanId = r.bytes();
        break;
      case F3_LEN:
        traceState = r.string();
        break;
      case F4_LEN:
        pushKeyValue(r, attributes, depth);
        break;
      case F5_VARINT:
        dropped = r.uint32();
        break;
      case F6_I32:
        flags = r.fixed32();
        break;
      default:
        r.skip(tag, depth);
    }
  }
  return { traceId, spanId, traceState, attributes, droppedAttributesCount: dropped, flags };
}

function span(r: Reader, depth: number): Span {
  tooDeep(depth);
  let traceId: Uint8Array | null = null, spanId: Uint8Array | null = null;
  let parentSpanId: Uint8Array | null = null;
  let traceState = "", name = "", kind = 0, flags = 0;
  let start: Int64 = 0, end: Int64 = 0;
  let droppedAttributes = 0, droppedEvents = 0, droppedLinks = 0;
  let spanStatus: SpanStatus | null = null;
  const attributes: KeyValue[] = [];
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    switch (tag) {
      case F1_LEN:
        traceId = r.bytes();
        break;
      case F2_LEN:
        spanId = r.bytes();
        break;
      case F3_LEN:
        traceState = r.string();
        break;
      case F4_LEN:
        parentSpanId = r.bytes();
        break;
      case F5_LEN:
        name = r.string();
        break;
      case F6_VARINT:
        kind = r.uint32() | 0;
        break;
      case F7_I64:
        start = r.fixed64();
        break;
      case F8_I64:
        end = r.fixed64();
        break;
      case F9_LEN:
        pushKeyValue(r, attributes, depth);
        break;
      case F10_VARINT:
        droppedAttributes = r.uint32();
        break;
      case F11_LEN:
        events.push(sub(r, depth, event));
        break;
      case F12_VARINT:
        droppedEvents = r.uint32();
        break;
      case F13_LEN:
        links.push(sub(r, depth, link));
        break;
      case F14_VARINT:
        droppedLinks = r.uint32();
        break;
      case F15_LEN:
        spanStatus = sub(r, depth, status);
        break;
      case F16_I32:
        flags = r.fixed32();
        break;
      default:
        r.skip(tag, depth);
    }
  }
  return {
    traceId,
    spanId,
    traceState,
    parentSpanId,
    flags,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    droppedAttributesCount: droppedAttributes,
    events,
    droppedEventsCount: droppedEvents,
    links,
    droppedLinksCount: droppedLinks,
    status: spanStatus,
  };
}

/**
 * The envelopes (ResourceSpans, ScopeSpans, ResourceLogs, ScopeLogs) share one layout:
 * field 1 a singular message (the resource or scope), field 2 the repeated items,
 * field 3 the schema URL.
 */
function envelope<H, I>(
  r: Reader,
  depth: number,
  readHead: (r: Reader, depth: number) => H,
  readItem: (r: Reader, depth: number) => I,
): { head: H | null; items: I[]; schemaUrl: string } {
  tooDeep(depth);
  let head: H | null = null, schemaUrl = "";
  const items: I[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    if (tag === F2_LEN) items.push(sub(r, depth, readItem));
    else if (tag === F1_LEN) head = sub(r, depth, readHead);
    else if (tag === F3_LEN) schemaUrl = r.string();
    else r.skip(tag, depth);
  }
  return { head, items, schemaUrl };
}

function scopeSpans(r: Reader, depth: number): ScopeSpans {
  const e = envelope(r, depth, scope, span);
  return { scope: e.head, spans: e.items, schemaUrl: e.schemaUrl };
}

function resourceSpans(r: Reader, depth: number): ResourceSpans {
  const e = envelope(r, depth, resource, scopeSpans);
  return { resource: e.head, scopeSpans: e.items, schemaUrl: e.schemaUrl };
}

function logRecord(r: Reader, depth: number): LogRecord {
  tooDeep(depth);
  let time: Int64 = 0, observed: Int64 = 0;
  let severityNumber = 0, severityText = "", eventName = "";
  let body: AnyValue | null = null;
  let dropped = 0, flags = 0;
  let traceId: Uint8Array | null = null, spanId: Uint8Array | null = null;
  const attributes: KeyValue[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    switch (tag) {
      case F1_I64:
        time = r.fixed64();
        break;
      case F2_VARINT:
        severityNumber = r.uint32() | 0;
        break;
      case F3_LEN:
        severityText = r.string();
        break;
      case F5_LEN:
        body = sub(r, depth, anyValue);
        break;
      case F6_LEN:
        pushKeyValue(r, attributes, depth);
        break;
      case F7_VARINT:
        dropped = r.uint32();
        break;
      case F8_I32:
        flags = r.fixed32();
        break;
      case F9_LEN:
        traceId = r.bytes();
        break;
      case F10_LEN:
        spanId = r.bytes();
        break;
      case F11_I64:
        observed = r.fixed64();
        break;
      case F12_LEN:
        eventName = r.string();
        break;
      default:
        r.skip(tag, depth);
    }
  }
  return {
    timeUnixNano: time,
    observedTimeUnixNano: observed,
    severityNumber,
    severityText,
    body,
    attributes,
    droppedAttributesCount: dropped,
    flags,
    traceId,
    spanId,
    eventName,
  };
}

function scopeLogs(r: Reader, depth: number): ScopeLogs {
  const e = envelope(r, depth, scope, logRecord);
  return { scope: e.head, logRecords: e.items, schemaUrl: e.schemaUrl };
}

function resourceLogs(r: Reader, depth: number): ResourceLogs {
  const e = envelope(r, depth, resource, scopeLogs);
  return { resource: e.head, scopeLogs: e.items, schemaUrl: e.schemaUrl };
}

/** A request's field 1, repeated: its resource envelopes. */
function requestItems<I>(bytes: Uint8Array, readItem: (r: Reader, depth: number) => I): I[] {
  const r = new Reader(bytes);
  const items: I[] = [];
  while (r.pos < r.limit) {
    const tag = checkTag(r.uint32(), r.pos);
    if (tag === F1_LEN) items.push(sub(r, 0, readItem));
    else r.skip(tag, 0);
  }
  return items;
}

/** Decodes an ExportTraceServiceRequest; throws `RangeError`/`TypeError` on malformed bytes. */
export function decodeTraceRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  return { resourceSpans: requestItems(bytes, resourceSpans) };
}

/** Decodes an ExportLogsServiceRequest; throws as {@link decodeTraceRequest}. */
export function decodeLogsRequest(bytes: Uint8Array): ExportLogsServiceRequest {
  return { resourceLogs: requestItems(bytes, resourceLogs) };
}
