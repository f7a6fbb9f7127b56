/**
 * The one table from errors to HTTP and gRPC statuses. Messages of known
 * errors go to the client; anything unexpected becomes a plain 500/INTERNAL
 * and is logged, so internals never leak into a response.
 *
 * @module
 */

import { OtlpDecodeError, PayloadTooLargeError } from "../otlp/errors.ts";
import { OverloadedError, ShuttingDownError, StorageUnavailableError } from "../ingest/errors.ts";
import { DbError } from "../db/errors.ts";
import { ForbiddenError, UnauthenticatedError } from "./auth.ts";
import { RateLimitedError } from "../ingest/rate_limit.ts";
import { logger } from "../telemetry/log.ts";

/** gRPC status codes used here. */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** A request argument that cannot be used; the message names it. */
export class BadRequestError extends Error {
  readonly code = "bad_request";
  constructor(message: string) {
    super(message);
    this.name = "BadRequestError";
  }
}

/** Something the request named does not exist. */
export class NotFoundError extends Error {
  readonly code = "not_found";
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** How to answer an error. */
export interface ErrorStatus {
  http: number;
  grpc: number;
  message: string;
  /** Seconds for `Retry-After`, when the client should retry. */
  retryAfterS?: number;
}

/** Maps any error to its statuses. */
export function errorStatus(err: unknown): ErrorStatus {
  if (err instanceof OtlpDecodeError) {
    return { http: 400, grpc: GrpcCode.INVALID_ARGUMENT, message: err.message };
  }
  if (err instanceof BadRequestError) {
    return { http: 400, grpc: GrpcCode.INVALID_ARGUMENT, message: err.message };
  }
  if (err instanceof NotFoundError) return { http: 404, grpc: GrpcCode.NOT_FOUND, message: err.message };
  if (err instanceof UnauthenticatedError) {
    return { http: 401, grpc: GrpcCode.UNAUTHENTICATED, message: err.message };
  }
  if (err instanceof ForbiddenError) {
    return { http: 403, grpc: GrpcCode.PERMISSION_DENIED, message: err.message };
  }
  if (err instanceof RateLimitedError) {
    return {
      http: 429,
      grpc: GrpcCode.RESOURCE_EXHAUSTED,
      message: err.message,
      retryAfterS: err.retryAfterS,
    };
  }
  if (err instanceof PayloadTooLargeError) {
    return { http: 413, grpc: GrpcCode.RESOURCE_EXHAUSTED, message: err.message };
  }
  if (
    err instanceof OverloadedError || err instanceof StorageUnavailableError ||
    err instanceof ShuttingDownError
  ) {
    return { http: 503, grpc: GrpcCode.UNAVAILABLE, message: err.message, retryAfterS: err.retryAfterS };
  }
  if (err instanceof DbError && err.code === "unavailable") {
    return { http: 503, grpc: GrpcCode.UNAVAILABLE, message: "The database is unavailable", retryAfterS: 5 };
  }
  logger.error("unexpected error", { error: err, stack: (err as Error)?.stack?.split("\n")[1]?.trim() });
  return { http: 500, grpc: GrpcCode.INTERNAL, message: "Internal error" };
}
