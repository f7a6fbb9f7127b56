/**
 * Building and sending OTLP requests by hand (for protocol edge cases the SDKs
 * never produce), over HTTP and over a raw grpc-js client.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { Buffer } from "node:buffer";
import { otlpProto } from "../../src/otlp/proto.ts";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

/** A plain-object span for ExportTraceServiceRequest.fromObject, ids as hex. */
export function protoSpan(traceHex: string, spanHex: string, name = "op", parentHex = "") {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: hex(traceHex),
    spanId: hex(spanHex),
    parentSpanId: parentHex ? hex(parentHex) : new Uint8Array(),
    name,
    kind: 2,
    startTimeUnixNano: now.toString(),
    endTimeUnixNano: (now + 1_000_000n).toString(),
    attributes: [{ key: "k", value: { stringValue: "v" } }],
  };
}

/** A trace request of `spans` for one service. */
export function traceRequest(service: string, spans: unknown[]) {
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: "test" }, spans }],
    }],
  };
}

/** A logs request of `n` INFO records for one service. */
export function logsRequest(service: string, n: number, severityNumber = 9) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeLogs: [{
        scope: { name: "test" },
        logRecords: Array.from({ length: n }, (_, i) => ({
          timeUnixNano: (now + BigInt(i)).toString(),
          severityNumber,
          body: { stringValue: `record ${i}` },
        })),
      }],
    }],
  };
}

/** Protobuf bytes of a trace request object. */
export function encodeTraces(obj: unknown): Uint8Array<ArrayBuffer> {
  const T = otlpProto().ExportTraceServiceRequest;
  return new Uint8Array(T.encode(T.fromObject(obj as Record<string, unknown>)).finish());
}

/** Protobuf bytes of a logs request object. */
export function encodeLogs(obj: unknown): Uint8Array<ArrayBuffer> {
  const T = otlpProto().ExportLogsServiceRequest;
  return new Uint8Array(T.encode(T.fromObject(obj as Record<string, unknown>)).finish());
}

/** Decodes a protobuf trace response to a plain object (longs as numbers). */
export function decodeTraceResponse(bytes: Uint8Array): Record<string, unknown> {
  const T = otlpProto().ExportTraceServiceResponse;
  return T.toObject(T.decode(bytes), { longs: Number }) as Record<string, unknown>;
}

/** Decodes a google.rpc.Status. */
export function decodeStatus(bytes: Uint8Array): { code?: number; message?: string } {
  const T = otlpProto().Status;
  return T.toObject(T.decode(bytes)) as { code?: number; message?: string };
}

/** Gzips bytes. */
export async function gzip(data: Uint8Array | ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const source = (data instanceof Uint8Array ? ReadableStream.from([data]) : data) as ReadableStream<
    BufferSource
  >;
  const stream = source.pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Result of a raw gRPC unary call. */
export interface GrpcResult {
  code: number;
  details: string;
  response?: Uint8Array;
}

/** Calls an OTLP Export method with raw bytes. */
export function grpcExport(
  address: string,
  signal: "traces" | "logs",
  body: Uint8Array,
  options: { gzip?: boolean; metadata?: Record<string, string | string[]> } = {},
): Promise<GrpcResult> {
  const client = new grpc.Client(address.replace(/^http:\/\//, ""), grpc.credentials.createInsecure(), {
    ...(options.gzip ? { "grpc.default_compression_algorithm": 2 } : {}),
    "grpc.max_send_message_length": 256 * 1024 * 1024,
  });
  const path = signal === "traces"
    ? "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
    : "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(options.metadata ?? {})) for (const x of [v].flat()) md.add(k, x);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(body),
      md,
      { deadline: Date.now() + 30_000 },
      (err, res) => {
        client.close();
        if (err) resolve({ code: err.code ?? -1, details: err.details ?? err.message });
        else resolve({ code: 0, details: "", response: res ? new Uint8Array(res) : undefined });
      },
    );
  });
}
