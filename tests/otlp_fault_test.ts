/**
 * Fault tests of SPEC §5: the database goes away during a stream of exports
 * (a TCP proxy in front of the real server cuts every connection), the DLQ
 * cannot be written, a DLQ file is corrupt. Nothing acknowledged may be lost and
 * nothing may be stored twice.
 */

import assert from "node:assert/strict";
import { loadConfig } from "../src/config.ts";
import { startArgus } from "../src/app.ts";
import { DeadLetterQueue } from "../src/ingest/dlq.ts";
import { type LiveDialect, mysqlLive, postgresLive, TEST_URLS } from "./support/databases.ts";
import { TcpProxy } from "./support/tcp_proxy.ts";
import {
  encodeLogs,
  encodeTraces,
  grpcExport,
  logsRequest,
  protoSpan,
  traceRequest,
} from "./support/otlp.ts";
import { startTestArgus } from "./support/argus.ts";
import { log, span, spanId, traceId } from "./support/fixtures.ts";

const PB = { "Content-Type": "application/x-protobuf" };

function traceBatch(n: number, size: number) {
  const trace = n.toString(16).padStart(32, "a");
  return encodeTraces(
    traceRequest(
      "fault-svc",
      Array.from(
        { length: size },
        (_, i) => protoSpan(trace, (i + 1).toString(16).padStart(16, "0"), `op ${i}`),
      ),
    ),
  );
}

async function rowCount(
  db: { driver: { query(t: string, p: unknown[]): Promise<Record<string, unknown>[]> } },
  table: string,
) {
  const [r] = await db.driver.query(`SELECT COUNT(*) AS n FROM ${table}`, []);
  return Number(r.n);
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting until ${what}`);
}

function proxied(dialect: LiveDialect, dsn: string, proxy: TcpProxy) {
  const u = new URL(dsn);
  u.port = String(proxy.port);
  void dialect;
  return u.toString();
}

for (const dialect of [postgresLive, mysqlLive]) {
  Deno.test(`database outage on ${dialect.name}: every acknowledged item is stored exactly once`, async () => {
    const fresh = await dialect.fresh();
    const serverPort = Number(
      new URL(dialect.name === "postgres" ? TEST_URLS.postgres : TEST_URLS.mysql).port,
    );
    const proxy = new TcpProxy(serverPort);
    const dir = await Deno.makeTempDir({ prefix: "argus_fault_" });
    const argus = await startArgus(loadConfig({
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      OTLP_HTTP_PORT: "0",
      BIND_ADDRESS: "127.0.0.1",
      LOG_LEVEL: "ERROR",
      DB_DRIVER: dialect.name,
      DB_DSN: proxied(dialect, fresh.dsn, proxy),
      DLQ_PATH: `${dir}/dlq`,
      DLQ_REPLAY_INTERVAL: "1s",
    }));
    const base = `http://127.0.0.1:${argus.otlpHttpPort}`;
    try {
      let ackSpans = 0;
      let ackLogs = 0;
      let sawDlqFiles = 0;
      for (let i = 0; i < 60; i++) {
        if (i === 15) proxy.cut();
        if (i === 45) proxy.restore();
        const t = await fetch(`${base}/v1/traces`, { method: "POST", headers: PB, body: traceBatch(i, 10) });
        await t.body?.cancel();
        if (t.status === 200) ackSpans += 10;
        const l = await fetch(`${base}/v1/logs`, {
          method: "POST",
          headers: PB,
          body: encodeLogs(logsRequest("fault-svc", 5)),
        });
        await l.body?.cancel();
        if (l.status === 200) ackLogs += 5;
        if (i === 44) sawDlqFiles = (await argus.dlq.size()).files;
      }
      // With the DLQ writable, an outage refuses nothing.
      assert.equal(ackSpans, 600);
      assert.equal(ackLogs, 300);
      assert.ok(sawDlqFiles > 0, "batches went to the dead-letter queue during the outage");
      await until("the dead-letter queue drains", async () => (await argus.dlq.size()).files === 0);
      await until(
        "every acknowledged row is in the database",
        async () => (await rowCount(fresh.db, "spans")) >= 600 && (await rowCount(fresh.db, "logs")) >= 300,
      );
      assert.equal(await rowCount(fresh.db, "spans"), 600);
      assert.equal(await rowCount(fresh.db, "logs"), 300);
      const [sum] = await fresh.db.driver.query("SELECT SUM(span_count) AS n, COUNT(*) AS t FROM traces", []);
      assert.equal(Number(sum.n), 600);
      assert.equal(Number(sum.t), 60);
      assert.equal(argus.dlq.quarantinedTotal, 0);
    } finally {
      await argus.close();
      proxy.close();
      await fresh.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("database down and dead-letter queue unwritable → 503 with Retry-After, gRPC UNAVAILABLE", async () => {
  const fresh = await postgresLive.fresh();
  const proxy = new TcpProxy(Number(new URL(TEST_URLS.postgres).port));
  const dir = await Deno.makeTempDir({ prefix: "argus_fault_" });
  const argus = await startArgus(loadConfig({
    HTTP_PORT: "0",
    GRPC_PORT: "0",
    OTLP_HTTP_PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    LOG_LEVEL: "ERROR",
    DB_DRIVER: "postgres",
    DB_DSN: proxied(postgresLive, fresh.dsn, proxy),
    DLQ_PATH: `${dir}/dlq`,
  }));
  try {
    proxy.cut();
    // The directory becomes a file: every write below it fails, even for root.
    await Deno.remove(`${dir}/dlq`, { recursive: true });
    await Deno.writeTextFile(`${dir}/dlq`, "not a directory");
    const res = await fetch(`http://127.0.0.1:${argus.otlpHttpPort}/v1/traces`, {
      method: "POST",
      headers: PB,
      body: traceBatch(1, 3),
    });
    assert.equal(res.status, 503);
    assert.ok(Number(res.headers.get("retry-after")) > 0);
    await res.body?.cancel();
    const r = await grpcExport(`127.0.0.1:${argus.grpcPort}`, "logs", encodeLogs(logsRequest("x", 2)));
    assert.equal(r.code, 14);
    proxy.restore();
    assert.equal(await rowCount(fresh.db, "spans"), 0);
  } finally {
    await argus.close();
    proxy.close();
    await fresh.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt DLQ file is set aside; the rest replays once, duplicates ignored", async () => {
  const dir = await Deno.makeTempDir({ prefix: "argus_dlq_" });
  try {
    const dlq = new DeadLetterQueue(`${dir}/dlq`);
    await dlq.init();
    await Deno.writeTextFile(
      `${dir}/dlq/batch_1000_000000.json`,
      '{"version":1,"tenant":"default","spans":[',
    );
    const batch = {
      tenant: "default",
      spans: [
        span({ trace_id: traceId(77), span_id: spanId(1) }),
        span({ trace_id: traceId(77), span_id: spanId(2), parent_span_id: spanId(1) }),
      ],
      logs: [log(7001), log(7002)],
    };
    await dlq.write(batch);
    await dlq.write(batch); // the same rows twice: as after a commit whose answer was lost
    await Deno.writeTextFile(
      `${dir}/dlq/batch_9999999999999999999_000009.json`,
      '{"version":1,"tenant":"../x","spans":[],"logs":[]}',
    );
    const t = await startTestArgus({ DLQ_PATH: `${dir}/dlq` });
    try {
      assert.equal((await t.argus.dlq.size()).files, 0);
      const failed = [...Deno.readDirSync(`${dir}/dlq/failed`)].map((e) => e.name).sort();
      assert.deepEqual(failed, ["batch_1000_000000.json", "batch_9999999999999999999_000009.json"]);
      const repo = t.argus.store.forTenant("default");
      // Replay goes through writeBatch: the rows name their resource, stored once, and read it back.
      const resource = batch.spans[0].resource_attributes;
      const spans = await repo.getSpans(traceId(77));
      assert.deepEqual(spans.map((s) => s.resource_attributes), [resource, resource]);
      assert.equal((await repo.getTrace(traceId(77)))?.span_count, 2);
      const page = await repo.listLogs({ startUs: 0, endUs: Number.MAX_SAFE_INTEGER, limit: 10, offset: 0 });
      assert.deepEqual(page.rows.map((l) => [l.id, l.resource_attributes]).sort(), [
        [7001, resource],
        [7002, resource],
      ]);
      const stored = await t.argus.store.db.driver.query("SELECT COUNT(*) AS n FROM resources", []);
      assert.equal(Number(stored[0].n), 1);
    } finally {
      await t.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
