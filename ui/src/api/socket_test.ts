import assert from "node:assert/strict";
import { ReconnectingSocket, type SocketLike, wsUrl } from "./socket.ts";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  closedWith: number | undefined;
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  receive(data: string) {
    this.onmessage?.(new MessageEvent("message", { data }));
  }
  drop() {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code: 1006 }));
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const messages: unknown[] = [];
  const statuses: string[] = [];
  let filter = "a";
  const rs = new ReconnectingSocket({
    url: "ws://host/ws/events",
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    hello: () => ({ service: filter }),
    backoff: { baseMs: 100, maxMs: 1000 },
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  return { rs, sockets, timers, messages, statuses, setFilter: (f: string) => (filter = f) };
}

Deno.test("sends the hello on open, parses JSON messages and ignores garbage", () => {
  const h = harness();
  h.sockets[0].open();
  assert.deepEqual(h.sockets[0].sent, ['{"service":"a"}']);
  h.sockets[0].receive('{"type":"snapshot"}');
  h.sockets[0].receive("not json");
  assert.deepEqual(h.messages, [{ type: "snapshot" }]);
});

Deno.test("reconnects with growing delays and re-sends the current filter", () => {
  const h = harness();
  h.sockets[0].drop();
  assert.equal(h.timers.length, 1);
  assert.ok(h.timers[0].ms >= 50 && h.timers[0].ms <= 100);
  h.timers[0].fn();
  h.sockets[1].drop();
  assert.ok(h.timers[1].ms >= 100 && h.timers[1].ms <= 200);
  h.timers[1].fn();
  h.setFilter("payment");
  h.sockets[2].open();
  assert.deepEqual(h.sockets[2].sent, ['{"service":"payment"}']);
  assert.deepEqual(h.statuses, ["connecting", "closed", "connecting", "closed", "connecting", "open"]);
});

Deno.test("a successful connection resets the back-off; close stops reconnecting", () => {
  const h = harness();
  h.sockets[0].drop();
  h.timers[0].fn();
  h.sockets[1].open();
  h.sockets[1].drop();
  assert.ok(h.timers[1].ms <= 100, "back to the base delay");
  h.rs.close();
  h.timers[1].fn();
  assert.equal(h.sockets.length, 2, "no new socket after close");
});

Deno.test("send only works while open; close uses code 1000", () => {
  const h = harness();
  assert.equal(h.rs.send({ x: 1 }), false);
  h.sockets[0].open();
  assert.equal(h.rs.send({ x: 1 }), true);
  h.rs.close();
  assert.equal(h.sockets[0].closedWith, 1000);
});

Deno.test("wsUrl follows the page's scheme and host", () => {
  assert.equal(wsUrl("/ws", { protocol: "https:", host: "argus.lan:8443" }), "wss://argus.lan:8443/ws");
  assert.equal(
    wsUrl("/ws/health", { protocol: "http:", host: "10.0.0.5:8080" }),
    "ws://10.0.0.5:8080/ws/health",
  );
});
