/**
 * The hand-written decoder against protobufjs, the reference it replaced: the same
 * bytes must map to the same rows (fixtures, the benchmark payloads and a few hundred
 * random requests holding every kind of value), and malformed bytes must be refused.
 */

import assert from "node:assert/strict";
import { otlpProto } from "./proto.ts";
import { decodeLogsRequest, decodeTraceRequest } from "./wire.ts";
import { mapTraces } from "./map_traces.ts";
import { mapLogs } from "./map_logs.ts";
import type { ExportLogsServiceRequest, ExportTraceServiceRequest } from "./types.ts";
import { ld, logsFixtureAsProtobuf, tracesFixtureAsProtobuf } from "../../tests/fixtures/otlp/fixtures.ts";
import { logsTemplate, tracesTemplate } from "../../bench/payload.ts";

const NOW_US = 1_700_000_000_000_000;

function viaProtobufjs(kind: "traces" | "logs", bytes: Uint8Array) {
  return kind === "traces"
    ? mapTraces(otlpProto().ExportTraceServiceRequest.decode(bytes) as ExportTraceServiceRequest)
    : mapLogs(otlpProto().ExportLogsServiceRequest.decode(bytes) as ExportLogsServiceRequest, NOW_US);
}

function viaWire(kind: "traces" | "logs", bytes: Uint8Array) {
  return kind === "traces" ? mapTraces(decodeTraceRequest(bytes)) : mapLogs(decodeLogsRequest(bytes), NOW_US);
}

function sameRows(kind: "traces" | "logs", bytes: Uint8Array, what: string) {
  assert.deepEqual(viaWire(kind, bytes), viaProtobufjs(kind, bytes), what);
}

Deno.test("wire: the fixtures and the benchmark payloads map as with protobufjs", () => {
  sameRows("traces", tracesFixtureAsProtobuf("traces_mixed.json"), "traces fixture");
  sameRows("logs", logsFixtureAsProtobuf("logs_mixed.json"), "logs fixture");
  sameRows("traces", tracesTemplate(Date.now()).bytes, "bench traces");
  sameRows("logs", logsTemplate(Date.now()).bytes, "bench logs");
  assert.equal(mapTraces(decodeTraceRequest(tracesTemplate(Date.now()).bytes)).spans.length, 512);
});

/** A small seeded generator (xorshift32), so a failure repeats. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}

const TEXTS = [
  "",
  " padded ",
  "GET",
  "http.request.method",
  "ünïcödé ✓",
  "emoji 🦄 text",
  "x".repeat(40),
  "日本語のログ".repeat(8),
];

function randomRequest(seed: number) {
  const r = rng(seed);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => r.int(256));
  const id = (n: number) => r.next() < 0.1 ? bytes(r.pick([0, 3, n])) : bytes(n);
  const int64 = () =>
    r.pick([
      0,
      -1,
      42,
      -(2 ** 40),
      "9007199254740993",
      "-9223372036854775808",
      "9223372036854775807",
      "-9007199254740993",
    ]);
  const time = () =>
    r.pick([0, "1700000000123456789", "18446744073709551615", 1_000_123, "9007199254740993"]);
  const anyValue = (depth: number): Record<string, unknown> => {
    switch (r.int(depth > 3 ? 5 : 8)) {
      case 0:
        return { stringValue: r.pick(TEXTS) };
      case 1:
        return { boolValue: r.next() < 0.5 };
      case 2:
        return { intValue: int64() };
      case 3:
        return { doubleValue: r.pick([0, 1.5, -2.25e300, NaN, Infinity, -Infinity, 5e-324]) };
      case 4:
        return { bytesValue: bytes(r.int(5)) };
      case 5:
        return { arrayValue: { values: Array.from({ length: r.int(4) }, () => anyValue(depth + 1)) } };
      case 6:
        return { kvlistValue: { values: attributes(depth + 1) } };
      default:
        return {};
    }
  };
  const attributes = (depth = 1) =>
    Array.from({ length: r.int(5) }, () => ({ key: r.pick(TEXTS), value: anyValue(depth) }));
  const resource = () =>
    r.next() < 0.2 ? undefined : {
      attributes: [...attributes(), ...(r.next() < 0.8 ? [{ key: "service.name", value: anyValue(9) }] : [])],
      droppedAttributesCount: r.int(3),
    };
  const scope = () =>
    r.next() < 0.3 ? undefined : {
      name: r.pick(TEXTS),
      version: r.pick(TEXTS),
      attributes: attributes(),
      droppedAttributesCount: r.int(3),
    };
  const traces = {
    resourceSpans: Array.from({ length: 1 + r.int(3) }, () => ({
      resource: resource(),
      schemaUrl: r.pick(TEXTS),
      scopeSpans: Array.from({ length: 1 + r.int(2) }, () => ({
        scope: scope(),
        spans: Array.from({ length: r.int(6) }, () => ({
          droppedEventsCount: r.int(3),
          droppedLinksCount: r.int(3),
          traceId: id(16),
          spanId: id(8),
          parentSpanId: r.next() < 0.5 ? id(8) : undefined,
          traceState: r.pick(TEXTS),
          name: r.pick(TEXTS),
          kind: r.pick([0, 1, 2, 3, 4, 5, 9, -1]),
          flags: r.pick([0, 1, 0x301, 0xffffffff]),
          startTimeUnixNano: time(),
          endTimeUnixNano: time(),
          attributes: attributes(),
          droppedAttributesCount: r.int(4),
          events: Array.from({ length: r.int(3) }, () => ({
            timeUnixNano: time(),
            name: r.pick(TEXTS),
            attributes: attributes(),
            droppedAttributesCount: r.int(3),
          })),
          links: Array.from({ length: r.int(3) }, () => ({
            traceId: id(16),
            spanId: id(8),
            traceState: r.pick(TEXTS),
            attributes: attributes(),
            droppedAttributesCount: r.int(3),
            flags: r.pick([0, 1, 0x100]),
          })),
          status: r.next() < 0.3 ? undefined : { code: r.pick([0, 1, 2, 7]), message: r.pick(TEXTS) },
        })),
      })),
    })),
  };
  const logs = {
    resourceLogs: Array.from({ length: 1 + r.int(3) }, () => ({
      resource: resource(),
      scopeLogs: Array.from({ length: 1 + r.int(2) }, () => ({
        scope: scope(),
        logRecords: Array.from({ length: r.int(6) }, () => ({
          timeUnixNano: time(),
          observedTimeUnixNano: time(),
          severityNumber: r.pick([0, 1, 9, 17, 24, 30, -3]),
          severityText: r.pick(TEXTS),
          body: r.next() < 0.2 ? undefined : anyValue(1),
          attributes: attributes(),
          flags: r.pick([0, 1]),
          traceId: r.next() < 0.3 ? undefined : id(16),
          spanId: r.next() < 0.3 ? undefined : id(8),
          eventName: r.pick(TEXTS),
          droppedAttributesCount: r.int(3),
        })),
      })),
    })),
  };
  const P = otlpProto();
  return {
    traces: P.ExportTraceServiceRequest.encode(P.ExportTraceServiceRequest.fromObject(traces)).finish(),
    logs: P.ExportLogsServiceRequest.encode(P.ExportLogsServiceRequest.fromObject(logs)).finish(),
  };
}

/**
 * Every decoded field, not only what the mappers read: both decodings as protobufjs's canonical
 * object form (defaults filled in, 64-bit values and bytes as text).
 */
function sameMessage(kind: "traces" | "logs", bytes: Uint8Array, what: string) {
  const P = otlpProto();
  const T = kind === "traces" ? P.ExportTraceServiceRequest : P.ExportLogsServiceRequest;
  const options = { longs: String, bytes: String, defaults: true, arrays: true };
  const wire = kind === "traces" ? decodeTraceRequest(bytes) : decodeLogsRequest(bytes);
  assert.deepEqual(
    T.toObject(T.fromObject(wire as Record<string, unknown>), options),
    T.toObject(T.decode(bytes), options),
    what,
  );
}

Deno.test("wire: 300 random requests with every field and kind of value decode as with protobufjs", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { traces, logs } = randomRequest(seed);
    sameRows("traces", traces, `traces, seed ${seed}`);
    sameRows("logs", logs, `logs, seed ${seed}`);
    sameMessage("traces", traces, `traces, seed ${seed}`);
    sameMessage("logs", logs, `logs, seed ${seed}`);
  }
});

Deno.test("wire: a singular message sent twice is merged, as protobufjs does", () => {
  const kv = (key: string, value: Uint8Array) => ld(6, cat(ld(1, enc(key)), ld(2, value)));
  const str = (text: string) => ld(1, enc(text));
  // resource_logs with two resources: the attributes of both, the later scalar.
  const resourceA = cat(ld(1, cat(ld(1, enc("service.name")), ld(2, str("checkout")))), [0x10, 0x01]);
  const resourceB = ld(1, cat(ld(1, enc("x")), ld(2, str("b"))));
  // A body sent as two array values: one array of both; a status-like repeat in a record's body.
  const body = cat(ld(5, ld(1, str("a"))), ld(5, ld(1, str("b"))));
  const record = cat(ld(5, body), kv("k", str("v")));
  const bytes = ld(1, cat(ld(1, resourceA), ld(1, resourceB), ld(2, ld(2, record))));
  sameMessage("logs", bytes, "merged resource and body");
  const [log] = mapLogs(decodeLogsRequest(bytes), NOW_US).logs;
  assert.equal(log.service_name, "checkout");
  assert.deepEqual(JSON.parse(log.resource_attributes), { "service.name": "checkout", x: "b" });
  assert.equal(log.body, '["a","b"]');
  // Two statuses on a span: the message of the first survives a second that sets only the code.
  const span = cat(ld(1, new Uint8Array(16).fill(1)), ld(2, new Uint8Array(8).fill(2)));
  const spanBytes = ld(1, ld(2, ld(2, cat(span, ld(15, ld(2, enc("boom"))), ld(15, cat([0x18, 0x02]))))));
  sameMessage("traces", spanBytes, "merged status");
  const [s] = mapTraces(decodeTraceRequest(spanBytes)).spans;
  assert.equal(s.status_message, "boom");
  assert.equal(s.status_code, "ERROR");
});

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** A logs request holding one record made of `record` bytes. */
const oneRecord = (record: Uint8Array) => ld(1, ld(2, ld(2, record)));

Deno.test("wire: unknown fields and known fields with another wire type are skipped", () => {
  const record = cat(
    [0xf8, 0x06, 0x96, 0x01], // field 111, varint
    [0xfd, 0x06, 1, 2, 3, 4], // field 111, fixed32
    [0xf9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8], // field 111, fixed64
    ld(111, enc("skip me")),
    [0xfb, 0x06, 0x08, 0x01, 0xfc, 0x06], // field 111, a group holding a varint, then its end
    [0x1d, 1, 2, 3, 4], // severity_text (3) as a fixed32: not a string, skipped
    ld(3, enc("WARN")),
    [0x10, 0x0d], // severity_number 13
  );
  sameMessage("logs", oneRecord(record), "unknown fields");
  const { logs } = mapLogs(decodeLogsRequest(oneRecord(record)), NOW_US);
  assert.equal(logs.length, 1);
  assert.equal(logs[0].severity_number, 13);
  assert.equal(logs[0].severity, "WARN");
});

Deno.test("wire: the last member of an AnyValue's oneof wins; repeated singular fields keep the last", () => {
  const body = cat(ld(1, enc("text")), [0x18, 0x07]); // string_value "text", then int_value 7
  const record = cat(ld(5, body), ld(3, enc("first")), ld(3, enc("second")));
  const [log] = mapLogs(decodeLogsRequest(oneRecord(record)), NOW_US).logs;
  assert.equal(log.body, "7");
  assert.equal(log.severity, "second");
  const again = mapLogs(
    decodeLogsRequest(oneRecord(cat(ld(5, cat([0x18, 0x07], ld(1, enc("text"))))))),
    NOW_US,
  );
  assert.equal(again.logs[0].body, "text");
});

Deno.test("wire: malformed bytes are refused with an error naming the problem", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["field number 0", cat([0x02, 0x00]), /field number 0/],
    ["wire type 7", cat([0x0f]), /invalid wire type 7/],
    ["wire type 6", oneRecord(cat([0x0e])), /invalid wire type 6/],
    ["an 11-byte varint", oneRecord(cat([0x10], new Array(10).fill(0xff), [0x01])), /invalid varint/],
    ["a length past the end", cat([0x0a, 0x05, 0x12, 0x00]), /index out of range/],
    // The record claims 2 bytes but its string field runs on into the parent message.
    [
      "a field past its message",
      ld(1, ld(2, cat([0x12, 0x02, 0x1a, 0x05], enc("abcde")))),
      /index out of range/,
    ],
    ["a group never closed", oneRecord(cat([0xfb, 0x06, 0x08, 0x01])), /index out of range/],
    ["a mismatched end group", oneRecord(cat([0xfb, 0x06, 0xf4, 0x07])), /invalid end group/],
    ["short invalid UTF-8", oneRecord(ld(3, cat([0x41, 0x80]))), /utf-?8/i],
    ["long invalid UTF-8", oneRecord(ld(3, cat(enc("a".repeat(40)), [0xc3, 0x28]))), /utf-?8/i],
    ["a six-byte tag", oneRecord(cat([0x98, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01])), /invalid tag encoding/],
    // A length of 2^32 + 3: no reader may take it for 3.
    ["a length over 2^31", cat([0x0a, 0x83, 0x80, 0x80, 0x80, 0x10], [1, 2, 3]), /invalid length encoding/],
    ["a fixed64 cut short", oneRecord(cat([0x09, 1, 2, 3])), /index out of range/],
  ];
  for (const [what, bytes, pattern] of cases) {
    assert.throws(
      () => decodeLogsRequest(bytes),
      (e: unknown) => e instanceof Error && pattern.test(e.message),
      what,
    );
  }
});

Deno.test("wire: 64-bit values beyond 2^53 keep every digit", () => {
  // int_value -2^63 (ten-byte varint) and 2^53 + 1; time_unix_nano 2^64 - 1.
  const min = cat([0x18], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  const big = cat([0x18], [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]);
  const attrs = cat(ld(6, cat(ld(1, enc("min")), ld(2, min))), ld(6, cat(ld(1, enc("big")), ld(2, big))));
  const record = cat([0x09], new Array(8).fill(0xff), attrs);
  const [log] = mapLogs(decodeLogsRequest(oneRecord(record)), NOW_US).logs;
  assert.deepEqual(JSON.parse(log.attributes), { min: "-9223372036854775808", big: "9007199254740993" });
  assert.equal(log.timestamp_us, Number.MAX_SAFE_INTEGER);
});
