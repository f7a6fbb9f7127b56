/**
 * SPEC §10 and the security issue: keys and roles on OTLP (HTTP and gRPC), REST,
 * admin and WebSockets; tenant isolation through every read; hostile tenant
 * ids; sessions; per-tenant rate limits; slow bodies; keys never echoed.
 */

import assert from "node:assert/strict";
import { startTestArgus, type TestArgus } from "./support/argus.ts";
import { startServerProcess } from "./support/process.ts";
import {
  decodeStatus,
  encodeLogs,
  encodeTraces,
  grpcExport,
  logsRequest,
  protoSpan,
  traceRequest,
} from "./support/otlp.ts";

const KEYS = {
  ingestA: "ingest-key-acme-0001",
  readA: "read-key-acme-000001",
  adminA: "admin-key-acme-00001",
  ingestB: "ingest-key-beta-0001",
  readB: "read-key-beta-000001",
};
const AUTH_API_KEYS = [
  `${KEYS.ingestA}:acme:ingest`,
  `${KEYS.readA}:acme:read`,
  `${KEYS.adminA}:acme:admin`,
  `${KEYS.ingestB}:beta:ingest`,
  `${KEYS.readB}:beta:read`,
].join(",");
const PB = { "Content-Type": "application/x-protobuf" };
const TRACE = "ab".repeat(16);

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function status(res: Response) {
  const body = await res.text();
  return { code: res.status, body };
}

Deno.test("API keys: roles, tenants and isolation", async (ctx) => {
  const t = await startTestArgus({ AUTH_API_KEYS });
  try {
    const sendTraces = (headers: Record<string, string>) =>
      fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { ...PB, ...headers },
        body: encodeTraces(traceRequest("checkout", [protoSpan(TRACE, "1".repeat(16), "GET /secret")])),
      });

    await ctx.step(
      "OTLP without a key, or with a wrong key of equal or unequal length → the same 401",
      async () => {
        const none = await sendTraces({});
        assert.equal(none.status, 401);
        const noneStatus = decodeStatus(new Uint8Array(await none.arrayBuffer()));
        assert.equal(noneStatus.code, 16);
        const sameLength = await sendTraces(bearer(KEYS.ingestA.replace(/1$/, "2")));
        const otherLength = await sendTraces({ "X-API-Key": "x" });
        for (const r of [sameLength, otherLength]) {
          assert.equal(r.status, 401);
          assert.deepEqual(decodeStatus(new Uint8Array(await r.arrayBuffer())), noneStatus);
        }
        assert.equal((await grpcExport(t.grpc, "traces", new Uint8Array())).code, 16);
        assert.equal(
          (await grpcExport(t.grpc, "traces", new Uint8Array(), {
            metadata: { "x-api-key": "wrong-key-000000000" },
          }))
            .code,
          16,
        );
      },
    );

    await ctx.step("a read key cannot ingest (403 / PERMISSION_DENIED); an ingest key can", async () => {
      const r = await sendTraces(bearer(KEYS.readA));
      assert.equal(r.status, 403);
      await r.body?.cancel();
      assert.equal(
        (await grpcExport(t.grpc, "traces", new Uint8Array(), {
          metadata: { authorization: `Bearer ${KEYS.readA}` },
        }))
          .code,
        7,
      );
      const ok = await sendTraces(bearer(KEYS.ingestA));
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
      const logs = await grpcExport(t.grpc, "logs", encodeLogs(logsRequest("checkout", 2)), {
        metadata: { "x-api-key": KEYS.ingestA, "x-scope-orgid": "beta" }, // the key decides the tenant
      });
      assert.equal(logs.code, 0);
    });

    await ctx.step("REST: no key 401, ingest key 403, read key 200; admin needs admin", async () => {
      const list = (headers: Record<string, string>) => fetch(`${t.http}/api/traces`, { headers });
      const none = await status(await list({}));
      assert.equal(none.code, 401);
      assert.match(JSON.parse(none.body).error, /Authentication required/);
      assert.equal((await status(await list(bearer(KEYS.ingestA)))).code, 403);
      const read = await list(bearer(KEYS.readA));
      assert.equal(read.status, 200);
      assert.equal((await read.json()).total, 1);
      const purge = (key: string) =>
        fetch(`${t.http}/api/admin/purge?days=30`, { method: "DELETE", headers: bearer(key) });
      assert.equal((await status(await purge(KEYS.readA))).code, 403);
      assert.equal((await status(await purge(KEYS.adminA))).code, 200);
      assert.equal((await status(await fetch(`${t.http}/metrics`))).code, 401);
      assert.equal(
        (await status(await fetch(`${t.http}/metrics`, { headers: bearer(KEYS.readA) }))).code,
        200,
      );
      // The UI itself stays reachable, so its login form can load.
      assert.equal((await status(await fetch(`${t.http}/traces`))).code, 200);
    });

    await ctx.step("tenant B cannot see tenant A's data through any read", async () => {
      const asB = bearer(KEYS.readB);
      const get = async (path: string) => {
        const r = await fetch(`${t.http}${path}`, { headers: asB });
        return { code: r.status, body: await r.json() };
      };
      assert.equal((await get(`/api/traces/${TRACE}`)).code, 404);
      assert.equal((await get("/api/traces")).body.total, 0);
      assert.equal((await get("/api/logs")).body.total, 0);
      assert.deepEqual((await get("/api/metrics/service-map")).body, { nodes: [], edges: [] });
      assert.equal((await get("/api/metrics/dashboard")).body.total_traces, 0);
      assert.deepEqual((await get("/api/metadata/services")).body, []);
      // The same reads as A do see it.
      const a = await fetch(`${t.http}/api/traces/${TRACE}`, { headers: bearer(KEYS.readA) });
      assert.equal(a.status, 200);
      await a.body?.cancel();
    });

    await ctx.step("live snapshot and log stream are per tenant", async () => {
      const open = (path: string, key: string) =>
        new WebSocket(
          `${t.http.replace("http", "ws")}${path}`,
          { headers: bearer(key) } as unknown as string[],
        );
      const snapshot = (key: string) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const ws = open("/ws/events", key);
          ws.onmessage = (e) => {
            ws.close();
            resolve(JSON.parse(e.data));
          };
          ws.onerror = () => reject(new Error("socket failed"));
        });
      const a = await snapshot(KEYS.readA);
      const b = await snapshot(KEYS.readB);
      assert.equal((a.dashboard as { total_traces: number }).total_traces, 1);
      assert.equal((b.dashboard as { total_traces: number }).total_traces, 0);
      assert.deepEqual(b.traces, []);

      const received: unknown[] = [];
      const wsB = open("/ws", KEYS.readB);
      const wsA = open("/ws", KEYS.readA);
      const gotA = new Promise<void>((resolve) => {
        wsA.onmessage = (e) => {
          const msg = JSON.parse(e.data);
          if (Array.isArray(msg) && msg.some((l) => l.body === "record 0")) resolve();
        };
      });
      wsB.onmessage = (e) => received.push(JSON.parse(e.data));
      await Promise.all([wsA, wsB].map((ws) => new Promise((r) => ws.onopen = r)));
      const r = await fetch(`${t.otlpHttp}/v1/logs`, {
        method: "POST",
        headers: { ...PB, ...bearer(KEYS.ingestA) },
        body: encodeLogs(logsRequest("checkout", 3)),
      });
      await r.body?.cancel();
      await gotA;
      await new Promise((r) => setTimeout(r, 700)); // past the 500 ms flush B would have had
      assert.deepEqual(received.filter((m) => Array.isArray(m) && m.length > 0), []);
      wsA.close();
      wsB.close();
      // Without credentials the upgrade is refused.
      const refused = await fetch(`${t.http}/ws`, { headers: { Upgrade: "websocket" } });
      assert.equal(refused.status, 401);
      await refused.body?.cancel();
    });

    await ctx.step(
      "sessions: a read key opens an HttpOnly SameSite=Strict cookie; logout ends it",
      async () => {
        const ingest = await fetch(`${t.http}/api/session`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ key: KEYS.ingestA }),
        });
        assert.equal(ingest.status, 403);
        await ingest.body?.cancel();
        const open = await fetch(`${t.http}/api/session`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Forwarded-Proto": "https" },
          body: JSON.stringify({ key: KEYS.readA }),
        });
        assert.equal(open.status, 200);
        assert.deepEqual(await open.json(), { tenant: "acme", role: "read" });
        const setCookie = open.headers.get("set-cookie") ?? "";
        assert.match(
          setCookie,
          /^argus_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
        );
        const cookie = setCookie.split(";")[0];
        const withCookie = await fetch(`${t.http}/api/traces`, { headers: { Cookie: cookie } });
        assert.equal(withCookie.status, 200);
        await withCookie.body?.cancel();
        const state = await (await fetch(`${t.http}/api/session`, { headers: { Cookie: cookie } })).json();
        assert.deepEqual(state, { auth_required: true, authenticated: true, tenant: "acme", role: "read" });
        const out = await fetch(`${t.http}/api/session`, { method: "DELETE", headers: { Cookie: cookie } });
        assert.equal(out.status, 204);
        assert.match(out.headers.get("set-cookie") ?? "", /Max-Age=0/);
        assert.equal(
          (await status(await fetch(`${t.http}/api/traces`, { headers: { Cookie: cookie } }))).code,
          401,
        );
      },
    );
  } finally {
    await t.stop();
  }
});

Deno.test("open server: hostile tenant ids are refused with 400", async () => {
  const t = await startTestArgus();
  try {
    for (const bad of ["..", ".", "%2e%2e", "a/b", "x".repeat(151), "tenant id", "é"]) {
      const r = await fetch(`${t.http}/api/traces`, { headers: { "X-Scope-OrgID": bad } });
      assert.equal(r.status, 400, bad);
      assert.match((await r.json()).error, /X-Scope-OrgID/);
      const o = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { ...PB, "X-Scope-OrgID": bad },
        body: new Uint8Array(),
      });
      assert.equal(o.status, 400, bad);
      await o.body?.cancel();
    }
    const twice = new Headers({ ...PB });
    twice.append("X-Scope-OrgID", "a");
    twice.append("X-Scope-OrgID", "b");
    const r = await fetch(`${t.otlpHttp}/v1/traces`, {
      method: "POST",
      headers: twice,
      body: new Uint8Array(),
    });
    assert.equal(r.status, 400);
    await r.body?.cancel();
    const ok = await fetch(`${t.http}/api/traces`, { headers: { "X-Scope-OrgID": "x".repeat(150) } });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  } finally {
    await t.stop();
  }
});

Deno.test("a tenant over its ingest rate gets 429 / RESOURCE_EXHAUSTED while another is served", async () => {
  const t: TestArgus = await startTestArgus({ INGEST_RATE_LIMIT: "20", INGEST_RATE_BURST: "40" });
  try {
    const spans = (n: number, prefix: string) =>
      encodeTraces(
        traceRequest(
          "svc",
          Array.from(
            { length: n },
            (_, i) => protoSpan(prefix.repeat(32), (i + 1).toString(16).padStart(16, "0")),
          ),
        ),
      );
    const send = (tenant: string, body: Uint8Array<ArrayBuffer>) =>
      fetch(`${t.otlpHttp}/v1/traces`, { method: "POST", headers: { ...PB, "X-Scope-OrgID": tenant }, body });
    const first = await send("noisy", spans(30, "a"));
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const limited = await send("noisy", spans(30, "b"));
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    const st = decodeStatus(new Uint8Array(await limited.arrayBuffer()));
    assert.equal(st.code, 8);
    const grpc = await grpcExport(t.grpc, "traces", spans(30, "c"), {
      metadata: { "x-scope-orgid": "noisy" },
    });
    assert.equal(grpc.code, 8);
    const quiet = await send("quiet", spans(30, "d"));
    assert.equal(quiet.status, 200);
    await quiet.body?.cancel();
    assert.equal((await t.argus.store.forTenant("noisy").getSpans("b".repeat(32))).length, 0);
    assert.equal((await t.argus.store.forTenant("quiet").getSpans("d".repeat(32))).length, 30);
  } finally {
    await t.stop();
  }
});

Deno.test("slow bodies get 408; WebSocket clients are capped", async () => {
  const t = await startTestArgus({ REQUEST_TIMEOUT: "1s", WS_MAX_CLIENTS: "1" });
  try {
    const trickle = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([0x0a])); // one byte, then nothing
      },
    });
    const started = Date.now();
    const r = await fetch(`${t.otlpHttp}/v1/traces`, { method: "POST", headers: PB, body: trickle });
    assert.equal(r.status, 408);
    await r.body?.cancel();
    assert.ok(Date.now() - started < 5000);

    const first = new WebSocket(`${t.http.replace("http", "ws")}/ws`);
    await new Promise((resolve) => first.onopen = resolve);
    const second = await fetch(`${t.http}/ws`, {
      headers: {
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });
    assert.equal(second.status, 503);
    await second.body?.cancel();
    first.close();
  } finally {
    await t.stop();
  }
});

Deno.test("keys never appear in logs, metrics or errors", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "argus_keys_" });
  const server = await startServerProcess(cwd, { AUTH_API_KEYS, LOG_LEVEL: "DEBUG" });
  try {
    const wrong = "wrong-secret-key-1234";
    const bodies: string[] = [];
    for (
      const headers of [bearer(wrong), { "X-API-Key": KEYS.readA }, bearer(KEYS.ingestA), bearer(KEYS.adminA)]
    ) {
      for (const path of ["/api/traces", "/api/admin/dlq", "/metrics", "/api/nope"]) {
        bodies.push(await (await fetch(`${server.baseUrl}${path}`, { headers })).text());
      }
      const otlp = await fetch(`${server.baseUrl}/v1/traces`, {
        method: "POST",
        headers: { ...PB, ...headers },
        body: new Uint8Array([1, 2, 3]),
      });
      bodies.push(await otlp.text());
    }
    const everything = bodies.join("\n") + server.stderr();
    for (const key of [...Object.values(KEYS), wrong]) assert.ok(!everything.includes(key), key);
    assert.ok(bodies.some((b) => b.includes("argus_ingestion_rate")), "metrics were read with a key");
  } finally {
    await server.stop();
    await Deno.remove(cwd, { recursive: true });
  }
});
