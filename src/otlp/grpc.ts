/**
 * OTLP/gRPC: `TraceService/Export` and `LogsService/Export` on grpc-js. The
 * service passes raw bytes through grpc-js and decodes in the handler, so a
 * bad payload is answered INVALID_ARGUMENT by the same error table as HTTP
 * (grpc-js would answer INTERNAL for a failing deserializer). grpc-js itself
 * inflates gzip messages and refuses ones over the size limit with
 * RESOURCE_EXHAUSTED.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { Buffer } from "node:buffer";
import type { Exporter, ExportOutcome } from "../ingest/export.ts";
import { errorStatus } from "../http/errors.ts";
import { encodeLogsResponseProtobuf, encodeStatusProtobuf, encodeTraceResponseProtobuf } from "./encode.ts";

/** Picks the tenant from a call's metadata, or throws. */
export type TenantOfMetadata = (metadata: grpc.Metadata) => string;

const passthrough = (b: Buffer) => b;

function unary(path: string): grpc.ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: passthrough,
      requestDeserialize: passthrough,
      responseSerialize: passthrough,
      responseDeserialize: passthrough,
    },
  };
}

/** A running OTLP gRPC listener. */
export interface GrpcListener {
  readonly port: number;
  /** Stops taking calls and waits for the running ones, forcing after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Starts the gRPC listener. */
export function startGrpc(
  exporter: Exporter,
  opts: { host: string; port: number; maxBytes: number; tenantOf: TenantOfMetadata },
): Promise<GrpcListener> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": opts.maxBytes,
    "grpc.max_send_message_length": 4 * 1024 * 1024,
    "grpc.keepalive_permit_without_calls": 1,
  });
  const handler = (
    run: (tenant: string, body: Uint8Array) => Promise<ExportOutcome>,
    encode: (rejected: number, message: string) => Uint8Array,
  ): grpc.handleUnaryCall<Buffer, Buffer> =>
  (call, callback) => {
    (async () => {
      const tenant = opts.tenantOf(call.metadata);
      const outcome = await run(tenant, call.request);
      const bytes = encode(outcome.rejected, outcome.message);
      callback(null, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    })().catch((err) => {
      const s = errorStatus(err);
      const metadata = new grpc.Metadata();
      if (s.retryAfterS !== undefined) {
        // The OTLP exporters read a RetryInfo detail as how long to back off.
        metadata.set(
          "grpc-status-details-bin",
          Buffer.from(encodeStatusProtobuf(s.grpc, s.message, s.retryAfterS)),
        );
      }
      callback({ code: s.grpc, details: s.message, metadata } as grpc.ServiceError);
    });
  };
  server.addService(unary("/opentelemetry.proto.collector.trace.v1.TraceService/Export"), {
    Export: handler((t, b) => exporter.traces(t, "protobuf", b), encodeTraceResponseProtobuf),
  });
  server.addService(unary("/opentelemetry.proto.collector.logs.v1.LogsService/Export"), {
    Export: handler((t, b) => exporter.logs(t, "protobuf", b), encodeLogsResponseProtobuf),
  });
  const address = opts.host.includes(":") ? `[${opts.host}]:${opts.port}` : `${opts.host}:${opts.port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) return reject(err);
      resolve({
        port,
        close: (graceMs = 5000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => {
              server.forceShutdown();
              done();
            }, graceMs);
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
