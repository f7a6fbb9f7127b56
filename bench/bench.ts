/**
 * `deno task bench`: ingestion throughput, storage limit, bytes per span, query
 * latency and `/ws` visibility, printed as a table and written to
 * bench/results.json. The server runs as its own `deno run` process with the
 * executable's permission flags; load comes from another process
 * (bench/loadgen.ts); CPU and memory are read from /proc. See BENCHMARKS.md.
 *
 * ```sh
 * deno task bench                          # SQLite, 60 s per ingest run, queries at 1M spans
 * deno task bench --duration 15s           # shorter ingest runs
 * deno task bench --sizes 1m,10m           # also query at 10M spans (loading takes minutes)
 * deno task bench --db postgres            # or mysql: a fresh database on the local server, dropped after
 * deno task bench --only ingest,ws         # ingest, queries, ws
 * ```
 *
 * @module
 */

import { ModelServer } from "../tests/support/model_server.ts";
import { parseDuration } from "../src/config.ts";
import {
  cleanups,
  type IngestRun,
  ingestRun,
  limitRun,
  log,
  type QueryRun,
  queryRun,
  wsIdle,
} from "./runs.ts";
import { judge, report } from "./report.ts";
import type { WsProbeResult } from "./ws_probe.ts";
import { thousands } from "./stats.ts";

type Driver = "sqlite" | "postgres" | "mysql";
type Part = "ingest" | "queries" | "ws" | "ai";

/** Benchmark settings. */
export interface BenchArgs {
  durationS: number;
  db: Driver;
  sizes: number[];
  concurrency: number;
  only: Set<Part>;
  out: string;
}

/** Parses `--duration 60|60s|1m`, `--db`, `--sizes 1m,10m` (or `--spans`), `--concurrency`, `--only`, `--out`. */
export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const o: BenchArgs = {
    durationS: 60,
    db: "sqlite",
    sizes: [1_000_000],
    concurrency: 8,
    only: new Set(["ingest", "queries", "ws", "ai"]),
    out: "bench/results.json",
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].includes("=") ? args[i].split(/=(.*)/s) : [args[i], undefined];
    const value = () => inline ?? args[++i] ?? "";
    switch (flag) {
      case "--duration": {
        const raw = value();
        const ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : parseDuration(raw);
        if (!ms || ms < 1000) {
          throw new TypeError(`Cannot use --duration "${raw}": expected seconds or 30s, 2m`);
        }
        o.durationS = ms / 1000;
        break;
      }
      case "--db": {
        const raw = value();
        if (raw !== "sqlite" && raw !== "postgres" && raw !== "mysql") {
          throw new TypeError(`Cannot use --db "${raw}": expected sqlite, postgres or mysql`);
        }
        o.db = raw;
        break;
      }
      case "--sizes":
      case "--spans":
        o.sizes = value().split(",").map((s) => {
          const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
          if (!m) throw new TypeError(`Cannot use ${flag} "${s}": expected counts such as 100k, 1m, 10m`);
          return Math.round(
            Number(m[1]) * ({ "": 1, k: 1e3, m: 1e6 } as Record<string, number>)[m[2].toLowerCase()],
          );
        });
        break;
      case "--concurrency":
        o.concurrency = Math.max(1, Number(value()) || 8);
        break;
      case "--only":
        o.only = new Set(
          value().split(",").map((p) => {
            if (p !== "ingest" && p !== "queries" && p !== "ws" && p !== "ai") {
              throw new TypeError(`Cannot use --only "${p}": expected ingest, queries, ws, ai`);
            }
            return p;
          }),
        );
        break;
      case "--out":
        o.out = value();
        break;
      default:
        throw new TypeError(`Unknown option "${args[i]}"`);
    }
  }
  return o;
}

async function machine() {
  const git = (args: string[]) =>
    new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output()
      .then((o) => new TextDecoder().decode(o.stdout).trim()).catch(() => "");
  const cpuModel = /model name\s*:\s*(.+)/.exec(await Deno.readTextFile("/proc/cpuinfo").catch(() => ""))
    ?.[1];
  return {
    commit: await git(["rev-parse", "--short", "HEAD"]),
    uncommittedChanges: (await git(["status", "--porcelain"])) !== "",
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    cpus: navigator.hardwareConcurrency,
    cpuModel,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    loadAverageAtStart: (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).map(Number),
  };
}

/** Runs everything asked for and returns the results object. */
export async function runBench(a: BenchArgs): Promise<Record<string, unknown>> {
  const meta = { ...await machine(), db: a.db, durationS: a.durationS, concurrency: a.concurrency };
  log(
    `${a.db}, ${a.durationS} s per ingest run, commit ${meta.commit}${
      meta.uncommittedChanges ? "+changes" : ""
    }, load ${meta.loadAverageAtStart.join(" ")}`,
  );
  const results: Record<string, unknown> = { meta };
  if (a.only.has("ingest")) {
    const runs: IngestRun[] = [];
    let wsUnderLoad: WsProbeResult | undefined;
    for (
      const [signal, protocol] of [["traces", "grpc"], ["logs", "grpc"], ["traces", "http"], [
        "logs",
        "http",
      ]] as const
    ) {
      log(`ingest ${signal} over ${protocol} for ${a.durationS} s`);
      const r = await ingestRun(
        a,
        signal,
        protocol,
        a.only.has("ws") && signal === "logs" && protocol === "grpc",
      );
      runs.push(r.run);
      wsUnderLoad ??= r.ws;
      log(
        `  accepted ${thousands(r.run.acceptedPerS)}/s, stored ${
          thousands(r.run.storedPerS)
        }/s, server ${r.run.serverCpuCores} cores, RSS max ${r.run.serverRssMaxMiB} MiB`,
      );
    }
    results.ingest = runs;
    const limits: Record<string, unknown> = {};
    for (const signal of ["traces", "logs"] as const) {
      log(`storage limit for ${signal}: Repository.writeBatch in batches of 20,000, in-process`);
      const l = await limitRun(a, signal);
      const served = runs.find((r) => r.signal === signal && r.protocol === "grpc")!;
      limits[signal] = { ...l, ratioOfGrpcIngest: Number((served.storedPerS / l.rowsPerSecond).toFixed(2)) };
      log(`  ${thousands(l.rowsPerSecond)} rows/s${signal === "traces" ? `, ${l.bytesPerRow} B/span` : ""}`);
    }
    // The same writes one request (512 rows) per transaction, as the server commits them
    // when the writer is never behind: what the transaction size alone costs.
    log("storage limit for traces at 512 rows per transaction");
    const small = await limitRun(a, "traces", 512);
    limits["traces, 512 rows/tx"] = { ...small, ratioOfGrpcIngest: 0 };
    log(`  ${thousands(small.rowsPerSecond)} rows/s`);
    results.storageLimit = limits;
    if (wsUnderLoad) results.wsUnderLogLoad = wsUnderLoad;
  }
  if (a.only.has("ai")) {
    // Issue 6: AI analysis must never slow ingestion. The same logs run (1 in 40 records is an
    // ERROR) with AI off, then on against a local chat-completions server answering in 300 ms.
    log(`ingest logs over grpc with AI off, then on, ${a.durationS} s each`);
    const off = (await ingestRun(a, "logs", "grpc", false)).run;
    const model = new ModelServer({ latencyMs: 300 });
    try {
      const on = (await ingestRun(a, "logs", "grpc", false, {
        AI_ENABLED: "true",
        AI_BASE_URL: `${model.url}/v1`,
        AI_MODEL: "bench",
      })).run;
      results.ai = {
        offAcceptedPerS: off.acceptedPerS,
        onAcceptedPerS: on.acceptedPerS,
        ratio: Number((on.acceptedPerS / off.acceptedPerS).toFixed(3)),
        modelCalls: model.seen.length,
      };
      log(
        `  AI off ${thousands(off.acceptedPerS)}/s, on ${thousands(on.acceptedPerS)}/s (ratio ${
          (on.acceptedPerS / off.acceptedPerS).toFixed(3)
        }), ${model.seen.length} model calls`,
      );
    } finally {
      await model.close();
    }
  }
  if (a.only.has("ws")) {
    log("export → /ws visibility at idle");
    results.wsIdle = await wsIdle(a);
  }
  if (a.only.has("queries")) {
    const q: QueryRun[] = [];
    for (const size of a.sizes) q.push(await queryRun(a, size));
    results.queries = q;
  }
  (meta as Record<string, unknown>).loadAverageAtEnd = (await Deno.readTextFile("/proc/loadavg")).split(" ")
    .slice(0, 3)
    .map(Number);
  results.targets = judge(results);
  return results;
}

if (import.meta.main) {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(Deno.args);
  } catch (err) {
    console.error(`bench: ${(err as Error).message}`);
    Deno.exit(2);
  }
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      interrupted = true;
      log(`interrupted (${signal}): stopping servers and dropping databases`);
      for (const undo of [...cleanups].reverse()) await undo().catch(() => {});
      Deno.exit(130);
    });
  }
  const results = await runBench(args).catch((err) => {
    // Work cut short by the interruption fails; the signal handler exits.
    if (interrupted) return new Promise<never>(() => {});
    throw err;
  });
  console.log(report(results));
  await Deno.writeTextFile(args.out, JSON.stringify(results, null, 2) + "\n");
  log(`wrote ${args.out}`);
}
