/**
 * `deno task simulate`: a shop of seven services (auth, user, order, payment,
 * inventory, shipping, notification) calling each other, sending correlated
 * traces and logs to Argus through the official OpenTelemetry JS exporters.
 *
 * ```sh
 * deno task simulate                                   # gRPC to localhost:4317, 5 requests/s, until Ctrl-C
 * deno task simulate --rate 50 --error-rate 0.1 --duration 2m
 * deno task simulate --protocol http/protobuf --endpoint http://argus.internal:4318
 * deno task simulate --header X-API-Key=ingest-key-0001 --header X-Scope-OrgID=acme
 * ```
 *
 * Exits 1 when any export failed, 2 on a bad option.
 *
 * @module
 */

import { parseDuration } from "../src/config.ts";
import { type Protocol, Shop } from "./simulator/emit.ts";
import { generateRequest } from "./simulator/scenarios.ts";
import { seededRandom } from "./simulator/ops.ts";

/** Simulator settings. */
export interface SimulateOptions {
  /** User requests (traces) per second. */
  rate: number;
  /** Share of requests that fail, 0..1. */
  errorRate: number;
  /** How long to run; Infinity runs until interrupted. */
  durationMs: number;
  protocol: Protocol;
  endpoint: string;
  headers: Record<string, string>;
  seed: number;
  /** Seconds between progress lines; 0 for none. */
  reportEverySec: number;
}

const USAGE = `Usage: deno task simulate [options]
  --rate N            requests (traces) per second (default 5)
  --error-rate R      share of requests that fail, 0..1 (default 0.05)
  --duration D        how long to run: 30s, 5m, 1h (default: until Ctrl-C)
  --protocol P        grpc (default), http/protobuf or http/json
  --endpoint URL      default http://localhost:4317 (gRPC) or http://localhost:4318 (HTTP)
  --header K=V        extra header / gRPC metadata, repeatable (X-API-Key, X-Scope-OrgID)
  --seed N            random seed, to repeat a run
  --quiet             no progress lines`;

/**
 * Parses the command line.
 *
 * @throws {TypeError} naming the option and what it accepts.
 */
export function parseSimulateArgs(args: readonly string[]): SimulateOptions {
  const o: SimulateOptions = {
    rate: 5,
    errorRate: 0.05,
    durationMs: Infinity,
    protocol: "grpc",
    endpoint: "",
    headers: {},
    seed: Math.floor(Math.random() * 2 ** 31),
    reportEverySec: 5,
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].includes("=") && args[i].startsWith("--")
      ? [args[i].slice(0, args[i].indexOf("=")), args[i].slice(args[i].indexOf("=") + 1)]
      : [args[i], undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new TypeError(`Missing value after ${flag}`);
      return args[++i];
    };
    const number = (name: string, min: number, max: number): number => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
        throw new TypeError(`Cannot use ${name} "${raw}": expected a number from ${min} to ${max}`);
      }
      return n;
    };
    switch (flag) {
      case "--rate":
        o.rate = number("--rate", 0.01, 100_000);
        break;
      case "--error-rate":
        o.errorRate = number("--error-rate", 0, 1);
        break;
      case "--duration": {
        const raw = value();
        const ms = parseDuration(raw);
        if (ms === undefined || ms <= 0) {
          throw new TypeError(`Cannot use --duration "${raw}": expected a duration such as 30s, 5m or 1h`);
        }
        o.durationMs = ms;
        break;
      }
      case "--protocol": {
        const raw = value();
        if (raw !== "grpc" && raw !== "http/protobuf" && raw !== "http/json") {
          throw new TypeError(`Cannot use --protocol "${raw}": expected grpc, http/protobuf or http/json`);
        }
        o.protocol = raw;
        break;
      }
      case "--endpoint": {
        const raw = value();
        try {
          const u = new URL(raw);
          if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
        } catch {
          throw new TypeError(`Cannot use --endpoint "${raw}": expected a URL such as http://localhost:4317`);
        }
        o.endpoint = raw.replace(/\/+$/, "");
        break;
      }
      case "--header": {
        const raw = value();
        const eq = raw.indexOf("=");
        if (eq <= 0) throw new TypeError(`Cannot use --header "${raw}": expected NAME=VALUE`);
        o.headers[raw.slice(0, eq).trim()] = raw.slice(eq + 1).trim();
        break;
      }
      case "--seed":
        o.seed = number("--seed", 0, 2 ** 31);
        break;
      case "--quiet":
        o.reportEverySec = 0;
        break;
      default:
        throw new TypeError(`Unknown option "${args[i]}"\n${USAGE}`);
    }
  }
  o.endpoint ||= o.protocol === "grpc" ? "http://localhost:4317" : "http://localhost:4318";
  return o;
}

/** What a run sent. */
export interface SimulateSummary {
  traces: number;
  errorTraces: number;
  spans: number;
  logs: number;
  spansExported: number;
  spansFailed: number;
  logsExported: number;
  logsFailed: number;
  lastError?: string;
}

/** Runs the shop until `durationMs` has passed or `signal` aborts, then flushes. */
export async function simulate(o: SimulateOptions, signal?: AbortSignal): Promise<SimulateSummary> {
  const shop = new Shop({ protocol: o.protocol, endpoint: o.endpoint, headers: o.headers });
  const random = seededRandom(o.seed);
  const s: SimulateSummary = {
    traces: 0,
    errorTraces: 0,
    spans: 0,
    logs: 0,
    spansExported: 0,
    spansFailed: 0,
    logsExported: 0,
    logsFailed: 0,
  };
  const started = performance.now();
  let nextReport = o.reportEverySec * 1000;
  const report = (elapsedMs: number) =>
    console.error(
      `simulate: ${
        (elapsedMs / 1000).toFixed(0)
      } s: ${s.traces} traces (${s.errorTraces} failed), ${s.spans} spans, ` +
        `${s.logs} logs; exported ${shop.counts.spansExported} spans and ${shop.counts.logsExported} logs` +
        (shop.counts.spansFailed + shop.counts.logsFailed > 0
          ? `, FAILED ${shop.counts.spansFailed} spans and ${shop.counts.logsFailed} logs (${shop.counts.lastError})`
          : ""),
    );
  while (!signal?.aborted) {
    const elapsed = performance.now() - started;
    if (elapsed >= o.durationMs) break;
    // Catch up to the rate: requests due by now that were not made yet.
    const due = Math.floor((elapsed / 1000) * o.rate) + 1 - s.traces;
    for (let i = 0; i < due; i++) {
      const r = shop.emit(generateRequest(random, o.errorRate));
      s.traces++;
      s.spans += r.spans;
      s.logs += r.logs;
      if (r.error) s.errorTraces++;
    }
    if (o.reportEverySec > 0 && elapsed >= nextReport) {
      report(elapsed);
      nextReport += o.reportEverySec * 1000;
    }
    const wait = Math.min(100, (((s.traces) / o.rate) * 1000) - (performance.now() - started));
    await new Promise((r) => setTimeout(r, Math.max(1, wait)));
  }
  await shop.shutdown();
  Object.assign(s, shop.counts);
  if (o.reportEverySec > 0) report(performance.now() - started);
  return s;
}

let unhandledSeen = false;

if (import.meta.main) {
  let options: SimulateOptions;
  try {
    options = parseSimulateArgs(Deno.args);
  } catch (err) {
    console.error(`simulate: ${(err as Error).message}`);
    Deno.exit(2);
  }
  const stop = new AbortController();
  Deno.addSignalListener("SIGINT", () => stop.abort());
  // The HTTP exporters' transport rejects a promise nobody awaits when a
  // connection is refused; the export itself is reported failed and counted.
  globalThis.addEventListener("unhandledrejection", (e) => {
    if (!/ECONN|UNAVAILABLE|fetch|socket|timeout/i.test(String((e.reason as Error)?.message ?? e.reason))) {
      return;
    }
    e.preventDefault();
    if (!unhandledSeen) console.error(`simulate: export error: ${(e.reason as Error)?.message ?? e.reason}`);
    unhandledSeen = true;
  });
  console.error(
    `simulate: ${options.rate} requests/s, error rate ${options.errorRate}, ${options.protocol} to ${options.endpoint}` +
      `${
        Number.isFinite(options.durationMs) ? ` for ${options.durationMs / 1000} s` : " until Ctrl-C"
      }, seed ${options.seed}`,
  );
  const summary = await simulate(options, stop.signal);
  console.log(JSON.stringify(summary));
  Deno.exit(summary.spansFailed + summary.logsFailed > 0 ? 1 : 0);
}
