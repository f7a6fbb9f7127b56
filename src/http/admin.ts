/**
 * Admin routes of SPEC §6: purge, vacuum, the dead-letter queue.
 *
 * All of them live under {@link ADMIN_PREFIX} so that the authentication
 * issue can require the admin role for that one prefix (SPEC §10) in front of
 * this router, without touching the handlers. Until then they are as open as
 * the rest of the API, as SPEC §10 allows on a trusted network.
 *
 * @module
 */

import type { Database } from "../db/contract.ts";
import type { DeadLetterQueue } from "../ingest/dlq.ts";
import type { Pipeline } from "../ingest/pipeline.ts";
import { type Retention, vacuum } from "../store/retention.ts";
import { BadRequestError, errorStatus } from "./errors.ts";
import type { Handler, Router } from "./router.ts";
import { tenantOfRequest } from "./tenant.ts";

/** The path prefix of every admin route. */
export const ADMIN_PREFIX = "/api/admin/";

/** What the admin routes act on. */
export interface AdminDeps {
  db: Database;
  retention: Retention;
  pipeline: Pipeline;
  dlq: DeadLetterQueue;
  /** The tenant of an (already authorised) request; default: `X-Scope-OrgID`. */
  tenantOf?: (req: Request) => string;
}

const MAX_DAYS = 36_500;

/** `days`: a whole number of days to keep, 0 to 36,500 (0 purges everything older than now). */
export function parseDays(params: URLSearchParams): number {
  const raw = params.get("days");
  if (raw === null || raw.trim() === "") {
    throw new BadRequestError(
      `Missing "days": give the number of days to keep, an integer from 0 to ${MAX_DAYS}`,
    );
  }
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > MAX_DAYS) {
    throw new BadRequestError(`Cannot parse "days": expected an integer from 0 to ${MAX_DAYS}`);
  }
  return Number(raw);
}

/** Answers a thrown error through the one error table, as `{error}` JSON. */
function jsonErrors(handler: Handler): Handler {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      const s = errorStatus(err);
      return Response.json({ error: s.message }, {
        status: s.http,
        headers: s.retryAfterS ? { "Retry-After": String(s.retryAfterS) } : undefined,
      });
    }
  };
}

async function countFailedFiles(dir: string): Promise<number> {
  let n = 0;
  try {
    for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith(".json")) n++;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return n;
}

/** Adds the admin routes to `router`. */
export function adminRoutes(router: Router, deps: AdminDeps): Router {
  return router
    // Purges the request's tenant only; other tenants' data is untouched.
    .on(
      "DELETE",
      `${ADMIN_PREFIX}purge`,
      jsonErrors(async (req, { url }) => {
        const tenant = (deps.tenantOf ?? tenantOfRequest)(req);
        const days = parseDays(url.searchParams);
        return Response.json(await deps.retention.purge(tenant, days));
      }),
    )
    .on(
      "POST",
      `${ADMIN_PREFIX}vacuum`,
      jsonErrors(async () => {
        if (!(await vacuum(deps.db))) {
          throw new BadRequestError(
            `Vacuum is not supported on ${deps.db.name}: it has no single statement that gives space back; use the database's own index and file maintenance`,
          );
        }
        return Response.json({ status: "vacuumed" });
      }),
    )
    .on(
      "GET",
      `${ADMIN_PREFIX}dlq`,
      jsonErrors(async () => {
        const data = await deps.dlq.list();
        return Response.json({
          data,
          total: data.length,
          bytes: data.reduce((n, e) => n + e.size_bytes, 0),
          failed: await countFailedFiles(deps.dlq.failedDir),
        });
      }),
    )
    .on(
      "POST",
      `${ADMIN_PREFIX}dlq/replay`,
      jsonErrors(async () => {
        const r = await deps.pipeline.replayDlq();
        return Response.json({
          replayed: r.replayed,
          quarantined: r.quarantined,
          remaining: r.remaining,
          ...(r.stoppedBy ? { stopped_by: r.stoppedBy } : {}),
        });
      }),
    );
}
