/**
 * The benchmark's load generator, run as its own process so that its CPU is
 * not the server's: sends pre-encoded OTLP requests (512 items, fresh trace ids
 * each) as fast as the server takes them, over gRPC or OTLP/HTTP protobuf, with
 * a fixed number of requests in flight. Prints one JSON line of counts.
 *
 * Usage: `deno run -A bench/loadgen.ts --signal traces|logs --protocol grpc|http
 *   --target 127.0.0.1:4317 --duration 60 [--concurrency 8] [--seed 1] [--ready]`
 * (`--ready` prints "ready" on stderr when sending starts)
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { Buffer } from "node:buffer";
import process from "node:process";
import { logsTemplate, stamp, tracesTemplate } from "./payload.ts";
import { percentile } from "./stats.ts";

/** What one load-generator run did. */
export interface LoadResult {
  signal: string;
  protocol: string;
  elapsedS: number;
  requestsOk: number;
  itemsOk: number;
  requestsRefused: number;
  requestsFailed: number;
  lastError?: string;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** CPU the generator itself used, in cores (it shares the machine with the server). */
  cpuCores: number;
}

function arg(name: string, fallback?: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < Deno.args.length) return Deno.args[i + 1];
  if (fallback === undefined) throw new TypeError(`loadgen: missing --${name}`);
  return fallback;
}

type Send = (body: Uint8Array) => Promise<{ ok: boolean; refused: boolean; error?: string }>;

function grpcSender(target: string, signal: string): { send: Send; close(): void } {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": 64 * 1024 * 1024,
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
  });
  const path = signal === "traces"
    ? "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
    : "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
  const send: Send = (body) =>
    new Promise((resolve) => {
      client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        new grpc.Metadata(),
        { deadline: Date.now() + 60_000 },
        (err) => {
          if (!err) resolve({ ok: true, refused: false });
          else {
            resolve({
              ok: false,
              refused: err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.RESOURCE_EXHAUSTED,
              error: `${err.code} ${err.details}`,
            });
          }
        },
      );
    });
  return { send, close: () => client.close() };
}

function httpSender(target: string, signal: string): { send: Send; close(): void } {
  const url = `http://${target}/v1/${signal}`;
  const send: Send = async (body) => {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-protobuf" },
        body: body as Uint8Array<ArrayBuffer>,
      });
      await res.body?.cancel();
      if (res.ok) return { ok: true, refused: false };
      return { ok: false, refused: res.status === 503 || res.status === 429, error: `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, refused: false, error: (err as Error).message };
    }
  };
  return { send, close: () => {} };
}

/** Sends for `durationS` seconds with `concurrency` requests in flight. */
export async function generateLoad(options: {
  signal: "traces" | "logs";
  protocol: "grpc" | "http";
  target: string;
  durationS: number;
  concurrency: number;
  seed: number;
  /** Called just before the first request (the benchmark starts measuring then). */
  onStart?: () => void;
}): Promise<LoadResult> {
  const madeMs = Date.now();
  const template = options.signal === "traces"
    ? tracesTemplate(madeMs, options.seed)
    : logsTemplate(madeMs, options.seed);
  const sender = options.protocol === "grpc"
    ? grpcSender(options.target, options.signal)
    : httpSender(options.target, options.signal);
  const state = new Uint32Array([(options.seed * 2246822519) >>> 0 || 7]);
  const r: LoadResult = {
    signal: options.signal,
    protocol: options.protocol,
    elapsedS: 0,
    requestsOk: 0,
    itemsOk: 0,
    requestsRefused: 0,
    requestsFailed: 0,
    latencyP50Ms: 0,
    latencyP95Ms: 0,
    cpuCores: 0,
  };
  const latencies: number[] = [];
  options.onStart?.();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const end = started + options.durationS * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const body = stamp(template, state, BigInt(Date.now() - madeMs) * 1_000_000n);
      const t0 = performance.now();
      const res = await sender.send(body);
      if (res.ok) {
        latencies.push(performance.now() - t0);
        r.requestsOk++;
        r.itemsOk += template.items;
      } else if (res.refused) {
        // The server said it is full: back off briefly, as an SDK's retry would.
        r.requestsRefused++;
        r.lastError = res.error;
        await new Promise((ok) => setTimeout(ok, 50));
      } else {
        r.requestsFailed++;
        r.lastError = res.error;
        await new Promise((ok) => setTimeout(ok, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  r.elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  r.cpuCores = Number(((cpu.user + cpu.system) / 1e6 / r.elapsedS).toFixed(2));
  sender.close();
  latencies.sort((a, b) => a - b);
  r.latencyP50Ms = Number(percentile(latencies, 0.5).toFixed(1));
  r.latencyP95Ms = Number(percentile(latencies, 0.95).toFixed(1));
  return r;
}

if (import.meta.main) {
  const signal = arg("signal", "traces");
  const protocol = arg("protocol", "grpc");
  if (signal !== "traces" && signal !== "logs") throw new TypeError(`loadgen: --signal ${signal}`);
  if (protocol !== "grpc" && protocol !== "http") throw new TypeError(`loadgen: --protocol ${protocol}`);
  const result = await generateLoad({
    signal,
    protocol,
    target: arg("target"),
    durationS: Number(arg("duration", "60")),
    concurrency: Number(arg("concurrency", "8")),
    seed: Number(arg("seed", "1")),
    onStart: Deno.args.includes("--ready") ? () => console.error("ready") : undefined,
  });
  console.log(JSON.stringify(result));
  Deno.exit(0);
}
