/**
 * Binary OTLP (gRPC message bodies and `application/x-protobuf`) to the decoded request
 * shape of `types.ts`. protobufjs message objects already have that shape, so they are
 * returned as they are: no `toObject`, no copies.
 *
 * @module
 */

import { OtlpDecodeError } from "./errors.ts";
import { otlpProto, type ProtoType } from "./proto.ts";
import type { ExportLogsServiceRequest, ExportTraceServiceRequest } from "./types.ts";

/**
 * Decodes an `ExportTraceServiceRequest`. Throws `OtlpDecodeError` for truncated or
 * malformed bytes, invalid UTF-8 in a string field, or nesting deeper than protobufjs's
 * recursion limit (100 messages; deep AnyValues are capped further by the mappers).
 */
export function decodeTraceRequestProtobuf(bytes: Uint8Array): ExportTraceServiceRequest {
  return decodeWith(otlpProto().ExportTraceServiceRequest, bytes) as ExportTraceServiceRequest;
}

/** Decodes an `ExportLogsServiceRequest`; errors as for `decodeTraceRequestProtobuf`. */
export function decodeLogsRequestProtobuf(bytes: Uint8Array): ExportLogsServiceRequest {
  return decodeWith(otlpProto().ExportLogsServiceRequest, bytes) as ExportLogsServiceRequest;
}

function decodeWith(type: ProtoType, bytes: Uint8Array): unknown {
  try {
    return type.decode(bytes);
  } catch (e) {
    throw new OtlpDecodeError(`Cannot decode ${type.name} from protobuf: ${explain(e)}`, { cause: e });
  }
}

// protobufjs messages are terse ("index out of range: 12 + 10 > 15"); say what they mean.
function explain(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/max depth exceeded|call stack/i.test(msg)) return "the message is nested too deeply";
  if (/index out of range/.test(msg)) return `the message is truncated or a length is wrong (${msg})`;
  if (/utf-?8/i.test(msg)) return `a string field is not valid UTF-8 (${msg})`;
  return msg;
}
