/**
 * The live WebSockets of SPEC §7 against a running Argus, with real sockets:
 * `/ws` delivers what OTLP/HTTP stored within a second, honours per-client
 * filters and tenants, drops a client that never reads (1013) without slowing
 * another; the upgrade checks (Origin, tenant, 64 KiB frames, dead peers);
 * `/ws/events` shares and throttles snapshots; `/ws/health` ticks every 2 s;
 * shutdown closes with 1001.
 */

import assert from "node:assert/strict";
import { startTestArgus, type TestArgus } from "./support/argus.ts";
import { encodeLogs, encodeTraces, protoSpan, traceRequest } from "./support/otlp.ts";
import { EventsHub } from "../src/live/events_hub.ts";
import { LiveSockets } from "../src/live/socket.ts";
import type { LogEntry } from "../src/http/wire.ts";

// ---------------------------------------------------------------- helpers

// Deno's WebSocket accepts handshake headers (non-standard); the DOM lib in deno.json hides that overload.
const WebSocketWithHeaders = WebSocket as unknown as new (
  url: string,
  options?: { headers?: HeadersInit },
) => WebSocket;

interface Received {
  at: number;
  data: unknown;
}

/** A browser-standard WebSocket that records every message. */
class Client {
  readonly ws: WebSocket;
  readonly received: Received[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<CloseEvent>;
  #wake: (() => void)[] = [];

  constructor(url: string, headers?: Record<string, string>) {
    this.ws = new WebSocketWithHeaders(url, headers ? { headers } : undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.addEventListener("open", () => resolve(), { once: true });
      this.ws.addEventListener("error", () => reject(new Error(`cannot open ${url}`)), { once: true });
    });
    this.closed = new Promise((resolve) => this.ws.addEventListener("close", resolve, { once: true }));
    this.ws.addEventListener("message", (e: MessageEvent) => {
      this.received.push({ at: performance.now(), data: JSON.parse(e.data as string) });
      for (const w of this.#wake.splice(0)) w();
    });
    this.closed.then(() => {
      for (const w of this.#wake.splice(0)) w();
    });
  }

  /** Log entries received so far, in order. */
  logs(): LogEntry[] {
    return this.received.flatMap((m) => Array.isArray(m.data) ? m.data as LogEntry[] : []);
  }

  /** Messages that are objects of `type`. */
  typed(type: string): Received[] {
    return this.received.filter((m) => (m.data as { type?: string })?.type === type);
  }

  /** Resolves with `check`'s first non-undefined answer; fails after `timeoutMs`. */
  async until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    while (true) {
      const v = check();
      if (v !== undefined) return v;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#wake.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await this.closed;
  }
}

async function connect(url: string, headers?: Record<string, string>): Promise<Client> {
  const c = new Client(url, headers);
  await c.opened;
  return c;
}

interface Rec {
  body: string;
  severityNumber?: number;
  attributes?: Record<string, string>;
}

function logsPayload(service: string, records: Rec[]) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeLogs: [{
        scope: { name: "live-test" },
        logRecords: records.map((r, i) => ({
          timeUnixNano: (now + BigInt(i)).toString(),
          severityNumber: r.severityNumber ?? 9,
          body: { stringValue: r.body },
          attributes: Object.entries(r.attributes ?? {}).map(([key, v]) => ({
            key,
            value: { stringValue: v },
          })),
        })),
      }],
    }],
  };
}

async function post(t: TestArgus, path: string, body: Uint8Array<ArrayBuffer>, tenant?: string) {
  const res = await fetch(`${t.otlpHttp}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-protobuf", ...(tenant ? { "X-Scope-OrgID": tenant } : {}) },
    body,
  });
  await res.body?.cancel();
  assert.equal(res.status, 200, `${path} answered ${res.status}`);
}

const ingest = (t: TestArgus, service: string, records: Rec[], tenant?: string) =>
  post(t, "/v1/logs", encodeLogs(logsPayload(service, records)), tenant);

/** A WebSocket handshake by hand; the connection is then never read unless the test says so. */
async function rawUpgrade(
  t: TestArgus,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; conn: Deno.TcpConn }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: t.argus.httpPort });
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${t.argus.httpPort}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${btoa(crypto.randomUUID().slice(0, 16))}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
  // Only the response head: nothing else is sent before the client is registered.
  let head = "";
  const buf = new Uint8Array(4096);
  while (!head.includes("\r\n\r\n")) {
    const n = await conn.read(buf);
    if (n === null) break;
    head += new TextDecoder().decode(buf.subarray(0, n));
  }
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, conn };
}

/** Reads server frames until a close frame and returns its code (undefined at EOF or timeout). */
async function readCloseCode(conn: Deno.TcpConn, timeoutMs: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  const buf = new Uint8Array(1 << 20);
  let skip = 0; // payload bytes of the current frame still to pass
  let head = new Uint8Array(0); // an incomplete frame header
  while (Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const n = await Promise.race([
      conn.read(buf),
      new Promise<null>((r) => timer = setTimeout(() => r(null), deadline - Date.now())),
    ]);
    clearTimeout(timer);
    if (n === null) return undefined;
    let data = new Uint8Array(head.length + n);
    data.set(head);
    data.set(buf.subarray(0, n), head.length);
    head = new Uint8Array(0);
    while (data.length > 0) {
      if (skip > 0) {
        const k = Math.min(skip, data.length);
        skip -= k;
        data = data.subarray(k);
        continue;
      }
      if (data.length < 2) break;
      const opcode = data[0] & 0x0f;
      let len = data[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (data.length < 4) break;
        len = (data[2] << 8) | data[3];
        at = 4;
      } else if (len === 127) {
        if (data.length < 10) break;
        len = Number(new DataView(data.buffer, data.byteOffset + 2, 8).getBigUint64(0));
        at = 10;
      }
      if (opcode === 8) {
        if (data.length < at + 2) break;
        return (data[at] << 8) | data[at + 1];
      }
      skip = len;
      data = data.subarray(at);
    }
    head = data.slice();
  }
  return undefined;
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - start;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RFC3339_US = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

// ---------------------------------------------------------------- tests

Deno.test("live WebSockets on a running Argus", async (ctx) => {
  const t = await startTestArgus({ ALLOWED_ORIGINS: "http://ui.example:3000" });
  const ws = t.http.replace(/^http/, "ws");
  let stopped = false;
  try {
    await ctx.step("a log sent over OTLP/HTTP reaches a /ws client within 1 s, as a LogEntry", async () => {
      const c = await connect(`${ws}/ws`);
      try {
        const marker = crypto.randomUUID();
        const sent = performance.now();
        await ingest(t, "checkout", [
          { body: `payment declined ${marker}`, severityNumber: 17, attributes: { "order.id": "42" } },
        ]);
        const entry = await c.until(
          () => c.logs().find((l) => l.body.includes(marker)),
          1000 - (performance.now() - sent),
          "the log on /ws",
        );
        const stored = (await t.argus.store.forTenant("default").listLogs({
          startUs: 0,
          endUs: Number.MAX_SAFE_INTEGER,
          limit: 1000,
          offset: 0,
        })).rows.find((r) => r.body.includes(marker));
        assert.ok(stored, "the log is stored");
        assert.equal(entry.id, stored.id);
        assert.equal(entry.body, `payment declined ${marker}`);
        assert.equal(entry.service_name, "checkout");
        assert.equal(entry.severity, "ERROR");
        assert.equal(entry.severity_number, 17);
        assert.equal(entry.timestamp_us, stored.timestamp_us);
        assert.match(entry.timestamp, RFC3339_US);
        assert.deepEqual(entry.attributes, { "order.id": "42" });
        assert.equal(entry.resource_attributes["service.name"], "checkout");
        assert.equal(entry.ai_status, "skipped"); // AI is off in tests
      } finally {
        await c.close();
      }
    });

    await ctx.step("each client's filter (service, min_severity) shapes its own stream", async () => {
      const all = await connect(`${ws}/ws`);
      const bySvc = await connect(`${ws}/ws`);
      const byLevel = await connect(`${ws}/ws?min_severity=warn`);
      try {
        bySvc.ws.send(JSON.stringify({ service: "filter-a", unknown_field: [1, 2] }));
        await bySvc.until(() => bySvc.typed("filter")[0], 1000, "the filter acknowledgement");
        assert.deepEqual(bySvc.typed("filter")[0].data, {
          type: "filter",
          service: "filter-a",
          min_severity: "",
        });

        // Bad messages are answered and change nothing.
        bySvc.ws.send("{not json");
        bySvc.ws.send(JSON.stringify({ service: 7 }));
        bySvc.ws.send(JSON.stringify({ min_severity: "LOUD" }));
        bySvc.ws.send(JSON.stringify(["service", "x"]));
        const errors = await bySvc.until(
          () => {
            const e = bySvc.typed("error");
            return e.length === 4 ? e : undefined;
          },
          1000,
          "four error answers",
        );
        assert.match((errors[1].data as { message: string }).message, /"service"/);
        assert.match((errors[2].data as { message: string }).message, /min_severity.*LOUD/);

        const m = crypto.randomUUID();
        await ingest(t, "filter-a", [
          { body: `a-info ${m}`, severityNumber: 9 },
          { body: `a-warn ${m}`, severityNumber: 13 },
        ]);
        await ingest(t, "filter-b", [
          { body: `b-error ${m}`, severityNumber: 17 },
          { body: `b-debug ${m}`, severityNumber: 5 },
        ]);
        const mine = (c: Client) =>
          c.logs().filter((l) => l.body.endsWith(m)).map((l) => l.body.split(" ")[0]);
        await all.until(() => mine(all).length === 4 ? true : undefined, 2000, "all four logs");
        await sleep(300); // the other clients were sent the same flushes
        assert.deepEqual(mine(all).sort(), ["a-info", "a-warn", "b-debug", "b-error"]);
        assert.deepEqual(mine(bySvc).sort(), ["a-info", "a-warn"]);
        assert.deepEqual(mine(byLevel).sort(), ["a-warn", "b-error"]);
        assert.equal(bySvc.ws.readyState, WebSocket.OPEN);
      } finally {
        await Promise.all([all.close(), bySvc.close(), byLevel.close()]);
      }
    });

    await ctx.step("a client of tenant B never sees tenant A's logs", async () => {
      const a = await connect(`${ws}/ws`, { "X-Scope-OrgID": "tenant-a" });
      const b = await connect(`${ws}/ws`, { "X-Scope-OrgID": "tenant-b" });
      const d = await connect(`${ws}/ws`);
      try {
        const m = crypto.randomUUID();
        await ingest(t, "svc", [{ body: `for-a ${m}` }], "tenant-a");
        await ingest(t, "svc", [{ body: `for-b ${m}` }], "tenant-b");
        await ingest(t, "svc", [{ body: `for-default ${m}` }]);
        const mine = (c: Client) =>
          c.logs().filter((l) => l.body.endsWith(m)).map((l) => l.body.split(" ")[0]);
        await a.until(() => mine(a).length > 0 ? true : undefined, 2000, "tenant A's log");
        await b.until(() => mine(b).length > 0 ? true : undefined, 2000, "tenant B's log");
        await d.until(() => mine(d).length > 0 ? true : undefined, 2000, "the default tenant's log");
        await sleep(600);
        assert.deepEqual(mine(a), ["for-a"]);
        assert.deepEqual(mine(b), ["for-b"]);
        assert.deepEqual(mine(d), ["for-default"]);
      } finally {
        await Promise.all([a.close(), b.close(), d.close()]);
      }
    });

    await ctx.step("upgrade checks: Origin, tenant, WebSocket only", async () => {
      const cases: [string, Record<string, string>, number][] = [
        ["no Origin (not a browser)", {}, 101],
        ["the server's own origin", { Origin: `http://127.0.0.1:${t.argus.httpPort}` }, 101],
        ["an origin in ALLOWED_ORIGINS", { Origin: "http://ui.example:3000" }, 101],
        ["a foreign origin", { Origin: "http://evil.example" }, 403],
        ["the own host on another port", { Origin: "http://127.0.0.1:1" }, 403],
        ["Origin null", { Origin: "null" }, 403],
        ["an invalid tenant", { "X-Scope-OrgID": "no spaces allowed" }, 400],
      ];
      for (const path of ["/ws", "/ws/events", "/ws/health"]) {
        for (const [what, headers, want] of cases) {
          const { status, conn } = await rawUpgrade(t, path, headers);
          conn.close();
          assert.equal(status, want, `${path}, ${what}`);
        }
      }
      const plain = await fetch(`${t.http}/ws`);
      assert.equal(plain.status, 426);
      assert.match((await plain.json()).error, /WebSocket/);
      await waitUntil(() => t.argus.live.counts().total === 0, 2000, "the raw clients are forgotten");
    });

    await ctx.step("an inbound message over 64 KiB closes the connection with 1009", async () => {
      const c = await connect(`${ws}/ws`);
      // 65,536 UTF-8 bytes in 32,768 characters: at the limit, answered, not closed.
      c.ws.send("é".repeat(32_768));
      await c.until(() => c.typed("error")[0], 1000, "the answer to a message at the limit");
      assert.equal(c.ws.readyState, WebSocket.OPEN);
      c.ws.send("é".repeat(32_769));
      const ev = await c.closed;
      assert.equal(ev.code, 1009);
    });

    await ctx.step("a peer that stops answering pings is dropped; a live one stays", async () => {
      const limits = t.argus.live.sockets.limits;
      limits.idleTimeoutS = 2; // ping after 1 s of silence, drop 1 s later
      try {
        const alive = await connect(`${ws}/ws`);
        const dead = await rawUpgrade(t, "/ws");
        assert.equal(dead.status, 101);
        await waitUntil(() => t.argus.live.counts().logs === 2, 1000, "both registered");
        const took = await waitUntil(() => t.argus.live.counts().logs === 1, 4000, "the dead peer dropped");
        assert.ok(took > 1000, `dropped after ${took} ms, before any ping could go unanswered`);
        await sleep(1500);
        assert.equal(alive.ws.readyState, WebSocket.OPEN, "the client answering pings is kept");
        assert.equal(t.argus.live.counts().logs, 1);
        dead.conn.close();
        await alive.close();
      } finally {
        limits.idleTimeoutS = 60;
      }
    });

    await ctx.step(
      "a client that never reads is closed with 1013; a reading one gets everything",
      async () => {
        const limits = t.argus.live.sockets.limits;
        const saved = limits.maxBufferedBytes;
        limits.maxBufferedBytes = 256 * 1024;
        const droppedBefore = t.argus.live.sockets.dropped;
        const fast = await connect(`${ws}/ws?service=flood`);
        const slow = await rawUpgrade(t, "/ws?service=flood");
        try {
          assert.equal(slow.status, 101);
          await waitUntil(() => t.argus.live.counts().logs === 2, 1000, "both registered");
          // Loopback buffers take some MiB of a reader that never reads before its backlog grows.
          const body = "x".repeat(1024);
          let sent = 0;
          for (let i = 0; i < 30 && t.argus.live.counts().logs === 2; i++) {
            await ingest(t, "flood", Array.from({ length: 1000 }, (_, j) => ({ body: `${i}-${j} ${body}` })));
            sent += 1000;
            // The reading client keeps up all along: it has everything before the next request.
            await fast.until(() => fast.logs().length === sent ? true : undefined, 5000, `${sent} logs`);
          }
          assert.equal(t.argus.live.counts().logs, 1, `the slow client still connected after ${sent} logs`);
          assert.equal(t.argus.live.sockets.dropped, droppedBefore + 1);
          assert.equal(fast.ws.readyState, WebSocket.OPEN);
          assert.equal(new Set(fast.logs().map((l) => l.id)).size, sent, "no log twice");
          assert.equal(await readCloseCode(slow.conn, 10_000), 1013);
        } finally {
          limits.maxBufferedBytes = saved;
          slow.conn.close();
          await fast.close();
        }
      },
    );

    await ctx.step("/ws/events sends a snapshot on connect and for its service filter", async () => {
      const trace = (c: string) => c.repeat(32);
      await post(
        t,
        "/v1/traces",
        encodeTraces(traceRequest("events-a", [protoSpan(trace("a"), "1".repeat(16), "GET /a")])),
      );
      await post(
        t,
        "/v1/traces",
        encodeTraces(traceRequest("events-b", [protoSpan(trace("b"), "2".repeat(16), "GET /b")])),
      );
      const c = await connect(`${ws}/ws/events`);
      try {
        type Snap = {
          service: string;
          window: { start: string; end: string };
          traces: { trace_id: string }[];
        };
        const first = (await c.until(() => c.typed("snapshot")[0], 3000, "the first snapshot")).data as Snap;
        assert.equal(first.service, "");
        for (const k of ["window", "dashboard", "traffic", "traces", "service_map"]) assert.ok(k in first, k);
        assert.ok(Date.parse(first.window.end) - Date.parse(first.window.start) === 15 * 60_000);
        const ids = first.traces.map((x) => x.trace_id);
        assert.ok(
          ids.includes(trace("a")) && ids.includes(trace("b")),
          "both traces in the unfiltered snapshot",
        );

        c.ws.send(JSON.stringify({ service: "events-a" }));
        const second = (await c.until(() => c.typed("snapshot")[1], 3000, "the filtered snapshot"))
          .data as Snap;
        assert.equal(second.service, "events-a");
        assert.deepEqual(second.traces.map((x) => x.trace_id), [trace("a")]);
      } finally {
        await c.close();
      }
    });

    await ctx.step("/ws/health pushes HealthStats about every 2 s", async () => {
      const c = await connect(`${ws}/ws/health`);
      const opened = performance.now();
      try {
        await c.until(() => c.received.length >= 3 ? true : undefined, 6000, "three health messages");
        const [a, b, d] = c.received.map((m) => m.at);
        assert.ok(a - opened < 1000, `first after ${a - opened} ms`);
        for (const gap of [b - opened, d - b]) assert.ok(gap > 1600 && gap < 2600, `gap ${gap} ms`);
        const h = c.received[2].data as { status: string; version: string; active_connections: number };
        assert.equal(h.status, "ok");
        assert.equal(typeof h.version, "string");
        assert.equal(h.active_connections, 1);
      } finally {
        await c.close();
      }
    });

    await ctx.step("shutdown closes every socket with 1001", async () => {
      const clients = await Promise.all(["/ws", "/ws/events", "/ws/health"].map((p) => connect(`${ws}${p}`)));
      stopped = true;
      await t.stop();
      const codes = await Promise.all(clients.map(async (c) => (await c.closed).code));
      assert.deepEqual(codes, [1001, 1001, 1001]);
    });
  } finally {
    if (!stopped) await t.stop();
  }
});

Deno.test("/ws/events: one computation per filter, shared, at most one per 5 s under continuous ingest", async () => {
  const t = await startTestArgus();
  // A hub of its own with a compute that counts, fed by the real pipeline.
  const calls: { tenant: string; service: string }[] = [];
  const sockets = new LiveSockets();
  const hub = new EventsHub(sockets, {
    compute: (tenant, service) => {
      calls.push({ tenant, service });
      return Promise.resolve({ dashboard: { computation: calls.length } });
    },
  });
  t.argus.pipeline.onStored((tenant) => hub.notify(tenant));
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => hub.handle(req));
  const url = `ws://127.0.0.1:${server.addr.port}/ws/events`;
  const clients: Client[] = [];
  try {
    const snaps = (c: Client) => c.typed("snapshot");
    const callsFor = (service: string) => calls.filter((x) => x.service === service).length;

    const c1 = await connect(url);
    clients.push(c1);
    await c1.until(() => snaps(c1)[0], 2000, "c1's first snapshot");
    // Two more clients of the same filter get the same snapshot without a computation.
    for (let i = 0; i < 2; i++) {
      const c = await connect(url);
      clients.push(c);
      await c.until(() => snaps(c)[0], 2000, "a joining client's snapshot");
    }
    assert.equal(callsFor(""), 1);
    // Another filter is another group: computed at once, on its own.
    const c4 = await connect(`${url}?service=svc-x`);
    clients.push(c4);
    await c4.until(() => snaps(c4)[0], 2000, "c4's snapshot");
    assert.equal(callsFor("svc-x"), 1);
    assert.equal((snaps(c4)[0].data as { service: string }).service, "svc-x");

    // About 12 s of continuous ingest, a request every 250 ms.
    const until = performance.now() + 12_000;
    for (let i = 0; performance.now() < until; i++) {
      await ingest(t, "svc-x", [{ body: `tick ${i}` }]);
      await sleep(250);
    }
    await sleep(300);

    const [c2, c3] = [clients[1], clients[2]];
    const n = snaps(c1).length;
    assert.ok(n >= 3 && n <= 4, `${n} snapshots: the initial one and one per 5 s of data`);
    assert.equal(callsFor(""), n, "one computation per snapshot sent");
    assert.deepEqual(snaps(c2).map((m) => m.data), snaps(c1).map((m) => m.data), "c2 shares c1's snapshots");
    assert.deepEqual(snaps(c3).map((m) => m.data), snaps(c1).map((m) => m.data), "c3 shares c1's snapshots");
    const at = snaps(c1).map((m) => m.at);
    for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= 4900, `gap ${at[i] - at[i - 1]} ms`);
    assert.equal(snaps(c4).length, callsFor("svc-x"));
    assert.ok(callsFor("svc-x") >= 3 && callsFor("svc-x") <= 4);
    assert.ok(snaps(c4).every((m) => (m.data as { service: string }).service === "svc-x"));
    assert.ok(calls.every((x) => x.tenant === "default"));

    // Changing the filter answers at once with that filter's snapshot.
    c4.ws.send(JSON.stringify({ service: "" }));
    await c4.until(
      () => snaps(c4).find((m) => (m.data as { service: string }).service === ""),
      2000,
      "re-filter",
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    hub.close();
    await sockets.closeAll();
    await server.shutdown();
    await t.stop();
  }
});
