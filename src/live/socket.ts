/**
 * The per-connection plumbing the three WebSocket hubs share (SPEC §7): the
 * checks before an upgrade (WebSocket request, Origin, tenant), the inbound
 * frame limit, pings through Deno's `idleTimeout`, a send queue bounded by
 * `bufferedAmount`, and the registry of open sockets that shutdown closes and
 * the health figures count.
 *
 * @module
 */

import { errorStatus } from "../http/errors.ts";
import { tenantOfRequest } from "../http/tenant.ts";
import { logger } from "../telemetry/log.ts";

/** The three live streams. */
export type LiveStream = "logs" | "events" | "health";

/** Open WebSocket clients per stream. */
export interface LiveClientCounts {
  logs: number;
  events: number;
  health: number;
  total: number;
}

/** Close codes used here (RFC 6455 §7.4.1). */
export const CloseCode = {
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  TRY_AGAIN_LATER: 1013,
} as const;

/** Per-connection limits. */
export interface LiveLimits {
  /** Inbound messages larger than this close the connection with 1009. */
  maxInboundBytes: number;
  /** A client whose unsent backlog passes this is closed with 1013. */
  maxBufferedBytes: number;
  /**
   * Deno's `idleTimeout` in seconds: after half of it without a frame from the
   * peer a ping goes out, and without an answer within the other half the
   * connection is closed. 0 turns pings off.
   */
  idleTimeoutS: number;
  /** Inbound messages a client may send per 10 s; more are answered with an error and ignored. */
  maxMessagesPer10s: number;
}

/** SPEC §7: 64 KiB inbound, pings every 30 s. */
export const DEFAULT_LIMITS: Readonly<LiveLimits> = Object.freeze({
  maxInboundBytes: 64 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  idleTimeoutS: 60,
  maxMessagesPer10s: 50,
});

/** What a hub does with its clients. */
export interface ClientHandlers {
  /** The connection is open; the client may be sent to. */
  onOpen(client: LiveClient): void;
  /** A text message within the size limit. */
  onMessage(client: LiveClient, text: string): void;
  /** The client is gone (called once, whatever closed it). */
  onClose(client: LiveClient): void;
}

/** Settings of a {@link LiveSockets} registry. */
export interface LiveSocketsOptions {
  /** Extra origins allowed besides the server's own (`ALLOWED_ORIGINS`). */
  allowedOrigins?: readonly string[];
  /** The tenant of an upgrade request; throws `BadRequestError` for an invalid one. */
  tenantOf?: (req: Request) => string;
  limits?: Partial<LiveLimits>;
}

const encoder = new TextEncoder();

/** UTF-8 size of a message, computed only when the UTF-16 length leaves it in doubt. */
function exceeds(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return encoder.encode(text).byteLength > max;
}

/**
 * Whether a WebSocket upgrade may proceed: no `Origin` (not a browser), the
 * server's own origin, or one of `allowed`. "Own" means the Origin's host
 * equals the `Host` header with scheme http or https — a TLS-terminating proxy
 * changes the scheme but forwards the host, and a page of another site always
 * sends its own host.
 */
export function originAllowed(req: Request, allowed: readonly string[]): boolean {
  const origin = req.headers.get("origin");
  if (origin === null) return true;
  const wanted = origin.toLowerCase().replace(/\/$/, "");
  if (allowed.some((a) => a.toLowerCase() === wanted)) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  const host = req.headers.get("host") ?? new URL(req.url).host;
  try {
    // Normalises case and the scheme's default port on both sides.
    return new URL(`${parsed.protocol}//${host}`).host === parsed.host;
  } catch {
    return false;
  }
}

/** One open WebSocket of a hub. */
export class LiveClient {
  readonly stream: LiveStream;
  readonly tenant: string;
  /** The upgrade request's URL (hubs read initial filters from its query). */
  readonly url: URL;
  readonly socket: WebSocket;
  readonly #registry: LiveSockets;
  #closed = false;
  #windowStart = 0;
  #windowMessages = 0;

  constructor(registry: LiveSockets, stream: LiveStream, tenant: string, url: URL, socket: WebSocket) {
    this.#registry = registry;
    this.stream = stream;
    this.tenant = tenant;
    this.url = url;
    this.socket = socket;
  }

  /** False once the client was closed or dropped. */
  get open(): boolean {
    return !this.#closed && this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Queues a message without waiting for it to leave. A client whose backlog
   * is over the limit is closed with 1013 instead, so one slow reader never
   * holds memory or time of the others. Returns whether the message was queued.
   */
  send(text: string): boolean {
    if (!this.open) return false;
    if (this.socket.bufferedAmount > this.#registry.limits.maxBufferedBytes) {
      logger.warn("live client too slow; disconnected", {
        stream: this.stream,
        tenant: this.tenant,
        buffered_bytes: this.socket.bufferedAmount,
      });
      this.#registry.dropped++;
      this.close(CloseCode.TRY_AGAIN_LATER, "Send queue full: the client reads too slowly");
      return false;
    }
    try {
      this.socket.send(text);
      return true;
    } catch {
      this.close(CloseCode.GOING_AWAY, "Send failed");
      return false;
    }
  }

  /** Sends `{"type":"error","message"}`. */
  sendError(message: string): void {
    this.send(JSON.stringify({ type: "error", message }));
  }

  /** Closes the connection and forgets the client (idempotent). */
  close(code: number, reason: string): void {
    this.#forget();
    try {
      if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
        this.socket.close(code, reason);
      }
    } catch {
      // already closing
    }
  }

  /** Counts an inbound message; false when the client sends faster than allowed. */
  admitMessage(now: number): boolean {
    if (now - this.#windowStart >= 10_000) {
      this.#windowStart = now;
      this.#windowMessages = 0;
    }
    return ++this.#windowMessages <= this.#registry.limits.maxMessagesPer10s;
  }

  /** The registry's cleanup, run once. */
  #forget(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#registry.remove(this);
  }

  /** @internal Called by the registry when the socket reports its close. */
  closedByPeer(): void {
    this.#forget();
  }
}

/** The registry of open live sockets. */
export class LiveSockets {
  /**
   * Current limits, adjustable at run time (tests lower them): the backlog limit
   * applies at the next send, the idle timeout to sockets upgraded afterwards.
   */
  readonly limits: LiveLimits;
  /** Clients closed with 1013 so far. */
  dropped = 0;
  readonly #allowedOrigins: readonly string[];
  readonly #tenantOf: (req: Request) => string;
  readonly #clients = new Map<LiveClient, ClientHandlers>();
  #closing = false;

  constructor(options: LiveSocketsOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#allowedOrigins = options.allowedOrigins ?? [];
    this.#tenantOf = options.tenantOf ?? tenantOfRequest;
  }

  /**
   * Answers a request for `stream`: 426 when it is not a WebSocket upgrade,
   * 403 for a foreign Origin, 400 for an invalid tenant, 503 while shutting
   * down, else the 101 response with the client registered once it opens.
   */
  upgrade(req: Request, stream: LiveStream, handlers: ClientHandlers): Response {
    if (this.#closing) {
      return Response.json({ error: "Argus is shutting down" }, {
        status: 503,
        headers: { "Retry-After": "5" },
      });
    }
    const url = new URL(req.url);
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json(
        { error: `${url.pathname} is a WebSocket endpoint; connect with a WebSocket client` },
        { status: 426, headers: { Upgrade: "websocket" } },
      );
    }
    if (!originAllowed(req, this.#allowedOrigins)) {
      return Response.json(
        {
          error: `Origin ${
            JSON.stringify(req.headers.get("origin"))
          } may not open WebSockets here; add it to ALLOWED_ORIGINS`,
        },
        { status: 403 },
      );
    }
    let tenant: string;
    try {
      tenant = this.#tenantOf(req);
    } catch (err) {
      const s = errorStatus(err);
      return Response.json({ error: s.message }, { status: s.http });
    }
    let upgraded: Deno.WebSocketUpgrade;
    try {
      upgraded = Deno.upgradeWebSocket(req, { idleTimeout: this.limits.idleTimeoutS });
    } catch (err) {
      return Response.json({ error: `Cannot upgrade to a WebSocket: ${(err as Error).message}` }, {
        status: 400,
      });
    }
    const { socket, response } = upgraded;
    socket.binaryType = "arraybuffer";
    const client = new LiveClient(this, stream, tenant, url, socket);
    socket.addEventListener("open", () => {
      if (this.#closing) {
        client.close(CloseCode.GOING_AWAY, "Argus is shutting down");
        return;
      }
      this.#clients.set(client, handlers);
      handlers.onOpen(client);
    });
    socket.addEventListener("message", (ev: MessageEvent) => this.#receive(client, handlers, ev.data));
    // Deno may report a close twice (its idle timeout, then the socket's end); forgetting is idempotent.
    socket.addEventListener("close", () => client.closedByPeer());
    socket.addEventListener("error", () => {/* a close event follows */});
    return response;
  }

  #receive(client: LiveClient, handlers: ClientHandlers, data: unknown): void {
    if (!this.#clients.has(client)) return;
    const max = this.limits.maxInboundBytes;
    if (typeof data !== "string") {
      const size = data instanceof ArrayBuffer ? data.byteLength : max + 1;
      if (size > max) client.close(CloseCode.MESSAGE_TOO_BIG, `Messages are limited to ${max} bytes`);
      else client.sendError("Expected a JSON text message");
      return;
    }
    if (exceeds(data, max)) {
      client.close(CloseCode.MESSAGE_TOO_BIG, `Messages are limited to ${max} bytes`);
      return;
    }
    if (!client.admitMessage(Date.now())) {
      client.sendError("Too many messages; at most " + this.limits.maxMessagesPer10s + " per 10 s");
      return;
    }
    try {
      handlers.onMessage(client, data);
    } catch (err) {
      // A hub bug must not take the server down; the client learns nothing internal.
      logger.error("live message handler failed", { stream: client.stream, error: err });
      client.sendError("Internal error");
    }
  }

  /** @internal Forgets a client and tells its hub. */
  remove(client: LiveClient): void {
    const handlers = this.#clients.get(client);
    if (!handlers) return;
    this.#clients.delete(client);
    try {
      handlers.onClose(client);
    } catch (err) {
      logger.error("live close handler failed", { stream: client.stream, error: err });
    }
  }

  /** Open clients per stream. */
  counts(): LiveClientCounts {
    const out = { logs: 0, events: 0, health: 0, total: 0 };
    for (const c of this.#clients.keys()) {
      out[c.stream]++;
      out.total++;
    }
    return out;
  }

  /**
   * Refuses new upgrades, closes every socket with 1001 and waits up to
   * `waitMs` for the close frames to leave (a listener shutdown would cut them).
   */
  async closeAll(waitMs = 1000): Promise<void> {
    this.#closing = true;
    const sockets = [...this.#clients.keys()].map((c) => c.socket);
    if (sockets.length === 0) return;
    const gone = sockets.map((s) =>
      s.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => {
        s.addEventListener("close", () => resolve(), { once: true });
      })
    );
    for (const c of [...this.#clients.keys()]) c.close(CloseCode.GOING_AWAY, "Argus is shutting down");
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(gone),
      new Promise<void>((resolve) => timer = setTimeout(resolve, waitMs)),
    ]);
    clearTimeout(timer);
  }
}
