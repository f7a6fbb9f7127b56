/**
 * Binary OTLP (gRPC message bodies and `application/x-protobuf`) to the decoded request
 * shape of `types.ts`, by the decoder of `wire.ts` (protobufjs's reader and the schema in
 * `proto/`); this module words its errors for the client.
 *
 * @module
 */

import { OtlpDecodeError } from "./errors.ts";
import type { ExportLogsServiceRequest, ExportTraceServiceRequest } from "./types.ts";
import { decodeLogsRequest, decodeTraceRequest } from "./wire.ts";

/**
 * Decodes an `ExportTraceServiceRequest`. Throws `OtlpDecodeError` for truncated or
 * malformed bytes, invalid UTF-8 in a string field, or messages nested deeper than 100
 * levels (deep AnyValues are capped further by the mappers).
 */
export function decodeTraceRequestProtobuf(bytes: Uint8Array): ExportTraceServiceRequest {
  return decodeWith("ExportTraceServiceRequest", decodeTraceRequest, bytes);
}

/** Decodes an `ExportLogsServiceRequest`; errors as for `decodeTraceRequestProtobuf`. */
export function decodeLogsRequestProtobuf(bytes: Uint8Array): ExportLogsServiceRequest {
  return decodeWith("ExportLogsServiceRequest", decodeLogsRequest, bytes);
}

function decodeWith<T>(name: string, decode: (bytes: Uint8Array) => T, bytes: Uint8Array): T {
  try {
    return decode(bytes);
  } catch (e) {
    throw new OtlpDecodeError(`Cannot decode ${name} from protobuf: ${explain(e)}`, { cause: e });
  }
}

// The decoder's messages are terse ("index out of range: 12 + 10 > 15"); say what they mean.
function explain(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/max depth exceeded|call stack/i.test(msg)) return "the message is nested too deeply";
  if (/index out of range/.test(msg)) return `the message is truncated or a length is wrong (${msg})`;
  if (/utf-?8/i.test(msg)) return `a string field is not valid UTF-8 (${msg})`;
  return msg;
}
