/**
 * The official OpenTelemetry JS exporters — trace and log, over gRPC, HTTP
 * protobuf and HTTP JSON — against a running Argus; then the repository reads
 * back exactly what was sent.
 */

import assert from "node:assert/strict";
import { type HrTime, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import { OTLPTraceExporter as GrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPLogExporter as GrpcLogExporter } from "@opentelemetry/exporter-logs-otlp-grpc";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { startTestArgus } from "./support/argus.ts";

const hrToUs = ([s, ns]: HrTime) => s * 1_000_000 + Math.floor(ns / 1000);
const KIND = ["INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

function recordSpans(service: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service, "host.name": "box-1", "process.pid": 42 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("checkout.lib", "2.1.0");
  const root = tracer.startSpan("POST /checkout", {
    kind: SpanKind.SERVER,
    attributes: {
      "http.method": "POST",
      "http.status_code": 500,
      retry: true,
      ratio: 0.25,
      tags: ["a", "b"],
    },
  });
  const child = tracer.startSpan("charge card", {
    kind: SpanKind.CLIENT,
    attributes: { "peer.service": "payment" },
    links: [{ context: root.spanContext(), attributes: { why: "retry" } }],
  }, trace.setSpan(ROOT_CONTEXT, root));
  child.addEvent("exception", { "exception.type": "Timeout", "exception.message": "card network slow" });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "card declined" });
  child.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return memory.getFinishedSpans();
}

function recordLogs(service: string, traceId: string, spanId: string): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger("app.logger", "3.0.0");
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: "ERROR",
    body: "payment failed for order 42",
    attributes: { "order.id": 42, "user.tier": "gold" },
    context: trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 }),
  });
  logger.emit({ severityNumber: SeverityNumber.WARN2, body: { nested: { ok: true } } });
  return memory.getFinishedLogRecords();
}

function exportWith<T>(
  exporter: { export(items: T[], cb: (r: { code: number; error?: Error }) => void): void },
  items: T[],
) {
  return new Promise<void>((resolve, reject) =>
    exporter.export(
      items,
      (r) => r.code === 0 ? resolve() : reject(r.error ?? new Error(`export code ${r.code}`)),
    )
  );
}

const transports = [
  {
    name: "gRPC",
    traces: (t: { grpc: string }) => new GrpcTraceExporter({ url: t.grpc }) as SpanExporter,
    logs: (t: { grpc: string }) => new GrpcLogExporter({ url: t.grpc }) as LogRecordExporter,
  },
  {
    name: "HTTP protobuf",
    traces: (t: { otlpHttp: string }) =>
      new ProtoTraceExporter({ url: `${t.otlpHttp}/v1/traces` }) as SpanExporter,
    logs: (t: { otlpHttp: string }) =>
      new ProtoLogExporter({ url: `${t.otlpHttp}/v1/logs` }) as LogRecordExporter,
  },
  {
    name: "HTTP JSON (on the main HTTP port)",
    traces: (t: { http: string }) => new JsonTraceExporter({ url: `${t.http}/v1/traces` }) as SpanExporter,
    logs: (t: { http: string }) => new JsonLogExporter({ url: `${t.http}/v1/logs` }) as LogRecordExporter,
  },
];

for (const transport of transports) {
  Deno.test(`official SDK exporters over ${transport.name}: what was sent reads back exactly`, async () => {
    const t = await startTestArgus();
    const service = `svc-${transport.name.split(" ")[0].toLowerCase()}`;
    try {
      const spans = recordSpans(service);
      const traceExporter = transport.traces(t);
      await exportWith(traceExporter, spans);
      await traceExporter.shutdown();

      const root = spans.find((s) => s.name === "POST /checkout")!;
      const child = spans.find((s) => s.name === "charge card")!;
      const traceId = root.spanContext().traceId;
      const logs = recordLogs(service, traceId, child.spanContext().spanId);
      const logExporter = transport.logs(t);
      await exportWith(logExporter, logs);
      await logExporter.shutdown();

      const repo = t.argus.store.forTenant("default");
      const stored = await repo.getSpans(traceId);
      assert.equal(stored.length, spans.length);
      for (const s of spans) {
        const row = stored.find((r) => r.span_id === s.spanContext().spanId)!;
        assert.ok(row, `span ${s.name} stored`);
        assert.equal(row.trace_id, s.spanContext().traceId);
        assert.equal(row.parent_span_id, s.parentSpanContext?.spanId ?? "");
        assert.equal(row.name, s.name);
        assert.equal(row.kind, KIND[s.kind]);
        assert.equal(row.service_name, service);
        assert.equal(row.start_us, hrToUs(s.startTime));
        assert.equal(row.end_us, hrToUs(s.endTime));
        assert.equal(row.status_code, ["UNSET", "OK", "ERROR"][s.status.code]);
        assert.equal(row.status_message, s.status.message ?? "");
        assert.deepEqual(JSON.parse(row.attributes), s.attributes);
        assert.equal(row.scope_name, "checkout.lib");
        assert.equal(row.scope_version, "2.1.0");
        const resource = JSON.parse(row.resource_attributes);
        assert.equal(resource["service.name"], service);
        assert.equal(resource["host.name"], "box-1");
        assert.equal(resource["process.pid"], 42);
      }
      const childRow = stored.find((r) => r.name === "charge card")!;
      const [event] = JSON.parse(childRow.events);
      assert.equal(event.name, "exception");
      assert.deepEqual(event.attributes, {
        "exception.type": "Timeout",
        "exception.message": "card network slow",
      });
      assert.equal(event.time_us, hrToUs(child.events[0].time));
      const [link] = JSON.parse(childRow.links);
      assert.equal(link.trace_id, traceId);
      assert.equal(link.span_id, root.spanContext().spanId);
      assert.deepEqual(link.attributes, { why: "retry" });

      const summary = await repo.getTrace(traceId);
      assert.equal(summary?.name, "POST /checkout");
      assert.equal(summary?.span_count, 2);
      assert.equal(summary?.status, "ERROR");

      const storedLogs = await repo.listLogs({
        startUs: 0,
        endUs: Number.MAX_SAFE_INTEGER,
        limit: 10,
        offset: 0,
      });
      assert.equal(storedLogs.total, 2);
      const error = storedLogs.rows.find((l) => l.severity === "ERROR")!;
      assert.equal(error.body, "payment failed for order 42");
      assert.equal(error.severity_number, 17);
      assert.equal(error.trace_id, traceId);
      assert.equal(error.span_id, child.spanContext().spanId);
      assert.equal(error.service_name, service);
      assert.deepEqual(JSON.parse(error.attributes), { "order.id": 42, "user.tier": "gold" });
      assert.equal(error.timestamp_us, hrToUs(logs[0].hrTime));
      assert.equal(error.ai_status, "skipped");
      const warn = storedLogs.rows.find((l) => l.severity === "WARN")!;
      assert.equal(warn.severity_number, 14);
      assert.deepEqual(JSON.parse(warn.body), { nested: { ok: true } });
      assert.equal(warn.trace_id, "");
      assert.deepEqual(await repo.getTraceLogs(traceId).then((l) => l.map((x) => x.id)), [error.id]);
    } finally {
      await t.stop();
    }
  });
}
