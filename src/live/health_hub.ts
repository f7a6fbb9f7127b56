/**
 * `/ws/health` (SPEC §7): HealthStats to every client every 2 s, computed once
 * per tick for all of them, and once at connect so a new page need not wait.
 * The timer runs only while someone listens.
 *
 * @module
 */

import { errorStatus } from "../http/errors.ts";
import type { ClientHandlers, LiveClient, LiveSockets } from "./socket.ts";

/** Builds the HealthStats body of GET /api/health. */
export type HealthProvider = () => Promise<object>;

/** Settings of a {@link HealthHub}. */
export interface HealthHubOptions {
  stats: HealthProvider;
  intervalMs?: number;
}

/** The `/ws/health` hub. */
export class HealthHub {
  readonly #sockets: LiveSockets;
  readonly #stats: HealthProvider;
  readonly #intervalMs: number;
  readonly #clients = new Set<LiveClient>();
  readonly #handlers: ClientHandlers;
  #timer?: ReturnType<typeof setInterval>;
  #inflight?: Promise<void>;
  #waiting = new Set<LiveClient>();

  constructor(sockets: LiveSockets, options: HealthHubOptions) {
    this.#sockets = sockets;
    this.#stats = options.stats;
    this.#intervalMs = options.intervalMs ?? 2000;
    this.#handlers = {
      onOpen: (c) => this.#open(c),
      // Nothing to configure; messages are read (pongs keep the connection) and ignored.
      onMessage: () => {},
      onClose: (c) => this.#close(c),
    };
  }

  /** Answers a `/ws/health` request (upgrade or refusal). */
  handle(req: Request): Response {
    return this.#sockets.upgrade(req, "health", this.#handlers);
  }

  /** Stops the timer. */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#clients.clear();
    this.#waiting.clear();
  }

  #open(client: LiveClient): void {
    this.#clients.add(client);
    this.#timer ??= setInterval(() => this.#tick(), this.#intervalMs);
    this.#waiting.add(client);
    this.#compute();
  }

  #close(client: LiveClient): void {
    this.#clients.delete(client);
    this.#waiting.delete(client);
    if (this.#clients.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #tick(): void {
    for (const c of this.#clients) this.#waiting.add(c);
    this.#compute();
  }

  /**
   * Computes once for everyone waiting; a client that starts waiting while a
   * computation runs gets its result, so a provider slower than the interval
   * skips ticks instead of piling up.
   */
  #compute(): void {
    if (this.#inflight) return;
    this.#inflight = Promise.resolve()
      .then(() => this.#stats())
      .then((s) => JSON.stringify(s))
      .catch((err) =>
        JSON.stringify({ type: "error", message: `Cannot read health: ${errorStatus(err).message}` })
      )
      .then((text) => {
        const to = this.#waiting;
        this.#waiting = new Set();
        for (const c of to) c.send(text);
      })
      .finally(() => this.#inflight = undefined);
  }
}
