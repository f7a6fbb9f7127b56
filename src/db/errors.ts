/**
 * Database errors with a `code` the error table maps to HTTP and gRPC statuses.
 *
 * @module
 */

/** Why a database call failed. */
export type DbErrorCode = "unavailable" | "constraint" | "query";

/** A failed database call; `cause` keeps the driver's error. */
export class DbError extends Error {
  /** `unavailable`: the server cannot be reached or went away (retry later); others are statement faults. */
  readonly code: DbErrorCode;
  constructor(code: DbErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DbError";
    this.code = code;
  }
}

/** A statement reached the repository's executor without its tenant scope. */
export class TenantScopeError extends Error {
  readonly code = "tenant_scope";
  constructor(message: string) {
    super(message);
    this.name = "TenantScopeError";
  }
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "PROTOCOL_CONNECTION_LOST",
  "ER_CON_COUNT_ERROR",
  "ESOCKET",
  "ECONNCLOSED",
  "ETIMEOUT",
  "57P01", // admin_shutdown
  "57P02",
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
  "53300", // too_many_connections
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_CANTOPEN",
  "SQLITE_IOERR",
  "SQLITE_FULL",
  "SQLITE_READONLY",
]);

/** Wraps a driver error, classifying connection loss as `unavailable`. */
export function toDbError(err: unknown, what: string): DbError {
  if (err instanceof DbError) return err;
  const e = err as { code?: unknown; errcode?: unknown; errstr?: unknown; message?: unknown };
  const code = String(e?.code ?? "");
  const message = String(e?.message ?? err);
  const sqliteCode = typeof e?.errstr === "string" ? "" : code;
  const unavailable = UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CODES.has(sqliteCode) ||
    /database is locked|disk I\/O error|unable to open database|database or disk is full|readonly database/i
      .test(message);
  const constraint = /unique|duplicate|constraint/i.test(message) || code === "23505" ||
    code === "ER_DUP_ENTRY";
  return new DbError(
    unavailable ? "unavailable" : constraint ? "constraint" : "query",
    `${what}: ${message}`,
    { cause: err },
  );
}
