/**
 * The three live hubs behind one object: what `src/app.ts` builds, routes,
 * feeds from the pipeline, counts for health and metrics, and closes on
 * shutdown.
 *
 * @module
 */

import type { StoredCallback } from "../ingest/pipeline.ts";
import type { Router } from "../http/router.ts";
import { EventsHub, type SnapshotCompute } from "./events_hub.ts";
import { HealthHub, type HealthProvider } from "./health_hub.ts";
import { LogHub, type LogHubOptions } from "./log_hub.ts";
import { type LiveClientCounts, type LiveLimits, LiveSockets } from "./socket.ts";

/** What the live hubs need from the rest of Argus. */
export interface LiveOptions {
  /** `ALLOWED_ORIGINS`. */
  allowedOrigins: readonly string[];
  /** The tenant of an upgrade request (default: `X-Scope-OrgID`). */
  tenantOf?: (req: Request) => string;
  /** The LiveSnapshot body for `/ws/events`. */
  snapshot: SnapshotCompute;
  /** The HealthStats body for `/ws/health`. */
  health: HealthProvider;
  limits?: Partial<LiveLimits>;
  logs?: LogHubOptions;
  /** Least time between data-driven snapshots of one filter (default 5 s). */
  snapshotIntervalMs?: number;
  /** Time between health messages (default 2 s). */
  healthIntervalMs?: number;
}

/** `/ws`, `/ws/events` and `/ws/health`. */
export class Live {
  readonly sockets: LiveSockets;
  readonly logs: LogHub;
  readonly events: EventsHub;
  readonly health: HealthHub;

  constructor(options: LiveOptions) {
    this.sockets = new LiveSockets({
      allowedOrigins: options.allowedOrigins,
      tenantOf: options.tenantOf,
      limits: options.limits,
    });
    this.logs = new LogHub(this.sockets, options.logs);
    this.events = new EventsHub(this.sockets, {
      compute: options.snapshot,
      minIntervalMs: options.snapshotIntervalMs,
    });
    this.health = new HealthHub(this.sockets, {
      stats: options.health,
      intervalMs: options.healthIntervalMs,
    });
  }

  /** Subscribes to what the pipeline stores. */
  attach(pipeline: { onStored(cb: StoredCallback): void }): void {
    pipeline.onStored((tenant, result) => {
      this.logs.publish(tenant, result.logs);
      if (result.logs.length > 0 || result.spans.length > 0) this.events.notify(tenant);
    });
  }

  /** Adds the three routes. */
  route(router: Router): void {
    router.on("GET", "/ws", (req) => this.logs.handle(req));
    router.on("GET", "/ws/events", (req) => this.events.handle(req));
    router.on("GET", "/ws/health", (req) => this.health.handle(req));
  }

  /** Open clients per stream (`active_connections` is `total`). */
  counts(): LiveClientCounts {
    return this.sockets.counts();
  }

  /** Sends what is queued, closes every socket with 1001 and stops the timers. */
  async close(): Promise<void> {
    this.logs.flushAll();
    this.events.close();
    this.health.close();
    await this.sockets.closeAll();
    this.logs.close();
  }
}
