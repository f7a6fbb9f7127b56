/**
 * The two domain errors of the OTLP wire layer. Adapters map `code` to a status:
 * `invalid_argument` → gRPC INVALID_ARGUMENT / HTTP 400, `too_large` → gRPC
 * RESOURCE_EXHAUSTED / HTTP 413. Neither is worth retrying by the client.
 *
 * @module
 */

/** The payload could not be decoded: truncated or malformed protobuf, bad JSON, wrong types, bad gzip. */
export class OtlpDecodeError extends Error {
  /** Stable machine-readable code for the status table. */
  readonly code = "invalid_argument" as const;

  /**
   * @param message English text naming what was wrong, safe to return to the client.
   * @param options `cause` keeps the underlying library error for logs.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "OtlpDecodeError";
  }
}

/** The payload (after decompression) is larger than the configured limit. */
export class PayloadTooLargeError extends Error {
  /** Stable machine-readable code for the status table. */
  readonly code = "too_large" as const;

  /**
   * @param limitBytes The limit that was passed, quoted in the message.
   * @param options `cause` keeps an underlying error when there is one.
   */
  constructor(readonly limitBytes: number, options?: ErrorOptions) {
    super(`Payload exceeds the limit of ${limitBytes} bytes`, options);
    this.name = "PayloadTooLargeError";
  }
}

/**
 * Prefixes an `OtlpDecodeError` with where in the request it happened
 * (`resourceSpans[0].scopeSpans[1].spans[2]: ...`); any other error passes through.
 */
export function located(e: unknown, where: string): unknown {
  return e instanceof OtlpDecodeError ? new OtlpDecodeError(`${where}: ${e.message}`, { cause: e }) : e;
}
