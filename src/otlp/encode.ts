/**
 * Export responses and error statuses in both OTLP encodings. `partial_success` is set
 * only when something was rejected, as the OTLP spec asks (an empty response means
 * "all accepted").
 *
 * @module
 */

import { otlpProto, type ProtoType } from "./proto.ts";

/** The google.rpc.Code values OTLP servers answer with. */
export const RpcCode = Object.freeze({
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
});

/** ExportTraceServiceResponse as protobuf bytes. */
export function encodeTraceResponseProtobuf(rejected: number, message: string): Uint8Array {
  return encodeResponse(otlpProto().ExportTraceServiceResponse, "rejectedSpans", rejected, message);
}

/** ExportTraceServiceResponse as OTLP/JSON text (`{}` when everything was accepted). */
export function encodeTraceResponseJson(rejected: number, message: string): string {
  return responseJson("rejectedSpans", rejected, message);
}

/** ExportLogsServiceResponse as protobuf bytes. */
export function encodeLogsResponseProtobuf(rejected: number, message: string): Uint8Array {
  return encodeResponse(otlpProto().ExportLogsServiceResponse, "rejectedLogRecords", rejected, message);
}

/** ExportLogsServiceResponse as OTLP/JSON text (`{}` when everything was accepted). */
export function encodeLogsResponseJson(rejected: number, message: string): string {
  return responseJson("rejectedLogRecords", rejected, message);
}

const RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

/** google.rpc.RetryInfo{retry_delay: Duration{seconds}} bytes, written by hand: two nested varint fields. */
function retryInfoBytes(seconds: number): Uint8Array {
  const varint: number[] = [];
  for (let n = Math.max(0, Math.trunc(seconds));; n = Math.floor(n / 128)) {
    if (n < 128) {
      varint.push(n);
      break;
    }
    varint.push((n % 128) | 0x80);
  }
  const duration = [0x08, ...varint]; // Duration.seconds = 1
  return new Uint8Array([0x0a, duration.length, ...duration]); // RetryInfo.retry_delay = 1
}

/**
 * google.rpc.Status as protobuf bytes: the body of an OTLP/HTTP protobuf error and
 * gRPC's `grpc-status-details-bin`. With `retryAfterS`, it carries a RetryInfo
 * detail, which OTLP exporters read as how long to back off.
 */
export function encodeStatusProtobuf(code: number, message: string, retryAfterS?: number): Uint8Array {
  const details = retryAfterS === undefined
    ? []
    : [{ typeUrl: RETRY_INFO_TYPE, value: retryInfoBytes(retryAfterS) }];
  return finish(otlpProto().Status.encode({ code, message, details }).finish());
}

/** google.rpc.Status as JSON text: the body of an OTLP/HTTP JSON error. */
export function encodeStatusJson(code: number, message: string, retryAfterS?: number): string {
  if (retryAfterS === undefined) return JSON.stringify({ code, message });
  return JSON.stringify({
    code,
    message,
    details: [{ "@type": RETRY_INFO_TYPE, retryDelay: `${retryAfterS}s` }],
  });
}

function encodeResponse(type: ProtoType, countField: string, rejected: number, message: string): Uint8Array {
  const body = rejected > 0 ? { partialSuccess: { [countField]: rejected, errorMessage: message } } : {};
  return finish(type.encode(body).finish());
}

// ProtoJSON writes int64 as a decimal string; OTLP/JSON clients accept that form.
function responseJson(countField: string, rejected: number, message: string): string {
  if (!(rejected > 0)) return "{}";
  return JSON.stringify({
    partialSuccess: { [countField]: String(Math.trunc(rejected)), errorMessage: message },
  });
}

// protobufjs may hand out a slice of a shared Node Buffer pool; a response body must own
// its memory (a transfer could detach the pool under other users).
function finish(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
