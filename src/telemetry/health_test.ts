import assert from "node:assert/strict";
import { createHealth, type HealthSources, LatencyWindow, RateWindow } from "./health.ts";

Deno.test("RateWindow: items per second over the last minute, over the uptime before that", () => {
  const t0 = 1_000_000_000_000;
  const w = new RateWindow(60, t0);
  assert.equal(w.perSecond(t0), 0);
  w.add(30, t0 + 500);
  w.add(30, t0 + 9_000);
  // Ten seconds up: 60 items over 10 s.
  assert.equal(w.perSecond(t0 + 10_000), 6);
  // Two minutes up: the window is a minute; the 60 items are still inside it at t0+59s…
  assert.equal(w.perSecond(t0 + 59_000), 60 / 59);
  // …and gone once they are over a minute old, even though their slots were never overwritten.
  assert.equal(w.perSecond(t0 + 130_000), 0);
  // A reused slot starts from zero.
  w.add(6, t0 + 120_500);
  assert.equal(w.perSecond(t0 + 121_000), 6 / 60);
});

Deno.test("LatencyWindow: nearest-rank p99 of the recent timings, in ms; old ones drop out", () => {
  const w = new LatencyWindow(1000, 60_000);
  const now = 5_000_000;
  assert.equal(w.percentileMs(99, now), 0);
  for (let i = 1; i <= 100; i++) w.add(i / 1000, now);
  assert.equal(w.percentileMs(99, now), 99);
  assert.equal(w.percentileMs(50, now), 50);
  w.add(5, now + 61_000);
  assert.equal(w.percentileMs(99, now + 61_000), 5000);
  // Capacity bounds memory: the oldest timings are overwritten.
  const small = new LatencyWindow(3);
  for (const s of [9, 9, 9, 0.001, 0.001, 0.001]) small.add(s, now);
  assert.equal(small.percentileMs(99, now), 1);
});

function sources(over: Partial<HealthSources> = {}): HealthSources {
  return {
    version: "9.9.9",
    driver: "postgres",
    startedAtMs: Date.now() - 5_500,
    ping: () => Promise.resolve(),
    dlqFiles: () => Promise.resolve(2),
    ingestion: new RateWindow(),
    dbLatency: new LatencyWindow(),
    aiEnabled: false,
    ...over,
  };
}

Deno.test("createHealth: the fields of SPEC §6 from their sources", async () => {
  const latency = new LatencyWindow();
  latency.add(0.004);
  const stats = await createHealth(sources({
    dbLatency: latency,
    activeConnections: () => 3,
    aiEnabled: true,
    ai: () => ({ queueDepth: 4, dropped: 1 }),
  })).stats();
  assert.deepEqual({ ...stats, ingestion_rate: 0 }, {
    status: "ok",
    version: "9.9.9",
    uptime_s: 5,
    ingestion_rate: 0,
    dlq_size: 2,
    active_connections: 3,
    db_latency_p99_ms: 4,
    db: { driver: "postgres", ok: true },
    ai: { enabled: true, queue_depth: 4, dropped: 1 },
  });
});

Deno.test("createHealth: a failing or hanging database makes it degraded, within the ping timeout", async () => {
  const failing = await createHealth(sources({ ping: () => Promise.reject(new Error("down")) })).stats();
  assert.equal(failing.status, "degraded");
  assert.equal(failing.db.ok, false);
  const t0 = performance.now();
  const hanging = await createHealth(sources({ ping: () => new Promise(() => {}), pingTimeoutMs: 50 }))
    .stats();
  assert.equal(hanging.db.ok, false);
  assert.ok(performance.now() - t0 < 1000);
});

Deno.test("createHealth: concurrent calls share one computation (one ping)", async () => {
  let pings = 0;
  const health = createHealth(sources({ ping: () => Promise.resolve(pings++) }));
  const all = await Promise.all([health.stats(), health.stats(), health.stats()]);
  assert.equal(pings, 1);
  assert.equal(all.length, 3);
  await health.stats();
  assert.equal(pings, 2);
});
