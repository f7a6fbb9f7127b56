/**
 * A JSON WebSocket that reconnects with exponential back-off and re-sends its
 * subscription after every reconnect. React-free; the live provider, the log
 * tail and the health panel each own one.
 *
 * @module
 */
import { backoffDelay, type BackoffOptions, DEFAULT_BACKOFF } from "../model/backoff.ts";

/** Connection state reported to the owner. */
export type SocketStatus = "connecting" | "open" | "closed";

/** The part of the WebSocket API used here (a fake in tests). */
export interface SocketLike {
  readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Options of a {@link ReconnectingSocket}. */
export interface ReconnectingSocketOptions {
  url: string;
  /** Called with each parsed JSON message; unparsable frames are ignored. */
  onMessage: (message: unknown) => void;
  onStatus?: (status: SocketStatus) => void;
  /** A message sent after every (re)connect, e.g. the current filter. */
  hello?: () => unknown;
  backoff?: BackoffOptions;
  createSocket?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => number;
  clearTimer?: (id: number) => void;
}

const OPEN = 1;

/** Absolute `ws://` or `wss://` URL of a path on this server. */
export function wsUrl(
  path: string,
  location: { protocol: string; host: string } = globalThis.location,
): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
}

/** A WebSocket that reconnects until {@link ReconnectingSocket.close} is called. */
export class ReconnectingSocket {
  #opts: Required<Omit<ReconnectingSocketOptions, "hello" | "onStatus">> & ReconnectingSocketOptions;
  #socket: SocketLike | null = null;
  #attempt = 0;
  #timer: number | null = null;
  #closed = false;

  constructor(options: ReconnectingSocketOptions) {
    this.#opts = {
      backoff: DEFAULT_BACKOFF,
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      setTimer: (fn, ms) => setTimeout(fn, ms) as unknown as number,
      clearTimer: (id) => clearTimeout(id),
      ...options,
    };
    this.#connect();
  }

  #connect(): void {
    if (this.#closed) return;
    this.#opts.onStatus?.("connecting");
    let socket: SocketLike;
    try {
      socket = this.#opts.createSocket(this.#opts.url);
    } catch {
      this.#schedule();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#opts.onStatus?.("open");
      const hello = this.#opts.hello?.();
      if (hello !== undefined) this.send(hello);
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== "string") return;
      let message: unknown;
      try {
        message = JSON.parse(ev.data);
      } catch {
        return;
      }
      this.#opts.onMessage(message);
    };
    socket.onerror = () => {
      // onclose follows and schedules the retry
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#opts.onStatus?.("closed");
      this.#schedule();
    };
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== null) return;
    const delay = backoffDelay(this.#attempt++, this.#opts.backoff);
    this.#timer = this.#opts.setTimer(() => {
      this.#timer = null;
      this.#connect();
    }, delay);
  }

  /** Sends a JSON message if connected; returns whether it was sent. */
  send(message: unknown): boolean {
    if (!this.#socket || this.#socket.readyState !== OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes for good (code 1000) and stops reconnecting. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) this.#opts.clearTimer(this.#timer);
    this.#timer = null;
    const s = this.#socket;
    this.#socket = null;
    if (s) {
      s.onclose = null;
      s.onmessage = null;
      s.close(1000, "client closed");
    }
  }
}
