/**
 * The OTLP protobuf schema, parsed once from the `.proto` files in `proto/` and cached
 * for the life of the process. The files are read with `Deno.readTextFileSync` rather
 * than protobufjs's own loader so that the same code works from a checkout and from a
 * `deno compile --include proto` binary, and needs no Node `fs` emulation.
 *
 * @module
 */

import protobuf from "protobufjs";

/** Directory holding the `.proto` files (import paths are relative to it). */
export const PROTO_DIR: URL = new URL("../../proto/", import.meta.url);

/** Every file of the schema, dependencies first. */
export const PROTO_FILES: readonly string[] = [
  "google/protobuf/any.proto",
  "google/rpc/status.proto",
  "opentelemetry/proto/common/v1/common.proto",
  "opentelemetry/proto/resource/v1/resource.proto",
  "opentelemetry/proto/trace/v1/trace.proto",
  "opentelemetry/proto/logs/v1/logs.proto",
  "opentelemetry/proto/collector/trace/v1/trace_service.proto",
  "opentelemetry/proto/collector/logs/v1/logs_service.proto",
];

/** A protobufjs reflected message type. */
export type ProtoType = protobuf.Type;

/** The message types Argus reads and writes. */
export interface OtlpProto {
  /** The whole schema, for adapters that need services or other types. */
  readonly root: protobuf.Root;
  readonly ExportTraceServiceRequest: ProtoType;
  readonly ExportTraceServiceResponse: ProtoType;
  readonly ExportLogsServiceRequest: ProtoType;
  readonly ExportLogsServiceResponse: ProtoType;
  readonly Status: ProtoType;
}

let cached: OtlpProto | undefined;

/**
 * The parsed schema. The first call reads and parses the files (a few milliseconds);
 * later calls return the same object. Throws an `Error` naming the file when the
 * schema cannot be read, which is a packaging fault, not a client error.
 */
export function otlpProto(): OtlpProto {
  if (cached) return cached;
  const root = new protobuf.Root();
  for (const file of PROTO_FILES) {
    const url = new URL(file, PROTO_DIR);
    let source: string;
    try {
      source = Deno.readTextFileSync(url);
    } catch (e) {
      throw new Error(`Cannot read the OTLP schema file ${url.pathname}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    protobuf.parse(source, root, { keepCase: false });
  }
  root.resolveAll();
  cached = Object.freeze({
    root,
    ExportTraceServiceRequest: root.lookupType(
      "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
    ),
    ExportTraceServiceResponse: root.lookupType(
      "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse",
    ),
    ExportLogsServiceRequest: root.lookupType(
      "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest",
    ),
    ExportLogsServiceResponse: root.lookupType(
      "opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse",
    ),
    Status: root.lookupType("google.rpc.Status"),
  });
  return cached;
}
