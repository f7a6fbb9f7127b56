/**
 * Graceful shutdown of the real process (SPEC §2), run with exactly the
 * compile task's permission flags: OTLP exports stream in over gRPC, OTLP/HTTP
 * and HTTP_PORT while SIGTERM arrives, followed at once by SIGINT. Every export
 * that was acknowledged (HTTP 200, gRPC OK) must be in the SQLite file or in a
 * dead-letter file afterwards, and the process must exit with code 0.
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { DatabaseSync } from "node:sqlite";
import * as grpc from "@grpc/grpc-js";
import { startServerProcess } from "./support/process.ts";
import { encodeLogs, encodeTraces, protoSpan, traceRequest } from "./support/otlp.ts";
import { spanId, traceId } from "./support/fixtures.ts";

const SPANS_PER_EXPORT = 40;
const LOGS_PER_EXPORT = 20;

function logsOf(tag: string) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "shutdown-svc" } }] },
      scopeLogs: [{
        logRecords: Array.from({ length: LOGS_PER_EXPORT }, (_, i) => ({
          timeUnixNano: (now + BigInt(i)).toString(),
          severityNumber: 9,
          body: { stringValue: `${tag}#${i}` },
        })),
      }],
    }],
  };
}

type Transport = "grpc" | "otlp_http" | "http";

/**
 * One long-lived channel per worker, as an SDK exporter keeps. (A new grpc-js
 * client per call, racing the server's exit, can leave the test process's
 * event loop spinning under Deno, so the test would hang rather than fail.)
 */
function grpcChannel(address: string) {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return {
    export(signal: "traces" | "logs", body: Uint8Array): Promise<boolean> {
      const path = signal === "traces"
        ? "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
        : "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
      return new Promise((resolve) => {
        client.makeUnaryRequest(
          path,
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(body),
          new grpc.Metadata(),
          { deadline: Date.now() + 20_000 },
          (err) => resolve(!err),
        );
      });
    },
    close: () => client.close(),
  };
}

/** What the clients were told. */
interface Acked {
  traces: Set<string>;
  logTags: Set<string>;
  refused: number;
}

/** Sends trace and log exports back to back until refused after the signal; records what was acknowledged. */
async function stream(
  transport: Transport,
  worker: number,
  target: string,
  acked: Acked,
  stop: { signalled: boolean; abandon: boolean },
): Promise<void> {
  const channel = transport === "grpc" ? grpcChannel(target) : undefined;
  const send = async (signal: "traces" | "logs", body: Uint8Array): Promise<boolean> => {
    if (channel) return await channel.export(signal, body);
    try {
      const res = await fetch(`${target}/v1/${signal}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-protobuf" },
        body: body as BodyInit,
      });
      await res.body?.cancel();
      return res.status === 200;
    } catch {
      return false; // connection refused or reset: the listener is gone
    }
  };
  try {
    for (let i = 0; !stop.abandon; i++) {
      const trace = traceId(worker * 1_000_000 + i);
      const spans = Array.from(
        { length: SPANS_PER_EXPORT },
        (_, s) => protoSpan(trace, spanId(s + 1), `op ${s}`),
      );
      const tag = `w${worker}-${i}`;
      const [tracesOk, logsOk] = await Promise.all([
        send("traces", encodeTraces(traceRequest("shutdown-svc", spans))),
        send("logs", encodeLogs(logsOf(tag))),
      ]);
      if (tracesOk) acked.traces.add(trace);
      if (logsOk) acked.logTags.add(tag);
      if (!tracesOk || !logsOk) {
        acked.refused++;
        if (stop.signalled) return;
      }
    }
  } finally {
    channel?.close();
  }
}

Deno.test("SIGTERM mid-stream, then SIGINT: every acknowledged export is stored, exit code 0", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "argus_shutdown_" });
  try {
    const server = await startServerProcess(cwd, { __WAIT_FOR: "http,grpc,otlp_http" });
    const acked: Acked = { traces: new Set(), logTags: new Set(), refused: 0 };
    const stop = { signalled: false, abandon: false };
    const targets: [Transport, string][] = [
      ["grpc", `127.0.0.1:${server.grpcPort}`],
      ["grpc", `127.0.0.1:${server.grpcPort}`],
      ["otlp_http", `http://127.0.0.1:${server.otlpHttpPort}`],
      ["otlp_http", `http://127.0.0.1:${server.otlpHttpPort}`],
      ["http", server.baseUrl],
      ["http", server.baseUrl],
    ];
    const workers = targets.map(([transport, target], w) => stream(transport, w + 1, target, acked, stop));
    let code: number;
    try {
      // Mid-stream: after some exports are through, while others are on the wire.
      for (let waited = 0; acked.traces.size < 30 && waited < 30_000; waited += 20) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(acked.traces.size >= 30, `only ${acked.traces.size} exports went through before the signal`);
      stop.signalled = true;
      const exited = server.stop("SIGTERM");
      // A second signal during the shutdown must not cut the flush short.
      const second = server.stop("SIGINT");
      code = await exited;
      await second;
    } finally {
      stop.signalled = true;
      stop.abandon = true;
      await server.stop("SIGKILL");
      await Promise.all(workers);
    }

    assert.equal(code, 0, server.stderr());
    // The two signals may be taken in either order; one starts the shutdown, the other is ignored.
    const first = /msg="shutting down" signal=(SIGTERM|SIGINT)/.exec(server.stderr())?.[1];
    assert.ok(first, server.stderr());
    assert.match(
      server.stderr(),
      new RegExp(
        `already shutting down; signal ignored" signal=${first === "SIGTERM" ? "SIGINT" : "SIGTERM"}`,
      ),
    );
    assert.match(server.stderr(), /msg=stopped/);
    assert.ok(acked.refused > 0, "some exports were refused once shutdown began");

    // What the database holds…
    const db = new DatabaseSync(`${cwd}/data/argus.db`);
    const spanCounts = new Map<string, number>();
    for (const r of db.prepare("SELECT trace_id, COUNT(*) AS n FROM spans GROUP BY trace_id").all()) {
      spanCounts.set(String(r.trace_id), Number(r.n));
    }
    const bodies = new Set(db.prepare("SELECT body FROM logs").all().map((r) => String(r.body)));
    db.close();
    // …and what the dead-letter queue holds.
    for (const e of Deno.readDirSync(`${cwd}/data/dlq`)) {
      if (!e.isFile || !/^batch_.*\.json$/.test(e.name)) continue;
      const batch = JSON.parse(Deno.readTextFileSync(`${cwd}/data/dlq/${e.name}`));
      for (const s of batch.spans) spanCounts.set(s.trace_id, (spanCounts.get(s.trace_id) ?? 0) + 1);
      for (const l of batch.logs) bodies.add(l.body);
    }

    const missingTraces = [...acked.traces].filter((t) => spanCounts.get(t) !== SPANS_PER_EXPORT);
    assert.deepEqual(missingTraces, [], "acknowledged trace exports not (fully) stored");
    const missingLogs = [...acked.logTags].filter((tag) =>
      !Array.from({ length: LOGS_PER_EXPORT }, (_, i) => `${tag}#${i}`).every((b) => bodies.has(b))
    );
    assert.deepEqual(missingLogs, [], "acknowledged log exports not (fully) stored");
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
