/**
 * Benchmark payloads: OTLP requests encoded once and re-sent with fresh trace
 * ids, and the same data as storage rows for the in-process storage limit.
 *
 * A request carries 512 spans (or log records) in 8 resources of 5 attributes
 * each (8 services), every item with 10 attributes: 64 traces of 8 spans that
 * chain across the 8 services, so the trace summaries and the service map have
 * real work. Trace ids are random, as real ones are; keys in random order cost
 * an index much more than increasing ones (PERFORMANCE_NOTES.md).
 *
 * @module
 */

import { otlpProto } from "../src/otlp/proto.ts";
import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from "../src/otlp/decode_protobuf.ts";
import { mapTraces } from "../src/otlp/map_traces.ts";
import { mapLogs } from "../src/otlp/map_logs.ts";
import type { LogRow, SpanRow } from "../src/store/rows.ts";

/** Items per request. */
export const ITEMS_PER_REQUEST = 512;
const SERVICES = ["gateway", "auth", "user", "order", "payment", "inventory", "shipping", "notification"];
const TRACES = ITEMS_PER_REQUEST / SERVICES.length;

/** Fills bytes from a xorshift32 state (fast; good enough for ids; the state must not be 0). */
export function randomBytesInto(buf: Uint8Array, offset: number, length: number, state: Uint32Array): void {
  for (let i = 0; i < length; i++) {
    let x = state[0];
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    state[0] = x;
    buf[offset + i] = x & 0xff;
  }
}

const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function kv(key: string, value: string | number) {
  return { key, value: typeof value === "number" ? { intValue: value } : { stringValue: value } };
}

function resource(service: string, i: number) {
  return {
    attributes: [
      kv("service.name", service),
      kv("service.version", `2.${i}.7`),
      kv("service.instance.id", `${service}-6f9c4d7b8-${(i * 7919).toString(36)}`),
      kv("host.name", `ip-10-0-${i}-${17 + i}.eu-west-1.compute.internal`),
      kv("deployment.environment", "production"),
    ],
  };
}

/** A pre-encoded request and where its trace ids and times sit. */
export interface Template {
  bytes: Uint8Array;
  /** Byte offsets of every occurrence of each trace id (16 bytes each), per trace. */
  traceIdOffsets: number[][];
  /** Byte offsets of every time (fixed64 nanoseconds, little-endian): span start and end, log time and observed time. */
  timeOffsets: number[];
  items: number;
}

/** The offsets of `times` (fixed64, little-endian) in `bytes`, checked to be exactly `expected` many. */
function timeOffsetsOf(bytes: Uint8Array, times: readonly bigint[], expected: number): number[] {
  const found = new Set<number>();
  const le = new Uint8Array(8);
  const view = new DataView(le.buffer);
  for (const t of new Set(times)) {
    view.setBigUint64(0, t, true);
    for (const o of offsetsOf(bytes, le)) found.add(o);
  }
  if (found.size !== expected) throw new Error(`found ${found.size} time fields, expected ${expected}`);
  return [...found].sort((a, b) => a - b);
}

function offsetsOf(bytes: Uint8Array, needle: Uint8Array): number[] {
  const out: number[] = [];
  for (
    let i = bytes.indexOf(needle[0]);
    i >= 0 && i <= bytes.length - needle.length;
    i = bytes.indexOf(needle[0], i + 1)
  ) {
    let match = true;
    for (let j = 1; j < needle.length && match; j++) match = bytes[i + j] === needle[j];
    if (match) out.push(i);
  }
  return out;
}

function ids(seed: number) {
  const state = new Uint32Array([seed * 2654435761 >>> 0 || 1]);
  const traceIds = Array.from({ length: TRACES }, () => {
    const b = new Uint8Array(16);
    randomBytesInto(b, 0, 16, state);
    return b;
  });
  const spanId = (t: number, s: number) => {
    const b = new Uint8Array(8);
    b[0] = 0x5a;
    b[1] = t;
    b[2] = s;
    b[7] = 1;
    return b;
  };
  return { traceIds, spanId };
}

/** An encoded ExportTraceServiceRequest of 512 spans; `nowMs` places them in time. */
export function tracesTemplate(nowMs: number, seed = 1): Template {
  const { traceIds, spanId } = ids(seed);
  const base = BigInt(Math.floor(nowMs)) * 1_000_000n;
  const resourceSpans = SERVICES.map((service, s) => ({
    resource: resource(service, s),
    scopeSpans: [{
      scope: { name: `io.opentelemetry.${service}`, version: "1.32.0" },
      spans: traceIds.map((traceId, t) => {
        const start = base + BigInt(t * 1_000_000 + s * 150_000);
        const duration = BigInt(200_000 + ((t * 7 + s * 13) % 40) * 25_000) * BigInt(8 - s);
        const status = (t + s) % 50 === 0 ? { code: 2, message: "upstream returned 503" } : { code: 0 };
        return {
          traceId,
          spanId: spanId(t, s),
          parentSpanId: s === 0 ? new Uint8Array() : spanId(t, s - 1),
          name: s % 2 === 0 ? `GET /api/v1/${service}/{id}` : `POST /${service}/process`,
          kind: s % 2 === 0 ? 2 : 3,
          startTimeUnixNano: start.toString(),
          endTimeUnixNano: (start + duration).toString(),
          status,
          attributes: [
            kv("http.method", s % 2 === 0 ? "GET" : "POST"),
            kv("http.route", s % 2 === 0 ? `/api/v1/${service}/{id}` : `/${service}/process`),
            kv("http.status_code", status.code === 2 ? 503 : 200),
            kv("http.target", `/api/v1/${service}/${100_000 + t * 31 + s}`),
            kv("net.peer.name", `${SERVICES[(s + 1) % SERVICES.length]}.prod.svc.cluster.local`),
            kv("net.peer.port", 8080),
            kv("enduser.id", `user-${(t * 37) % 1000}`),
            kv("db.system", s % 3 === 0 ? "postgresql" : "redis"),
            kv("thread.name", `worker-${t % 16}`),
            kv("request.id", `req-${seed}-${t}-${s}-7f3a9c2e`),
          ],
        };
      }),
    }],
  }));
  const T = otlpProto().ExportTraceServiceRequest;
  const bytes = new Uint8Array(T.encode(T.fromObject({ resourceSpans })).finish());
  const traceIdOffsets = traceIds.map((id) => offsetsOf(bytes, id));
  for (const o of traceIdOffsets) {
    if (o.length !== SERVICES.length) throw new Error("trace id not found 8 times");
  }
  const times = resourceSpans.flatMap((r) =>
    r.scopeSpans[0].spans.flatMap((sp) => [BigInt(sp.startTimeUnixNano), BigInt(sp.endTimeUnixNano)])
  );
  const timeOffsets = timeOffsetsOf(bytes, times, 2 * ITEMS_PER_REQUEST);
  return { bytes, traceIdOffsets, timeOffsets, items: ITEMS_PER_REQUEST };
}

/** An encoded ExportLogsServiceRequest of 512 log records with trace context. */
export function logsTemplate(nowMs: number, seed = 1): Template {
  const { traceIds, spanId } = ids(seed);
  const base = BigInt(Math.floor(nowMs)) * 1_000_000n;
  const resourceLogs = SERVICES.map((service, s) => ({
    resource: resource(service, s),
    scopeLogs: [{
      scope: { name: `${service}.logger`, version: "4.2.0" },
      logRecords: traceIds.map((traceId, t) => {
        const severityNumber = (t + s) % 40 === 0 ? 17 : (t + s) % 9 === 0 ? 13 : 9;
        return {
          timeUnixNano: (base + BigInt(t * 1_000_000 + s * 150_000)).toString(),
          observedTimeUnixNano: (base + BigInt(t * 1_000_000 + s * 150_000 + 2_000_000)).toString(),
          severityNumber,
          severityText: severityNumber === 17 ? "ERROR" : severityNumber === 13 ? "WARN" : "INFO",
          body: {
            stringValue: severityNumber === 17
              ? `request ${100_000 + t} failed: upstream ${
                SERVICES[(s + 1) % 8]
              } answered 503 after 3 retries`
              : `handled request ${100_000 + t} for user-${(t * 37) % 1000} in ${
                12 + (t % 40)
              } ms (cache hit)`,
          },
          traceId,
          spanId: spanId(t, s),
          flags: 1,
          attributes: [
            kv("code.namespace", `com.shop.${service}.api`),
            kv("code.function", s % 2 === 0 ? "handleGet" : "handlePost"),
            kv("thread.name", `worker-${t % 16}`),
            kv("enduser.id", `user-${(t * 37) % 1000}`),
            kv("http.route", `/api/v1/${service}/{id}`),
            kv("http.status_code", severityNumber === 17 ? 503 : 200),
            kv("log.logger", `${service}.RequestHandler`),
            kv("request.id", `req-${seed}-${t}-${s}-7f3a9c2e`),
            kv("region", "eu-west-1"),
            kv("attempt", 1 + (t % 3)),
          ],
        };
      }),
    }],
  }));
  const T = otlpProto().ExportLogsServiceRequest;
  const bytes = new Uint8Array(T.encode(T.fromObject({ resourceLogs })).finish());
  const times = resourceLogs.flatMap((r) =>
    r.scopeLogs[0].logRecords.flatMap((l) => [BigInt(l.timeUnixNano), BigInt(l.observedTimeUnixNano)])
  );
  return {
    bytes,
    traceIdOffsets: traceIds.map((id) => offsetsOf(bytes, id)),
    timeOffsets: timeOffsetsOf(bytes, times, 2 * ITEMS_PER_REQUEST),
    items: ITEMS_PER_REQUEST,
  };
}

/**
 * A copy of the template with a fresh random trace id for each trace and every
 * time moved `shiftNs` later: a load generator passes the time since it made the
 * template, so each request is stamped "now" as a live exporter's would be, and
 * the server's time indexes grow at their end as in production.
 */
export function stamp(t: Template, state: Uint32Array, shiftNs = 0n): Uint8Array {
  const out = t.bytes.slice();
  const id = new Uint8Array(16);
  for (const offsets of t.traceIdOffsets) {
    randomBytesInto(id, 0, 16, state);
    for (const o of offsets) out.set(id, o);
  }
  if (shiftNs !== 0n) {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (const o of t.timeOffsets) view.setBigUint64(o, view.getBigUint64(o, true) + shiftNs, true);
  }
  return out;
}

/** The template's spans as rows, decoded and mapped by Argus's own code. */
export function templateSpanRows(t: Template): SpanRow[] {
  return mapTraces(decodeTraceRequestProtobuf(t.bytes)).spans;
}

/** The template's logs as rows. */
export function templateLogRows(t: Template): LogRow[] {
  return mapLogs(decodeLogsRequestProtobuf(t.bytes)).logs;
}

/**
 * `count` span rows made from `rows` with fresh random trace ids, starting at
 * `startUs` and `stepUs` apart per copy of the template (time increases as in a
 * live stream).
 */
export function spanBatch(
  rows: SpanRow[],
  count: number,
  startUs: number,
  stepUs: number,
  state: Uint32Array,
): SpanRow[] {
  const out: SpanRow[] = [];
  const first = rows[0].start_us;
  const id = new Uint8Array(16);
  for (let copy = 0; out.length < count; copy++) {
    const newIds = new Map<string, string>();
    const shift = Math.round(startUs + copy * stepUs - first);
    for (const r of rows) {
      if (out.length >= count) break;
      let tid = newIds.get(r.trace_id);
      if (!tid) {
        randomBytesInto(id, 0, 16, state);
        tid = hexOf(id);
        newIds.set(r.trace_id, tid);
      }
      // The spread copies the attribute pairs' hashes too, as the mapper hands them to the writer.
      out.push({ ...r, trace_id: tid, start_us: r.start_us + shift, end_us: r.end_us + shift });
    }
  }
  return out;
}

/** `count` log rows from `rows`, starting at `startUs`, with fresh trace ids per copy. */
export function logBatch(
  rows: LogRow[],
  count: number,
  startUs: number,
  stepUs: number,
  state: Uint32Array,
): LogRow[] {
  const out: LogRow[] = [];
  const first = rows[0].timestamp_us;
  const id = new Uint8Array(16);
  for (let copy = 0; out.length < count; copy++) {
    const newIds = new Map<string, string>();
    const shift = Math.round(startUs + copy * stepUs - first);
    for (const r of rows) {
      if (out.length >= count) break;
      let tid = newIds.get(r.trace_id);
      if (!tid) {
        randomBytesInto(id, 0, 16, state);
        tid = hexOf(id);
        newIds.set(r.trace_id, tid);
      }
      out.push({ ...r, trace_id: tid, timestamp_us: r.timestamp_us + shift });
    }
  }
  return out;
}
