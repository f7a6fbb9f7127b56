import assert from "node:assert/strict";
import { BadRequestError, errorStatus, NotFoundError } from "./errors.ts";
import { OtlpDecodeError, PayloadTooLargeError } from "../otlp/errors.ts";
import { OverloadedError, ShuttingDownError, StorageUnavailableError } from "../ingest/errors.ts";
import { DbError } from "../db/errors.ts";
import { ForbiddenError, UnauthenticatedError } from "./auth.ts";
import { RateLimitedError } from "../ingest/rate_limit.ts";

Deno.test("the error table", () => {
  const rows: [unknown, number, number, boolean][] = [
    [new OtlpDecodeError("bad"), 400, 3, false],
    [new BadRequestError("bad"), 400, 3, false],
    [new NotFoundError("gone"), 404, 5, false],
    [new PayloadTooLargeError(10), 413, 8, false],
    [new OverloadedError("full"), 503, 14, true],
    [new StorageUnavailableError("down"), 503, 14, true],
    [new ShuttingDownError(), 503, 14, true],
    [new DbError("unavailable", "x"), 503, 14, true],
    [new UnauthenticatedError(), 401, 16, false],
    [new ForbiddenError("admin"), 403, 7, false],
    [new RateLimitedError("acme", 3), 429, 8, true],
  ];
  for (const [err, http, grpc, retry] of rows) {
    const s = errorStatus(err);
    assert.equal(s.http, http, String(err));
    assert.equal(s.grpc, grpc, String(err));
    assert.equal(s.retryAfterS !== undefined, retry, String(err));
  }
});

Deno.test("an unexpected error never leaks its message", () => {
  const s = errorStatus(new Error("password=hunter2 at db.internal:5432"));
  assert.equal(s.http, 500);
  assert.equal(s.grpc, 13);
  assert.equal(s.message, "Internal error");
});
