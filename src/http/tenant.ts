/**
 * The tenant of a request when no API keys are configured: the `X-Scope-OrgID`
 * header (as Loki, Tempo and Mimir use it), validated, default `default`.
 *
 * @module
 */

import { isValidTenant } from "../config.ts";
import { BadRequestError } from "./errors.ts";

/** The tenant every row belongs to when a request names none. */
export const DEFAULT_TENANT = "default";

/** Validates a tenant header value (`null` when absent); a repeated header arrives joined and fails. */
export function tenantFromHeader(value: string | null): string {
  if (value === null || value === "") return DEFAULT_TENANT;
  if (!isValidTenant(value)) {
    throw new BadRequestError(
      "Cannot use X-Scope-OrgID: expected one tenant id of 1-150 characters from [A-Za-z0-9._-], not . or ..",
    );
  }
  return value;
}

/** The tenant of an HTTP request. */
export function tenantOfRequest(req: Request): string {
  return tenantFromHeader(req.headers.get("x-scope-orgid"));
}
