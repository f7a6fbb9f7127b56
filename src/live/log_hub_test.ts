import assert from "node:assert/strict";
import { LiveSockets } from "./socket.ts";
import { LogHub } from "./log_hub.ts";
import { log } from "../../tests/support/fixtures.ts";

/** A /ws hub on a port of its own and one connected client recording what arrives. */
async function setup() {
  const sockets = new LiveSockets();
  const hub = new LogHub(sockets);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => hub.handle(req));
  const ws = new WebSocket(`ws://127.0.0.1:${server.addr.port}/ws`);
  const got: { at: number; data: unknown }[] = [];
  ws.onmessage = (e) => got.push({ at: performance.now(), data: JSON.parse(e.data) });
  await new Promise((r) => ws.onopen = r);
  const closed = new Promise((r) => ws.onclose = r);
  while (sockets.counts().logs === 0) await new Promise((r) => setTimeout(r, 5));
  return {
    hub,
    sockets,
    got,
    async stop() {
      hub.close();
      await sockets.closeAll();
      await closed;
      await server.shutdown();
    },
  };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 10 s, for loaded CI machines) until `n` messages have arrived. */
async function arrived(got: unknown[], n: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (got.length < n && performance.now() < deadline) await settle(10);
}

Deno.test("/ws batches: 100 logs flush at once, fewer wait 500 ms", async () => {
  const s = await setup();
  try {
    const t0 = performance.now();
    s.hub.publish("default", Array.from({ length: 250 }, (_, i) => log(i + 1)));
    // Two full batches go at once; the 50 left wait until 500 ms after they arrived.
    await arrived(s.got, 2);
    assert.deepEqual(s.got.slice(0, 2).map((m) => (m.data as unknown[]).length), [100, 100]);
    assert.ok(s.got[1].at - t0 < 400, `the full batches after ${s.got[1].at - t0} ms`);
    await arrived(s.got, 3);
    assert.deepEqual(s.got.map((m) => (m.data as unknown[]).length), [100, 100, 50]);
    assert.ok(s.got[2].at - t0 >= 490, `the partial batch after ${s.got[2].at - t0} ms`);
    assert.deepEqual((s.got.flatMap((m) => m.data as { id: number }[])).map((e) => e.id), [
      ...Array.from({ length: 250 }, (_, i) => i + 1),
    ]);

    s.hub.publish("other-tenant", [log(999)]);
    await settle(600);
    assert.equal(s.got.length, 3, "another tenant's logs never reach this client");
  } finally {
    await s.stop();
  }
});

Deno.test("/ws: an insight is sent after the logs still queued, never before its log", async () => {
  const s = await setup();
  try {
    s.hub.publish("default", [log(7, { severity_number: 17, severity: "ERROR" })]);
    s.hub.publishInsight("default", 7, "The card processor timed out.", "done");
    s.hub.publishInsight("other-tenant", 7, "not yours", "done");
    await arrived(s.got, 2);
    await settle(100);
    assert.equal(s.got.length, 2);
    assert.deepEqual((s.got[0].data as { id: number }[]).map((e) => e.id), [7]);
    assert.deepEqual(s.got[1].data, {
      type: "insight",
      log_id: 7,
      insight: "The card processor timed out.",
      status: "done",
    });
  } finally {
    await s.stop();
  }
});

Deno.test("/ws: a commit far larger than the backlog limit reaches a reading client whole", async () => {
  const s = await setup();
  try {
    // 10,000 logs of 2 KiB: about 22 MB, five times the 4 MiB limit, in one commit.
    const body = "y".repeat(2048);
    s.hub.publish("default", Array.from({ length: 10_000 }, (_, i) => log(i + 1, { body })));
    // Under CI's parallel load this takes seconds, so the wait ends when delivery stalls for
    // 10 s (or after 90 s in all), not at a fixed deadline.
    const count = () => s.got.reduce((n, m) => n + (m.data as unknown[]).length, 0);
    const hardStop = performance.now() + 90_000;
    let last = 0;
    let lastProgress = performance.now();
    while (count() < 10_000 && performance.now() < hardStop && performance.now() - lastProgress < 10_000) {
      await settle(20);
      if (count() > last) [last, lastProgress] = [count(), performance.now()];
    }
    assert.equal(count(), 10_000);
    assert.equal(s.sockets.dropped, 0);
  } finally {
    await s.stop();
  }
});
