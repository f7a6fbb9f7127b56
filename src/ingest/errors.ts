/**
 * Why an export was not acknowledged. The error table in `src/http/errors.ts`
 * maps each `code` to an HTTP and a gRPC status.
 *
 * @module
 */

/** The ingest queue is full: the client should retry later. */
export class OverloadedError extends Error {
  readonly code = "overloaded";
  /** Seconds the client should wait. */
  readonly retryAfterS: number;
  constructor(message: string, retryAfterS = 2) {
    super(message);
    this.name = "OverloadedError";
    this.retryAfterS = retryAfterS;
  }
}

/** Neither the database nor the dead-letter queue could take the data: nothing was acknowledged. */
export class StorageUnavailableError extends Error {
  readonly code = "storage_unavailable";
  readonly retryAfterS: number;
  constructor(message: string, options?: ErrorOptions, retryAfterS = 5) {
    super(message, options);
    this.name = "StorageUnavailableError";
    this.retryAfterS = retryAfterS;
  }
}

/** The server is shutting down and takes no new data. */
export class ShuttingDownError extends Error {
  readonly code = "shutting_down";
  readonly retryAfterS = 5;
  constructor() {
    super("Argus is shutting down; retry against another instance or later");
    this.name = "ShuttingDownError";
  }
}
