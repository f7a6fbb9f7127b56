/**
 * `/metrics` and `/api/health` of a running Argus after real OTLP traffic: the
 * counters match what was sent, the database histogram has observations, the
 * DLQ gauge follows the directory, and nothing a client sends (service names,
 * tenant ids) turns up as a label value.
 */

import assert from "node:assert/strict";
import { startTestArgus } from "./support/argus.ts";
import {
  encodeLogs,
  encodeTraces,
  grpcExport,
  logsRequest,
  protoSpan,
  traceRequest,
} from "./support/otlp.ts";
import { postgresLive, TEST_URLS } from "./support/databases.ts";
import { TcpProxy } from "./support/tcp_proxy.ts";
import { span, spanId, traceId } from "./support/fixtures.ts";
import { VERSION } from "../src/version.ts";
import { loadConfig } from "../src/config.ts";
import { startArgus } from "../src/app.ts";

const PB = { "Content-Type": "application/x-protobuf" };

/** Every sample of the exposition: series (name and labels as written) → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function spans(trace: number, n: number) {
  return Array.from({ length: n }, (_, i) => protoSpan(traceId(trace), spanId(i + 1), `op ${i}`));
}

async function post(url: string, body: Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", headers: { ...PB, ...headers }, body: body as BodyInit });
  await res.body?.cancel();
  assert.equal(res.status, 200);
}

Deno.test("/metrics after OTLP ingest: counts per signal, DB histogram, DLQ gauge, no request values in labels", async () => {
  const t = await startTestArgus();
  try {
    const weird = { service: 'qqweird-service-"{}=,\\n', tenant: "qqweird-tenant.x_1" };
    await post(`${t.otlpHttp}/v1/traces`, encodeTraces(traceRequest("checkout", spans(1, 3))));
    await post(`${t.http}/v1/traces`, encodeTraces(traceRequest(weird.service, spans(2, 4))), {
      "X-Scope-OrgID": weird.tenant,
    });
    const g = await grpcExport(
      t.grpc,
      "traces",
      encodeTraces(traceRequest("checkout", spans(3, 5))),
      { metadata: { "x-scope-orgid": weird.tenant } },
    );
    assert.equal(g.code, 0);
    await post(`${t.otlpHttp}/v1/logs`, encodeLogs(logsRequest(weird.service, 6)));
    await t.argus.dlq.write({ tenant: weird.tenant, spans: [span({ trace_id: traceId(9) })], logs: [] });

    const res = await fetch(`${t.http}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const m = samples(text);

    assert.equal(m.get('argus_ingestion_rate{signal="traces"}'), 12);
    assert.equal(m.get('argus_ingestion_rate{signal="logs"}'), 6);
    assert.match(text, /# TYPE argus_ingestion_rate counter/);
    assert.equal(m.get('argus_ingest_items_total{signal="traces",outcome="accepted"}'), 12);
    assert.equal(m.get('argus_stored_items_total{signal="traces"}'), 12);
    assert.equal(m.get('argus_stored_items_total{signal="logs"}'), 6);
    assert.equal(m.get('argus_otlp_requests_total{signal="traces"}'), 3);

    // Four export transactions at least (three trace requests, one logs request), each observed.
    assert.match(text, /# TYPE argus_db_latency histogram/);
    const txCount = m.get('argus_db_latency_count{operation="transaction"}') ?? 0;
    assert.ok(txCount >= 4, `transactions observed: ${txCount}`);
    assert.equal(m.get('argus_db_latency_bucket{le="+Inf",operation="transaction"}'), txCount);
    assert.ok((m.get('argus_db_latency_sum{operation="transaction"}') ?? 0) > 0);

    assert.equal(m.get("argus_dlq_size"), 1);
    assert.ok((m.get("argus_dlq_bytes") ?? 0) > 100);
    assert.equal(m.get("argus_active_connections"), 0);
    assert.equal(m.get(`argus_build_info{version="${VERSION}"}`), 1);
    assert.ok((m.get("process_resident_memory_bytes") ?? 0) > 0);

    assert.ok(!text.includes("qqweird"), "a service name or tenant from a request appears in /metrics");
    assert.ok(!text.includes("checkout"), "a service name from a request appears in /metrics");
  } finally {
    await t.stop();
  }
});

Deno.test("/api/health: the fields of SPEC §6 with their types; ingestion_rate rises right after ingest", async () => {
  const t = await startTestArgus();
  try {
    const before = await (await fetch(`${t.http}/api/health`)).json();
    assert.deepEqual(Object.keys(before).sort(), [
      "active_connections",
      "ai",
      "db",
      "db_latency_p99_ms",
      "dlq_size",
      "ingestion_rate",
      "status",
      "uptime_s",
      "version",
    ]);
    assert.equal(before.status, "ok");
    assert.equal(before.version, VERSION);
    assert.ok(Number.isInteger(before.uptime_s) && before.uptime_s >= 0);
    assert.equal(before.ingestion_rate, 0);
    assert.equal(before.dlq_size, 0);
    assert.equal(before.active_connections, 0);
    assert.equal(typeof before.db_latency_p99_ms, "number");
    assert.deepEqual(before.db, { driver: "sqlite", ok: true });
    assert.deepEqual(before.ai, { enabled: false, queue_depth: 0, dropped: 0 });

    await post(`${t.otlpHttp}/v1/traces`, encodeTraces(traceRequest("svc", spans(1, 10))));
    await post(`${t.otlpHttp}/v1/logs`, encodeLogs(logsRequest("svc", 5)));
    const ws = new WebSocket(`${t.http.replace("http", "ws")}/ws/health`);
    const pushed = new Promise<Record<string, unknown>>((resolve) => {
      ws.onmessage = (e) => resolve(JSON.parse(String(e.data)));
    });
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    try {
      const after = await (await fetch(`${t.http}/api/health`)).json();
      assert.ok(after.ingestion_rate > 0, `ingestion_rate ${after.ingestion_rate}`);
      assert.ok(after.db_latency_p99_ms > 0);
      assert.equal(after.active_connections, 1);
      // The WebSocket pushes the same body.
      const message = await pushed;
      assert.equal(message.version, VERSION);
      assert.equal(typeof message.ingestion_rate, "number");
      const m = samples(await (await fetch(`${t.http}/metrics`)).text());
      assert.equal(m.get("argus_active_connections"), 1);
      assert.equal(m.get('argus_ws_clients{stream="health"}'), 1);
    } finally {
      const closed = new Promise((resolve) => ws.onclose = resolve);
      ws.close();
      await closed;
    }
  } finally {
    await t.stop();
  }
});

Deno.test("/api/health turns degraded while the database is unreachable, and ok again after", async () => {
  const fresh = await postgresLive.fresh();
  const proxy = new TcpProxy(Number(new URL(TEST_URLS.postgres).port));
  const dir = await Deno.makeTempDir({ prefix: "argus_health_" });
  const dsn = new URL(fresh.dsn);
  dsn.port = String(proxy.port);
  const argus = await startArgus(loadConfig({
    HTTP_PORT: "0",
    GRPC_PORT: "0",
    OTLP_HTTP_PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    LOG_LEVEL: "ERROR",
    DB_DRIVER: "postgres",
    DB_DSN: dsn.toString(),
    DLQ_PATH: `${dir}/dlq`,
  }));
  const health = async () => await (await fetch(`http://127.0.0.1:${argus.httpPort}/api/health`)).json();
  try {
    assert.equal((await health()).status, "ok");
    proxy.cut();
    const t0 = performance.now();
    const down = await health();
    assert.equal(down.status, "degraded");
    assert.deepEqual(down.db, { driver: "postgres", ok: false });
    assert.ok(performance.now() - t0 < 5000, "health answers within its ping timeout");
    proxy.restore();
    let up = await health();
    for (let i = 0; i < 50 && up.status !== "ok"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await health();
    }
    assert.equal(up.status, "ok");
  } finally {
    await argus.close();
    proxy.close();
    await fresh.close();
    await Deno.remove(dir, { recursive: true });
  }
});
