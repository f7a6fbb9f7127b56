import assert from "node:assert/strict";
import { fixtureText, logsFixtureAsProtobuf } from "../../tests/fixtures/otlp/fixtures.ts";
import { decodeLogsRequestJson } from "./decode_json.ts";
import { decodeLogsRequestProtobuf } from "./decode_protobuf.ts";
import { mapLogs, severityOf } from "./map_logs.ts";
import type { AnyValue, LogRecord } from "./types.ts";

const NOW = 1_800_000_000_000_000;
const fromJson = () => mapLogs(decodeLogsRequestJson(fixtureText("logs_mixed.json")), NOW);
const fromProtobuf = () => mapLogs(decodeLogsRequestProtobuf(logsFixtureAsProtobuf("logs_mixed.json")), NOW);
const one = (rec: LogRecord) =>
  mapLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [rec] }] }] }, NOW).logs[0];

Deno.test("severity table: number ranges, then the record's own text, then UNSPECIFIED", () => {
  const expected: Array<[number, string]> = [
    [1, "TRACE"],
    [4, "TRACE"],
    [5, "DEBUG"],
    [8, "DEBUG"],
    [9, "INFO"],
    [12, "INFO"],
    [13, "WARN"],
    [16, "WARN"],
    [17, "ERROR"],
    [20, "ERROR"],
    [21, "FATAL"],
    [24, "FATAL"],
  ];
  for (const [n, name] of expected) assert.equal(severityOf(n, "ignored"), name, `number ${n}`);
  assert.equal(severityOf(0, "  Notice "), "Notice");
  assert.equal(severityOf(0, ""), "UNSPECIFIED");
  assert.equal(severityOf(0, " \0 "), "UNSPECIFIED");
  assert.equal(severityOf(25, "custom"), "custom");
  assert.equal(severityOf(0, "x".repeat(100)), "x".repeat(32));
});

Deno.test("log rows from the fixture, identical for protobuf and JSON", () => {
  assert.deepEqual(fromProtobuf(), fromJson());
  const { logs, rejected, message } = fromJson();
  assert.equal(rejected, 0);
  assert.equal(message, "");
  assert.deepEqual(logs[0], {
    timestamp_us: 1700000000123456,
    trace_id: "5b8efff798038103d269b633813fc60c",
    span_id: "eee19b7ec3c1b174",
    severity_number: 17,
    severity: "ERROR",
    body: "card declined",
    service_name: "billing",
    attributes: '{"order.id":42}',
    resource_attributes: '{"service.name":"billing"}',
    scope_name: "billing.logger",
  });
  assert.equal(logs[3].service_name, "unknown_service");
  assert.equal(logs[3].resource_attributes, "{}");
});

Deno.test("timestamp: time, else observed time, else now", () => {
  const { logs } = fromJson();
  assert.equal(logs[0].timestamp_us, 1700000000123456, "time_unix_nano wins over observed");
  assert.equal(logs[1].timestamp_us, 1700000002000000, "observed when time is 0");
  assert.equal(logs[2].timestamp_us, NOW, "now when both are 0");
});

Deno.test("invalid trace id → stored without trace context; invalid span id alone → trace id kept", () => {
  const { logs } = fromJson();
  assert.deepEqual([logs[1].trace_id, logs[1].span_id], ["", ""], "all-zero trace id drops both");
  assert.deepEqual([logs[2].trace_id, logs[2].span_id], ["5b8efff798038103d269b633813fc60c", ""]);
  const short = one({ traceId: new Uint8Array(15).fill(1), spanId: new Uint8Array(8).fill(1) });
  assert.deepEqual([short.trace_id, short.span_id], ["", ""]);
});

Deno.test("body: string as-is, scalars as text, structures as JSON, absent as ''", () => {
  const body = (b: AnyValue | null) => one({ body: b }).body;
  assert.equal(body({ stringValue: "plain {not json}" }), "plain {not json}");
  assert.equal(body({ intValue: 7 }), "7");
  assert.equal(body({ boolValue: false }), "false");
  assert.equal(body({ doubleValue: Infinity }), "Infinity");
  assert.equal(body({ bytesValue: new Uint8Array([1, 2, 3]) }), "AQID");
  assert.equal(
    body({ arrayValue: { values: [{ stringValue: "a" }] } }),
    '["a"]',
  );
  assert.equal(fromJson().logs[1].body, '{"event":"retry"}');
  assert.equal(body(null), "");
  assert.equal(body({}), "");
  assert.equal(body({ stringValue: "a\0b\uD800" }), "ab\uFFFD");
});

Deno.test("severity numbers outside 0-24 are stored as 0 with the text", () => {
  const r = one({ severityNumber: 99, severityText: "LOUD" });
  assert.deepEqual([r.severity_number, r.severity], [0, "LOUD"]);
});
