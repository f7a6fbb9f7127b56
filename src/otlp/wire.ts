/**
 * The protobuf decoder of the two OTLP export requests: protobufjs's wire `Reader`
 * (`wire_read.ts`), the field numbers and wire types of the `.proto` files in `proto/`
 * (`wire_tags.ts`), and message objects built here, in the style of protobufjs's static code,
 * as the plain objects of `types.ts`.
 *
 * protobufjs's reflection-generated decoders were a fifth of the ingest thread's time and much
 * of its garbage: every message an object with its defaults on a prototype, every 64-bit field a
 * `Long`, and each AnyValue made a slow dictionary-mode object by its oneof handling. Here each
 * message is one object literal; a 64-bit value is a number when it is a safe integer, else a
 * `{low, high}`; an AnyValue has exactly one own member; and short ASCII strings seen lately
 * (attribute keys, methods, routes, service names) are returned again instead of allocated.
 *
 * Rules, those of the protobuf encoding spec: fields may come in any order; a repeated field
 * appends; a singular scalar keeps its last value; a singular message that comes twice is
 * merged (repeated fields appended, scalars replaced); a oneof keeps its last member (two of the
 * same message member merge); unknown fields, known numbers with another wire type and groups
 * are skipped. Errors, thrown as plain `Error`s that `decode_protobuf.ts` words for the client:
 * a length past the end of its message, an over-long varint, tag or length, wire types 6 and 7,
 * field number 0, a string that is not UTF-8, and messages nested deeper than
 * {@link MAX_MESSAGE_DEPTH}.
 *
 * @module
 */

import type { Int64 } from "./int64.ts";
import { fixed64, int64, type Reader, skip, string, sub, tag } from "./wire_read.ts";
import { type WireTags, wireTags } from "./wire_tags.ts";
import type {
  AnyValue,
  ArrayValue,
  ExportLogsServiceRequest,
  ExportTraceServiceRequest,
  InstrumentationScope,
  KeyValue,
  KeyValueList,
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
import protobuf from "protobufjs";

export { MAX_MESSAGE_DEPTH } from "./wire_read.ts";

/** The schema's tags, set by the decode functions before any message is read. */
let G: WireTags;

// ---- Messages (each reads until the reader's end, its message's end) ---------------------------

function anyValue(r: Reader, depth: number, into?: AnyValue): AnyValue {
  const t = G.anyValue;
  // The member set so far (a merged AnyValue continues from the earlier one's).
  let member = into ? Object.keys(into)[0] ?? "" : "";
  let value: unknown = into && member ? (into as Record<string, unknown>)[member] : undefined;
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.stringValue) {
      member = "stringValue";
      value = string(r);
    } else if (k === t.intValue) {
      member = "intValue";
      value = int64(r);
    } else if (k === t.boolValue) {
      member = "boolValue";
      value = r.bool();
    } else if (k === t.doubleValue) {
      member = "doubleValue";
      value = r.double();
    } else if (k === t.kvlistValue) {
      value = sub(r, depth, keyValueList, member === "kvlistValue" ? value as KeyValueList : undefined);
      member = "kvlistValue";
    } else if (k === t.arrayValue) {
      value = sub(r, depth, arrayValue, member === "arrayValue" ? value as ArrayValue : undefined);
      member = "arrayValue";
    } else if (k === t.bytesValue) {
      member = "bytesValue";
      value = r.bytes();
    } else skip(r, k, depth);
  }
  switch (member) {
    case "stringValue":
      return { stringValue: value as string };
    case "intValue":
      return { intValue: value as Int64 };
    case "boolValue":
      return { boolValue: value as boolean };
    case "doubleValue":
      return { doubleValue: value as number };
    case "kvlistValue":
      return { kvlistValue: value as KeyValueList };
    case "arrayValue":
      return { arrayValue: value as ArrayValue };
    case "bytesValue":
      return { bytesValue: value as Uint8Array };
    default:
      return {};
  }
}

function arrayValue(r: Reader, depth: number, into?: ArrayValue): ArrayValue {
  const values = into?.values ?? [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === G.list) values.push(sub(r, depth, anyValue));
    else skip(r, k, depth);
  }
  return { values };
}

function keyValueList(r: Reader, depth: number, into?: KeyValueList): KeyValueList {
  const values = into?.values ?? [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === G.kvList) values.push(sub(r, depth, keyValue));
    else skip(r, k, depth);
  }
  return { values };
}

function keyValue(r: Reader, depth: number): KeyValue {
  const t = G.keyValue;
  let key: string | undefined;
  let value: AnyValue | undefined;
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.key) key = string(r);
    else if (k === t.value) value = sub(r, depth, anyValue, value);
    else skip(r, k, depth);
  }
  return { key, value };
}

function resource(r: Reader, depth: number, into?: Resource): Resource {
  const t = G.resource;
  const attributes = into?.attributes ?? [];
  let dropped = into?.droppedAttributesCount ?? 0;
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.attributes) attributes.push(sub(r, depth, keyValue));
    else if (k === t.droppedAttributesCount) dropped = r.uint32();
    else skip(r, k, depth);
  }
  return { attributes, droppedAttributesCount: dropped };
}

function scope(r: Reader, depth: number, into?: InstrumentationScope): InstrumentationScope {
  const t = G.scope;
  let name = into?.name ?? "", version = into?.version ?? "", dropped = into?.droppedAttributesCount ?? 0;
  const attributes = into?.attributes ?? [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.name) name = string(r);
    else if (k === t.version) version = string(r);
    else if (k === t.attributes) attributes.push(sub(r, depth, keyValue));
    else if (k === t.droppedAttributesCount) dropped = r.uint32();
    else skip(r, k, depth);
  }
  return { name, version, attributes, droppedAttributesCount: dropped };
}

function status(r: Reader, depth: number, into?: SpanStatus): SpanStatus {
  const t = G.status;
  let message = into?.message ?? "", code = into?.code ?? 0;
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.message) message = string(r);
    else if (k === t.code) code = r.int32();
    else skip(r, k, depth);
  }
  return { message, code };
}

function event(r: Reader, depth: number): SpanEvent {
  const t = G.event;
  let time: Int64 = 0, name = "", dropped = 0;
  const attributes: KeyValue[] = [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.attributes) attributes.push(sub(r, depth, keyValue));
    else if (k === t.timeUnixNano) time = fixed64(r);
    else if (k === t.name) name = string(r);
    else if (k === t.droppedAttributesCount) dropped = r.uint32();
    else skip(r, k, depth);
  }
  return { timeUnixNano: time, name, attributes, droppedAttributesCount: dropped };
}

function link(r: Reader, depth: number): SpanLink {
  const t = G.link;
  let traceId: Uint8Array | null = null, spanId: Uint8Array | null = null;
  let traceState = "", dropped = 0, flags = 0;
  const attributes: KeyValue[] = [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.attributes) attributes.push(sub(r, depth, keyValue));
    else if (k === t.traceId) traceId = r.bytes();
    else if (k === t.spanId) spanId = r.bytes();
    else if (k === t.traceState) traceState = string(r);
    else if (k === t.droppedAttributesCount) dropped = r.uint32();
    else if (k === t.flags) flags = r.fixed32();
    else skip(r, k, depth);
  }
  return { traceId, spanId, traceState, attributes, droppedAttributesCount: dropped, flags };
}

function span(r: Reader, depth: number): Span {
  const t = G.span;
  let traceId: Uint8Array | null = null, spanId: Uint8Array | null = null;
  let parentSpanId: Uint8Array | null = null;
  let traceState = "", name = "", kind = 0, flags = 0;
  let start: Int64 = 0, end: Int64 = 0;
  let droppedAttributes = 0, droppedEvents = 0, droppedLinks = 0;
  let spanStatus: SpanStatus | null = null;
  const attributes: KeyValue[] = [];
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  while (r.pos < r.len) {
    const k = tag(r);
    // Most frequent first: the if-chain is the switch, the tags coming from the schema.
    if (k === t.attributes) attributes.push(sub(r, depth, keyValue));
    else if (k === t.traceId) traceId = r.bytes();
    else if (k === t.spanId) spanId = r.bytes();
    else if (k === t.parentSpanId) parentSpanId = r.bytes();
    else if (k === t.name) name = string(r);
    else if (k === t.kind) kind = r.int32();
    else if (k === t.startTimeUnixNano) start = fixed64(r);
    else if (k === t.endTimeUnixNano) end = fixed64(r);
    else if (k === t.status) spanStatus = sub(r, depth, status, spanStatus ?? undefined);
    else if (k === t.events) events.push(sub(r, depth, event));
    else if (k === t.links) links.push(sub(r, depth, link));
    else if (k === t.flags) flags = r.fixed32();
    else if (k === t.traceState) traceState = string(r);
    else if (k === t.droppedAttributesCount) droppedAttributes = r.uint32();
    else if (k === t.droppedEventsCount) droppedEvents = r.uint32();
    else if (k === t.droppedLinksCount) droppedLinks = r.uint32();
    else skip(r, k, depth);
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

function logRecord(r: Reader, depth: number): LogRecord {
  const t = G.logRecord;
  let time: Int64 = 0, observed: Int64 = 0;
  let severityNumber = 0, severityText = "", eventName = "";
  let body: AnyValue | null = null;
  let dropped = 0, flags = 0;
  let traceId: Uint8Array | null = null, spanId: Uint8Array | null = null;
  const attributes: KeyValue[] = [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.attributes) attributes.push(sub(r, depth, keyValue));
    else if (k === t.timeUnixNano) time = fixed64(r);
    else if (k === t.observedTimeUnixNano) observed = fixed64(r);
    else if (k === t.severityNumber) severityNumber = r.int32();
    else if (k === t.severityText) severityText = string(r);
    else if (k === t.body) body = sub(r, depth, anyValue, body ?? undefined);
    else if (k === t.traceId) traceId = r.bytes();
    else if (k === t.spanId) spanId = r.bytes();
    else if (k === t.flags) flags = r.fixed32();
    else if (k === t.droppedAttributesCount) dropped = r.uint32();
    else if (k === t.eventName) eventName = string(r);
    else skip(r, k, depth);
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

/**
 * The envelopes (ResourceSpans, ScopeSpans, ResourceLogs, ScopeLogs) share one layout: a
 * singular head message (the resource or scope), the repeated items and the schema URL.
 */
function envelope<H, I>(
  r: Reader,
  depth: number,
  t: { head: number; items: number; schemaUrl: number },
  readHead: (r: Reader, depth: number, into?: H) => H,
  readItem: (r: Reader, depth: number) => I,
): { head: H | null; items: I[]; schemaUrl: string } {
  let head: H | null = null, schemaUrl = "";
  const items: I[] = [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === t.items) items.push(sub(r, depth, readItem));
    else if (k === t.head) head = sub(r, depth, readHead, head ?? undefined);
    else if (k === t.schemaUrl) schemaUrl = string(r);
    else skip(r, k, depth);
  }
  return { head, items, schemaUrl };
}

function scopeSpans(r: Reader, depth: number): ScopeSpans {
  const t = G.scopeSpans;
  const e = envelope(r, depth, { head: t.scope, items: t.spans, schemaUrl: t.schemaUrl }, scope, span);
  return { scope: e.head, spans: e.items, schemaUrl: e.schemaUrl };
}

function resourceSpans(r: Reader, depth: number): ResourceSpans {
  const t = G.resourceSpans;
  const e = envelope(
    r,
    depth,
    { head: t.resource, items: t.scopeSpans, schemaUrl: t.schemaUrl },
    resource,
    scopeSpans,
  );
  return { resource: e.head, scopeSpans: e.items, schemaUrl: e.schemaUrl };
}

function scopeLogs(r: Reader, depth: number): ScopeLogs {
  const t = G.scopeLogs;
  const e = envelope(
    r,
    depth,
    { head: t.scope, items: t.logRecords, schemaUrl: t.schemaUrl },
    scope,
    logRecord,
  );
  return { scope: e.head, logRecords: e.items, schemaUrl: e.schemaUrl };
}

function resourceLogs(r: Reader, depth: number): ResourceLogs {
  const t = G.resourceLogs;
  const e = envelope(
    r,
    depth,
    { head: t.resource, items: t.scopeLogs, schemaUrl: t.schemaUrl },
    resource,
    scopeLogs,
  );
  return { resource: e.head, scopeLogs: e.items, schemaUrl: e.schemaUrl };
}

/** A request's one field, repeated: its resource envelopes. */
function requestItems<I>(bytes: Uint8Array, field: number, readItem: (r: Reader, depth: number) => I): I[] {
  const r = protobuf.Reader.create(bytes);
  const items: I[] = [];
  while (r.pos < r.len) {
    const k = tag(r);
    if (k === field) items.push(sub(r, 0, readItem));
    else skip(r, k, 0);
  }
  return items;
}

/** Decodes an ExportTraceServiceRequest; throws plain `Error`s on malformed bytes. */
export function decodeTraceRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  G = wireTags();
  return { resourceSpans: requestItems(bytes, G.traceRequest, resourceSpans) };
}

/** Decodes an ExportLogsServiceRequest; throws as {@link decodeTraceRequest}. */
export function decodeLogsRequest(bytes: Uint8Array): ExportLogsServiceRequest {
  G = wireTags();
  return { resourceLogs: requestItems(bytes, G.logsRequest, resourceLogs) };
}
