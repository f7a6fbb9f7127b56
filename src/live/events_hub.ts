/**
 * `/ws/events`, live mode (SPEC §7). Clients are grouped by (tenant, service
 * filter); each group computes its LiveSnapshot once and sends the same text
 * to all its clients. A client gets a snapshot when it connects and when it
 * changes its filter — the group's last one if it is younger than the minimum
 * interval, else a fresh one. New data marks a group stale and schedules a
 * recomputation no sooner than the interval after the group's previous
 * snapshot, so a busy tenant costs one computation per group per 5 s however
 * many clients watch and however fast data arrives.
 *
 * @module
 */

import { errorStatus } from "../http/errors.ts";
import { parseEventsFilter } from "./filters.ts";
import type { ClientHandlers, LiveClient, LiveSockets } from "./socket.ts";

/**
 * Computes the body of a snapshot — `{dashboard, traffic, traces,
 * service_map}` and optionally `window` — for a tenant and a service (`""` =
 * all) over the window ending at `nowMs`.
 */
export type SnapshotCompute = (tenant: string, service: string, nowMs: number) => Promise<object>;

/** Settings of an {@link EventsHub}. */
export interface EventsHubOptions {
  compute: SnapshotCompute;
  /** Least time between two snapshots of one group caused by new data. */
  minIntervalMs?: number;
  /** Wait after the first new data before computing, to take in the rest of a burst. */
  debounceMs?: number;
  /** Window length, for the `window` the hub adds when `compute` gives none. */
  windowMs?: number;
}

interface Group {
  tenant: string;
  service: string;
  clients: Set<LiveClient>;
  /** The last snapshot's text and when it was sent (ms); undefined until one succeeded. */
  last?: { text: string; at: number };
  /** When the last computation ended, successful or not (throttling counts failures too). */
  lastAt: number;
  inflight?: Promise<void>;
  stale: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/** The `/ws/events` hub. */
export class EventsHub {
  readonly #sockets: LiveSockets;
  readonly #compute: SnapshotCompute;
  readonly #minIntervalMs: number;
  readonly #debounceMs: number;
  readonly #windowMs: number;
  readonly #groups = new Map<string, Map<string, Group>>();
  readonly #groupOf = new Map<LiveClient, Group>();
  readonly #handlers: ClientHandlers;
  #closed = false;
  /** Snapshot computations started so far. */
  computations = 0;

  constructor(sockets: LiveSockets, options: EventsHubOptions) {
    this.#sockets = sockets;
    this.#compute = options.compute;
    this.#minIntervalMs = options.minIntervalMs ?? 5000;
    this.#debounceMs = options.debounceMs ?? 500;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#handlers = {
      onOpen: (c) => this.#join(c, c.url.searchParams.get("service")?.trim() ?? ""),
      onMessage: (c, text) => this.#message(c, text),
      onClose: (c) => this.#leave(c),
    };
  }

  /** Answers a `/ws/events` request (upgrade or refusal). */
  handle(req: Request): Response {
    return this.#sockets.upgrade(req, "events", this.#handlers);
  }

  /** New data was stored for `tenant`: its groups become stale. */
  notify(tenant: string): void {
    const groups = this.#groups.get(tenant);
    if (!groups) return;
    for (const g of groups.values()) {
      g.stale = true;
      this.#schedule(g);
    }
  }

  /** Stops the timers. */
  close(): void {
    this.#closed = true;
    for (const groups of this.#groups.values()) for (const g of groups.values()) clearTimeout(g.timer);
    this.#groups.clear();
    this.#groupOf.clear();
  }

  #message(client: LiveClient, text: string): void {
    const parsed = parseEventsFilter(text);
    if (!parsed.ok) {
      client.sendError(parsed.error);
      return;
    }
    const current = this.#groupOf.get(client);
    if (current && current.service === parsed.value) {
      // The same filter again still answers with a snapshot, as a change would.
      this.#sendCurrent(current, client);
      return;
    }
    this.#leave(client);
    this.#join(client, parsed.value);
  }

  #join(client: LiveClient, service: string): void {
    let groups = this.#groups.get(client.tenant);
    if (!groups) this.#groups.set(client.tenant, groups = new Map());
    let g = groups.get(service);
    if (!g) {
      g = { tenant: client.tenant, service, clients: new Set(), lastAt: 0, stale: false };
      groups.set(service, g);
    }
    g.clients.add(client);
    this.#groupOf.set(client, g);
    this.#sendCurrent(g, client);
  }

  /** A joining client gets the running computation, a recent snapshot, or a fresh one. */
  #sendCurrent(g: Group, client: LiveClient): void {
    if (g.inflight) return; // its result goes to every client of the group
    if (g.last && Date.now() - g.last.at < this.#minIntervalMs) {
      client.send(g.last.text);
      return;
    }
    this.#run(g);
  }

  #leave(client: LiveClient): void {
    const g = this.#groupOf.get(client);
    if (!g) return;
    this.#groupOf.delete(client);
    g.clients.delete(client);
    if (g.clients.size === 0 && !g.inflight) this.#drop(g);
  }

  #drop(g: Group): void {
    clearTimeout(g.timer);
    g.timer = undefined;
    const groups = this.#groups.get(g.tenant);
    if (groups?.get(g.service) !== g) return;
    groups.delete(g.service);
    if (groups.size === 0) this.#groups.delete(g.tenant);
  }

  #schedule(g: Group): void {
    if (this.#closed || g.inflight || g.timer !== undefined || !g.stale || g.clients.size === 0) return;
    const delay = Math.max(this.#debounceMs, g.lastAt + this.#minIntervalMs - Date.now());
    g.timer = setTimeout(() => {
      g.timer = undefined;
      this.#run(g);
    }, delay);
  }

  #run(g: Group): void {
    clearTimeout(g.timer);
    g.timer = undefined;
    g.stale = false;
    const nowMs = Date.now();
    this.computations++;
    g.inflight = (async () => {
      let text: string;
      try {
        const body = await this.#compute(g.tenant, g.service, nowMs);
        text = JSON.stringify({
          window: {
            start: new Date(nowMs - this.#windowMs).toISOString(),
            end: new Date(nowMs).toISOString(),
          },
          ...body,
          type: "snapshot",
          service: g.service,
        });
      } catch (err) {
        text = JSON.stringify({
          type: "error",
          message: `Cannot compute the snapshot: ${errorStatus(err).message}`,
        });
        g.lastAt = Date.now();
        for (const c of g.clients) c.send(text);
        return;
      }
      g.lastAt = Date.now();
      g.last = { text, at: g.lastAt };
      for (const c of g.clients) c.send(text);
    })().finally(() => {
      g.inflight = undefined;
      if (g.clients.size === 0) this.#drop(g);
      else this.#schedule(g);
    });
  }
}
