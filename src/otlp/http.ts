/**
 * OTLP/HTTP: `POST /v1/traces` and `POST /v1/logs`, protobuf or JSON, gzip or
 * not, answered in the request's content type. A thin adapter over the
 * transport-neutral {@link Exporter}; statuses come from the error table.
 *
 * @module
 */

import type { Exporter, ExportOutcome, WireFormat } from "../ingest/export.ts";
import { errorStatus, GrpcCode } from "../http/errors.ts";
import { inflateLimited, readLimited } from "./inflate.ts";
import { PayloadTooLargeError } from "./errors.ts";
import {
  encodeLogsResponseJson,
  encodeLogsResponseProtobuf,
  encodeStatusJson,
  encodeStatusProtobuf,
  encodeTraceResponseJson,
  encodeTraceResponseProtobuf,
} from "./encode.ts";

/** Picks the tenant of a request, or throws a BadRequestError-like error. */
export type TenantOf = (req: Request) => string;

const CONTENT_TYPES: Record<string, WireFormat> = {
  "application/x-protobuf": "protobuf",
  "application/protobuf": "protobuf",
  "application/json": "json",
};

class UnsupportedMediaType extends Error {}

function formatOf(req: Request): WireFormat | undefined {
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  return CONTENT_TYPES[mediaType];
}

function statusResponse(
  format: WireFormat,
  http: number,
  grpc: number,
  message: string,
  headers: Record<string, string> = {},
  retryAfterS?: number,
): Response {
  const body = format === "json"
    ? encodeStatusJson(grpc, message, retryAfterS)
    : encodeStatusProtobuf(grpc, message, retryAfterS);
  return new Response(body as BodyInit, {
    status: http,
    headers: {
      "Content-Type": format === "json" ? "application/json" : "application/x-protobuf",
      ...headers,
    },
  });
}

/** The body did not arrive in time: 408. */
class RequestTimeout extends Error {}

async function readBody(req: Request, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const encoding = (req.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "gzip" && encoding !== "identity") {
    throw new UnsupportedMediaType(`Content-Encoding ${JSON.stringify(encoding)} is not supported; use gzip`);
  }
  const declared = Number(req.headers.get("content-length") ?? NaN);
  // A compressed body can only grow, so a declared size over the limit is refused unread.
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
  const stream = req.body ?? ReadableStream.from<Uint8Array>([]);
  const read = encoding === "gzip" ? inflateLimited(stream, maxBytes) : readLimited(stream, maxBytes);
  // A client trickling its body must not hold a request open forever.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream.cancel().catch(() => {});
      reject(new RequestTimeout(`The request body did not arrive within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Serves the two OTLP/HTTP routes; returns undefined for any other path. */
export function otlpHttpHandler(
  exporter: Exporter,
  maxBytes: number,
  tenantOf: TenantOf,
  timeoutMs = 30_000,
) {
  const signals: Record<string, {
    run: (tenant: string, f: WireFormat, b: Uint8Array) => Promise<ExportOutcome>;
    encode: Record<WireFormat, (rejected: number, message: string) => Uint8Array | string>;
  }> = {
    "/v1/traces": {
      run: (t, f, b) => exporter.traces(t, f, b),
      encode: { protobuf: encodeTraceResponseProtobuf, json: encodeTraceResponseJson },
    },
    "/v1/logs": {
      run: (t, f, b) => exporter.logs(t, f, b),
      encode: { protobuf: encodeLogsResponseProtobuf, json: encodeLogsResponseJson },
    },
  };

  return async function handle(req: Request, url: URL): Promise<Response | undefined> {
    const signal = signals[url.pathname];
    if (!signal) return undefined;
    const format = formatOf(req);
    if (req.method !== "POST") {
      return statusResponse(
        format ?? "json",
        405,
        GrpcCode.INVALID_ARGUMENT,
        `Method ${req.method} is not allowed on ${url.pathname}; use POST`,
        { Allow: "POST" },
      );
    }
    if (!format) {
      await req.body?.cancel().catch(() => {});
      return statusResponse(
        "json",
        415,
        GrpcCode.INVALID_ARGUMENT,
        `Content-Type ${
          JSON.stringify(req.headers.get("content-type") ?? "")
        } is not supported; use application/x-protobuf or application/json`,
      );
    }
    try {
      const tenant = tenantOf(req);
      const body = await readBody(req, maxBytes, timeoutMs);
      const outcome = await signal.run(tenant, format, body);
      const out = signal.encode[format](outcome.rejected, outcome.message);
      return new Response(out as BodyInit, {
        status: 200,
        headers: { "Content-Type": format === "json" ? "application/json" : "application/x-protobuf" },
      });
    } catch (err) {
      await req.body?.cancel().catch(() => {});
      if (err instanceof UnsupportedMediaType) {
        return statusResponse(format, 415, GrpcCode.INVALID_ARGUMENT, err.message);
      }
      if (err instanceof RequestTimeout) {
        return statusResponse(format, 408, GrpcCode.UNAVAILABLE, err.message, { Connection: "close" });
      }
      const s = errorStatus(err);
      return statusResponse(
        format,
        s.http,
        s.grpc,
        s.message,
        s.retryAfterS ? { "Retry-After": String(s.retryAfterS) } : {},
        s.retryAfterS,
      );
    }
  };
}
