/**
 * The simulated shop's telemetry through the official OpenTelemetry JS SDK: one
 * tracer provider and one logger provider per service (as seven processes would
 * have), batch processors, and the OTLP exporters for gRPC, HTTP/protobuf or
 * HTTP/JSON. A call into another service crosses a `traceparent` header, so the
 * callee's span is the caller's child exactly as across real processes.
 *
 * @module
 */

import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  type HrTime,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { type Logger, SeverityNumber } from "@opentelemetry/api-logs";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
} from "@opentelemetry/sdk-logs";
import { OTLPTraceExporter as GrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPLogExporter as GrpcLogExporter } from "@opentelemetry/exporter-logs-otlp-grpc";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { Metadata } from "@grpc/grpc-js";
import { type Op, type Service, SERVICES, walk } from "./ops.ts";
import { traceparentPropagator } from "./traceparent.ts";

/** OTLP transports, named as `OTEL_EXPORTER_OTLP_PROTOCOL` names them. */
export type Protocol = "grpc" | "http/protobuf" | "http/json";

/** Export outcomes, counted per item. */
export interface ExportCounts {
  spansExported: number;
  spansFailed: number;
  logsExported: number;
  logsFailed: number;
  lastError?: string;
}

type ResultCallback = (r: { code: number; error?: Error }) => void;

/** An exporter that counts what its wrapped exporter delivered and what it failed to. */
class Counting<T> {
  constructor(
    private readonly inner: {
      export(items: T[], cb: ResultCallback): void;
      shutdown(): Promise<void>;
      forceFlush?(): Promise<void>;
    },
    private readonly count: (n: number, ok: boolean, error?: Error) => void,
  ) {}
  export(items: T[], cb: ResultCallback): void {
    this.inner.export(items, (r) => {
      this.count(items.length, r.code === 0, r.error);
      cb(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

const KINDS: Record<Op["kind"], SpanKind> = {
  SERVER: SpanKind.SERVER,
  CLIENT: SpanKind.CLIENT,
  INTERNAL: SpanKind.INTERNAL,
  PRODUCER: SpanKind.PRODUCER,
  CONSUMER: SpanKind.CONSUMER,
};

const SEVERITY: Record<string, SeverityNumber> = {
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
};

/** Epoch milliseconds (fractional) as an OTel HrTime; never mistaken for a performance.now() reading. */
export function hrTime(ms: number): HrTime {
  const whole = Math.floor(ms);
  const seconds = Math.floor(whole / 1000);
  const nanos = (whole - seconds * 1000) * 1_000_000 + Math.round((ms - whole) * 1_000_000);
  return nanos >= 1_000_000_000 ? [seconds + 1, nanos - 1_000_000_000] : [seconds, nanos];
}

/** Where and how to export. */
export interface ShopOptions {
  protocol: Protocol;
  /** Base URL: `http://host:4317` for gRPC, `http://host:4318` for HTTP (`/v1/traces` is added). */
  endpoint: string;
  /** Extra headers (gRPC metadata), e.g. `X-API-Key` or `X-Scope-OrgID`. */
  headers: Record<string, string>;
}

/** Seven services with their SDK pipelines. */
export class Shop {
  readonly counts: ExportCounts = { spansExported: 0, spansFailed: 0, logsExported: 0, logsFailed: 0 };
  readonly #tracers = new Map<Service, ReturnType<BasicTracerProvider["getTracer"]>>();
  readonly #loggers = new Map<Service, Logger>();
  readonly #providers: (BasicTracerProvider | LoggerProvider)[] = [];

  constructor(options: ShopOptions) {
    for (const service of SERVICES) {
      const resource = resourceFromAttributes({
        "service.name": service,
        "service.namespace": "shop",
        "service.version": `1.${SERVICES.indexOf(service) + 3}.0`,
        "service.instance.id": `${service}-7d9f8b-${(SERVICES.indexOf(service) * 7919 % 1000).toString(36)}`,
        "deployment.environment": "simulation",
        "host.name": `node-${(SERVICES.indexOf(service) % 3) + 1}.shop.internal`,
      });
      const spans = new Counting<ReadableSpan>(traceExporter(options), (n, ok, err) => {
        if (ok) this.counts.spansExported += n;
        else {
          this.counts.spansFailed += n;
          this.counts.lastError = err?.message;
        }
      }) as SpanExporter;
      const tracerProvider = new BasicTracerProvider({
        resource,
        spanProcessors: [
          new BatchSpanProcessor(spans, {
            maxQueueSize: 65_536,
            maxExportBatchSize: 1024,
            scheduledDelayMillis: 500,
          }),
        ],
      });
      const logs = new Counting<ReadableLogRecord>(logExporter(options), (n, ok, err) => {
        if (ok) this.counts.logsExported += n;
        else {
          this.counts.logsFailed += n;
          this.counts.lastError = err?.message;
        }
      }) as LogRecordExporter;
      const loggerProvider = new LoggerProvider({
        resource,
        processors: [
          new BatchLogRecordProcessor({
            exporter: logs,
            maxQueueSize: 65_536,
            maxExportBatchSize: 1024,
            scheduledDelayMillis: 500,
          }),
        ],
      });
      this.#tracers.set(service, tracerProvider.getTracer(`shop.${service}`, "1.0.0"));
      this.#loggers.set(service, loggerProvider.getLogger(`shop.${service}.app`, "1.0.0"));
      this.#providers.push(tracerProvider, loggerProvider);
    }
  }

  /**
   * Emits one request, placed so that its last operation ends at `nowMs`.
   * Returns the number of spans and logs and whether the request failed.
   */
  emit(root: Op, nowMs = Date.now()): { spans: number; logs: number; error: boolean } {
    let end = 0;
    let spans = 0;
    let logs = 0;
    for (const op of walk(root)) {
      end = Math.max(end, op.startMs + op.durationMs);
      spans++;
      logs += op.logs.length;
    }
    this.#emitOp(root, ROOT_CONTEXT, undefined, nowMs - end);
    return { spans, logs, error: root.error !== undefined };
  }

  #emitOp(op: Op, parent: Context, parentService: Service | undefined, baseMs: number): void {
    let ctx = parent;
    if (parentService !== undefined && parentService !== op.service) {
      // Across services only the W3C header travels, as over a real network.
      const headers: Record<string, string> = {};
      traceparentPropagator.inject(parent, headers, defaultTextMapSetter);
      ctx = traceparentPropagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    }
    const start = baseMs + op.startMs;
    const end = start + op.durationMs;
    const span = this.#tracers.get(op.service)!.startSpan(op.name, {
      kind: KINDS[op.kind],
      attributes: op.attributes,
      startTime: hrTime(start),
    }, ctx);
    const own = trace.setSpan(ctx, span);
    const logger = this.#loggers.get(op.service)!;
    op.logs.forEach((line, i) => {
      logger.emit({
        timestamp: hrTime(start + op.durationMs * (0.5 + 0.4 * i / Math.max(1, op.logs.length))),
        severityNumber: SEVERITY[line.severity],
        severityText: line.severity,
        body: line.body,
        attributes: { "code.namespace": `shop.${op.service}`, ...line.attributes },
        context: own,
      });
    });
    if (op.error) {
      span.recordException(
        { name: op.error.type, message: op.error.message },
        hrTime(end - op.durationMs * 0.1),
      );
      span.setStatus({ code: SpanStatusCode.ERROR, message: op.error.message });
    }
    for (const child of op.children) this.#emitOp(child, own, op.service, baseMs);
    span.end(hrTime(end));
  }

  /** Exports everything still queued; failures are in {@link counts}, not thrown. */
  async flush(): Promise<void> {
    await Promise.allSettled(this.#providers.map((p) => p.forceFlush()));
  }

  /** Flushes and closes every exporter; failures are in {@link counts}, not thrown. */
  async shutdown(): Promise<void> {
    await Promise.allSettled(this.#providers.map((p) => p.shutdown()));
  }
}

function grpcMetadata(headers: Record<string, string>): Metadata {
  const md = new Metadata();
  for (const [k, v] of Object.entries(headers)) md.set(k.toLowerCase(), v);
  return md;
}

function traceExporter(o: ShopOptions): SpanExporter {
  switch (o.protocol) {
    case "grpc":
      return new GrpcTraceExporter({ url: o.endpoint, metadata: grpcMetadata(o.headers) });
    case "http/protobuf":
      return new ProtoTraceExporter({ url: `${o.endpoint}/v1/traces`, headers: o.headers });
    case "http/json":
      return new JsonTraceExporter({ url: `${o.endpoint}/v1/traces`, headers: o.headers });
  }
}

function logExporter(o: ShopOptions): LogRecordExporter {
  switch (o.protocol) {
    case "grpc":
      return new GrpcLogExporter({ url: o.endpoint, metadata: grpcMetadata(o.headers) });
    case "http/protobuf":
      return new ProtoLogExporter({ url: `${o.endpoint}/v1/logs`, headers: o.headers });
    case "http/json":
      return new JsonLogExporter({ url: `${o.endpoint}/v1/logs`, headers: o.headers });
  }
}
