/**
 * The benchmark's runs: an ingest run against a server process with a load
 * generator beside it, the in-process storage limit, query latency after a
 * bulk load, and `/ws` at idle. Each creates its own database and drops it;
 * `cleanups` holds what an interruption must stop.
 *
 * @module
 */

import { startServerProcess } from "../tests/support/process.ts";
import { type BenchDatabase, countRows, freshDatabase, spanStorageBytes } from "./db.ts";
import type { LoadResult } from "./loadgen.ts";
import { ProcessSampler } from "./proc.ts";
import { BATCH, bulkLoad, storageLimit, type WriteRate } from "./storage.ts";
import { measureQueries, type QueryLatency } from "./queries.ts";
import { probeWs, type WsProbeResult } from "./ws_probe.ts";
import { thousands } from "./stats.ts";
import type { BenchArgs } from "./bench.ts";

/** A progress line on stderr. */
export const log = (text: string) => console.error(`bench: ${text}`);

/** Servers, load generators and databases to clean up if the run is interrupted. */
export const cleanups = new Set<() => Promise<unknown>>();

/** Registers `undo` for an interruption; the returned function runs it once and unregisters it. */
function track(undo: () => Promise<unknown>): () => Promise<void> {
  cleanups.add(undo);
  return async () => {
    if (!cleanups.delete(undo)) return;
    await undo();
  };
}

const LOADGEN = new URL("./loadgen.ts", import.meta.url).pathname;

/** The server's own counters: rows stored, and time and count of write transactions. */
async function serverCounters(baseUrl: string, signal: "traces" | "logs") {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return {
    stored: num(new RegExp(`^argus_stored_items_total\\{signal="${signal}"\\} (\\d+)`, "m")),
    txSeconds: num(/^argus_db_latency_sum\{operation="transaction"\} ([\d.e+-]+)/m),
    txCount: num(/^argus_db_latency_count\{operation="transaction"\} (\d+)/m),
  };
}

async function startServer(b: BenchDatabase, env: Record<string, string> = {}) {
  return await startServerProcess(b.dir, {
    DB_DRIVER: b.driver,
    DB_DSN: b.dsn,
    RETENTION_DAYS: "0",
    __WAIT_FOR: "http,grpc,otlp_http",
    ...env,
  }, 120_000);
}

/** Figures of one ingest run. */
export interface IngestRun {
  signal: "traces" | "logs";
  protocol: "grpc" | "http";
  seconds: number;
  acceptedPerS: number;
  storedPerS: number;
  rowsInDatabase: number;
  refusedRequests: number;
  failedRequests: number;
  lastError?: string;
  requestP50Ms: number;
  requestP95Ms: number;
  /** Share of the wall time the writer spent inside write transactions (the writer's thread is the main thread). */
  writerBusyShare: number;
  rowsPerTransaction: number;
  serverCpuCores: number;
  serverRssMaxMiB: number;
  serverRssEndMiB: number;
  loadgenCpuCores: number;
}

export async function ingestRun(
  a: BenchArgs,
  signal: "traces" | "logs",
  protocol: "grpc" | "http",
  probe: boolean,
  env: Record<string, string> = {},
): Promise<{ run: IngestRun; ws?: WsProbeResult }> {
  const b = await freshDatabase(a.db);
  const dropDb = track(() => b.drop());
  let stopServer = async () => {};
  let killGen = async () => {};
  try {
    const server = await startServer(b, env);
    stopServer = track(() => server.stop());
    const target = `127.0.0.1:${protocol === "grpc" ? server.grpcPort : server.otlpHttpPort}`;
    const gen = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        LOADGEN,
        "--signal",
        signal,
        "--protocol",
        protocol,
        "--target",
        target,
        "--duration",
        String(a.durationS),
        "--concurrency",
        String(a.concurrency),
        "--ready",
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    killGen = track(async () => {
      try {
        gen.kill("SIGKILL");
      } catch { /* exited */ }
      await gen.status;
    });
    // Measure from the moment the generator starts sending.
    const reader = gen.stderr.pipeThrough(new TextDecoderStream()).getReader();
    for (let seen = ""; !seen.includes("ready");) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`load generator exited: ${seen}`);
      seen += value;
    }
    reader.releaseLock();
    gen.stderr.pipeTo(new WritableStream()).catch(() => {});
    const before = await serverCounters(server.baseUrl, signal);
    const t0 = performance.now();
    const serverSampler = new ProcessSampler(server.pid);
    const wsUnderLoad = probe
      ? probeWs(server.httpPort, Math.max(10, Math.floor(a.durationS * 2)), 400)
      : undefined;
    const stdout = new Response(gen.stdout).text();
    await gen.status;
    await killGen();
    const seconds = (performance.now() - t0) / 1000;
    const srv = serverSampler.stop();
    const after = await serverCounters(server.baseUrl, signal);
    const stored = after.stored - before.stored;
    const transactions = after.txCount - before.txCount;
    const ws = await wsUnderLoad;
    const load: LoadResult = JSON.parse((await stdout).trim().split("\n").pop() ?? "{}");
    const db = await b.open();
    const rowsInDatabase = await countRows(db, signal === "traces" ? "spans" : "logs");
    await db.driver.close();
    return {
      run: {
        signal,
        protocol,
        seconds: Number(seconds.toFixed(1)),
        acceptedPerS: Math.round(load.itemsOk / load.elapsedS),
        storedPerS: Math.round(stored / seconds),
        writerBusyShare: Number(((after.txSeconds - before.txSeconds) / seconds).toFixed(2)),
        rowsPerTransaction: transactions ? Math.round(stored / transactions) : 0,
        rowsInDatabase,
        refusedRequests: load.requestsRefused,
        failedRequests: load.requestsFailed,
        lastError: load.lastError,
        requestP50Ms: load.latencyP50Ms,
        requestP95Ms: load.latencyP95Ms,
        serverCpuCores: srv.cpuCores,
        serverRssMaxMiB: srv.rssMaxMiB,
        serverRssEndMiB: srv.rssEndMiB,
        loadgenCpuCores: load.cpuCores,
      },
      ws,
    };
  } finally {
    await killGen();
    await stopServer();
    await dropDb();
  }
}

export async function limitRun(
  a: BenchArgs,
  signal: "traces" | "logs",
  batch = BATCH,
): Promise<WriteRate & { bytesPerRow: number }> {
  const b = await freshDatabase(a.db);
  const dropDb = track(() => b.drop());
  const db = await b.open();
  try {
    const rate = await storageLimit(db, signal, a.durationS, Infinity, batch);
    const bytes = signal === "traces" ? await spanStorageBytes(b, db) : 0;
    return { ...rate, bytesPerRow: Math.round(bytes / rate.rows) };
  } finally {
    await db.driver.close();
    await dropDb();
  }
}

/** Query figures at one data size. */
export interface QueryRun {
  spans: number;
  logs: number;
  loadSeconds: number;
  loadSpansPerS: number;
  bytesPerSpan: number;
  latencies: QueryLatency[];
}

export async function queryRun(a: BenchArgs, spans: number): Promise<QueryRun> {
  const b = await freshDatabase(a.db);
  const dropDb = track(() => b.drop());
  try {
    const db = await b.open();
    let bytes = 0;
    const spread = 2 * 3600_000;
    log(`loading ${thousands(spans)} spans and ${thousands(spans / 4)} logs over 2 h of time`);
    const loaded = await bulkLoad(db, spans, Math.round(spans / 4), spread, async () => {
      bytes = await spanStorageBytes(b, db);
    }, (t) => log(`  ${t}`)).finally(() => db.driver.close());
    const server = await startServer(b);
    const stopServer = track(() => server.stop());
    try {
      const windows = [
        { name: "15 min", start: loaded.toMs - 15 * 60_000, end: loaded.toMs },
        { name: "2 h (all)", start: loaded.fromMs, end: loaded.toMs },
      ];
      const latencies = await measureQueries(server.baseUrl, loaded.traceIds, windows, 30, 20_000);
      return {
        spans,
        logs: loaded.logs,
        loadSeconds: Number(loaded.loadSeconds.toFixed(1)),
        loadSpansPerS: Math.round((spans + loaded.logs) / loaded.loadSeconds),
        bytesPerSpan: Math.round(bytes / spans),
        latencies,
      };
    } finally {
      await stopServer();
    }
  } finally {
    await dropDb();
  }
}

export async function wsIdle(a: BenchArgs): Promise<WsProbeResult> {
  const b = await freshDatabase(a.db);
  const dropDb = track(() => b.drop());
  try {
    const server = await startServer(b);
    const stopServer = track(() => server.stop());
    try {
      return await probeWs(server.httpPort, 40, 150);
    } finally {
      await stopServer();
    }
  } finally {
    await dropDb();
  }
}
