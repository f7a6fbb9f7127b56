/**
 * Cross-check with the real OpenTelemetry JS SDK and its OTLP serializers (the code the
 * official exporters run): what an SDK sends must come back out of our decoders and
 * mappers with the same ids, names, times, attributes, events, links, status, resource,
 * severity and body.
 */
import assert from "node:assert/strict";
import {
  type HrTime,
  ROOT_CONTEXT,
  SeverityNumber,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { decodeLogsRequestJson, decodeTraceRequestJson } from "./decode_json.ts";
import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from "./decode_protobuf.ts";
import { mapLogs } from "./map_logs.ts";
import { mapTraces } from "./map_traces.ts";

const resource = resourceFromAttributes({
  "service.name": "cross-svc",
  "deployment.environment": "test",
  pid: 4242,
});
const hrToUs = ([s, ns]: HrTime) => s * 1_000_000 + Math.floor(ns / 1000);
const KINDS = ["INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("cross.tracer", "9.9.9");
  const t0 = Date.UTC(2025, 0, 2, 3, 4, 5);
  const root = tracer.startSpan("GET /orders", {
    kind: SpanKind.SERVER,
    startTime: [t0 / 1000, 123_456_789],
    attributes: {
      "http.method": "GET",
      "http.status_code": 500,
      ratio: 0.5,
      ok: false,
      tags: ["a", "b"],
      ns: [1, 2],
    },
  });
  const other = tracer.startSpan("other");
  const child = tracer.startSpan("SELECT orders", {
    kind: SpanKind.CLIENT,
    links: [{ context: other.spanContext(), attributes: { "link.reason": "batch" } }],
  }, trace.setSpan(ROOT_CONTEXT, root));
  child.addEvent("retry", { attempt: 2, "db.error": "timeout" }, [t0 / 1000, 500_000_999]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: "deadlock 😱" });
  child.end([t0 / 1000 + 1, 0]);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end([t0 / 1000 + 2, 999]);
  other.end();
  return exporter.getFinishedSpans();
}

function checkSpans(spans: ReadableSpan[], body: Uint8Array, decode: typeof decodeTraceRequestProtobuf) {
  const { spans: rows, rejected } = mapTraces(decode(body));
  assert.equal(rejected, 0);
  assert.equal(rows.length, spans.length);
  for (const s of spans) {
    const row = rows.find((r) => r.span_id === s.spanContext().spanId);
    assert.ok(row, `span ${s.name} is missing`);
    assert.equal(row.trace_id, s.spanContext().traceId);
    assert.equal(row.parent_span_id, s.parentSpanContext?.spanId ?? "");
    assert.equal(row.name, s.name);
    assert.equal(row.kind, KINDS[s.kind]);
    assert.equal(row.start_us, hrToUs(s.startTime));
    assert.equal(row.end_us, hrToUs(s.endTime));
    assert.equal(row.duration_us, hrToUs(s.endTime) - hrToUs(s.startTime));
    assert.equal(row.status_code, ["UNSET", "OK", "ERROR"][s.status.code]);
    assert.equal(row.status_message, s.status.message ?? "");
    assert.deepEqual(JSON.parse(row.attributes), s.attributes);
    assert.deepEqual(JSON.parse(row.resource_attributes), s.resource.attributes);
    assert.equal(row.service_name, "cross-svc");
    assert.equal(row.scope_name, "cross.tracer");
    assert.equal(row.scope_version, "9.9.9");
    assert.deepEqual(
      JSON.parse(row.events),
      s.events.map((e) => ({ name: e.name, time_us: hrToUs(e.time), attributes: e.attributes ?? {} })),
    );
    assert.deepEqual(
      JSON.parse(row.links),
      s.links.map((l) => ({
        trace_id: l.context.traceId,
        span_id: l.context.spanId,
        trace_state: "",
        attributes: l.attributes ?? {},
      })),
    );
  }
  const child = rows.find((r) => r.name === "SELECT orders")!;
  assert.equal(child.status_code, "ERROR");
  assert.equal(
    JSON.parse(child.events)[0].time_us % 1_000_000,
    500_000,
    "sub-second event time kept to the µs",
  );
  assert.equal(JSON.parse(child.links).length, 1);
}

Deno.test("SDK spans through the official protobuf serializer read back exactly", () => {
  const spans = recordSpans();
  checkSpans(spans, ProtobufTraceSerializer.serializeRequest(spans)!, decodeTraceRequestProtobuf);
});

Deno.test("SDK spans through the official JSON serializer read back exactly", () => {
  const spans = recordSpans();
  checkSpans(spans, JsonTraceSerializer.serializeRequest(spans)!, decodeTraceRequestJson);
});

async function recordLogs() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger("cross.logger");
  const span = trace.wrapSpanContext({
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: 1,
  });
  logger.emit({
    severityNumber: SeverityNumber.ERROR2,
    severityText: "error",
    body: "payment failed: card declined",
    attributes: { "order.id": 42, retry: true },
    context: trace.setSpan(ROOT_CONTEXT, span),
    timestamp: [1735787045, 5_000_001],
  });
  logger.emit({ severityNumber: SeverityNumber.WARN, body: { event: "slow", ms: 1500, tags: ["db"] } });
  logger.emit({ severityText: "notice", body: "no number" });
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}

async function checkLogs(
  body: (records: Awaited<ReturnType<typeof recordLogs>>) => Uint8Array,
  json: boolean,
) {
  const records = await recordLogs();
  const bytes = body(records);
  const { logs, rejected } = mapLogs(json ? decodeLogsRequestJson(bytes) : decodeLogsRequestProtobuf(bytes));
  assert.equal(rejected, 0);
  assert.equal(logs.length, 3);
  const [err, warn, notice] = logs;
  assert.equal(err.timestamp_us, 1735787045_005_000);
  assert.equal(err.trace_id, "0af7651916cd43dd8448eb211c80319c");
  assert.equal(err.span_id, "b7ad6b7169203331");
  assert.deepEqual([err.severity_number, err.severity], [18, "ERROR"]);
  assert.equal(err.body, "payment failed: card declined");
  assert.deepEqual(JSON.parse(err.attributes), { "order.id": 42, retry: true });
  assert.deepEqual(JSON.parse(err.resource_attributes), records[0].resource.attributes);
  assert.equal(err.service_name, "cross-svc");
  assert.equal(err.scope_name, "cross.logger");
  assert.deepEqual([warn.severity_number, warn.severity, warn.trace_id], [13, "WARN", ""]);
  assert.deepEqual(JSON.parse(warn.body), { event: "slow", ms: 1500, tags: ["db"] });
  assert.equal(warn.timestamp_us, hrToUs(records[1].hrTime));
  assert.deepEqual([notice.severity_number, notice.severity, notice.body], [0, "notice", "no number"]);
}

Deno.test("SDK log records through the official protobuf serializer read back exactly", async () => {
  await checkLogs((r) => ProtobufLogsSerializer.serializeRequest(r)!, false);
});

Deno.test("SDK log records through the official JSON serializer read back exactly", async () => {
  await checkLogs((r) => JsonLogsSerializer.serializeRequest(r)!, true);
});
