/**
 * The benchmark's verdicts and text tables: each target of the performance
 * issue with the measured value, and the figures as aligned columns.
 *
 * @module
 */

import type { IngestRun, QueryRun } from "./runs.ts";
import type { WriteRate } from "./storage.ts";
import type { WsProbeResult } from "./ws_probe.ts";
import { thousands } from "./stats.ts";

/** The targets, each with the measured value and whether it is met. */
export function judge(r: Record<string, unknown>): { target: string; value: string; met: boolean | null }[] {
  const out: { target: string; value: string; met: boolean | null }[] = [];
  const ingest = (r.ingest ?? []) as IngestRun[];
  const limits = (r.storageLimit ?? {}) as Record<string, { ratioOfGrpcIngest: number; bytesPerRow: number }>;
  const spans = ingest.find((x) => x.signal === "traces" && x.protocol === "grpc");
  const logs = ingest.find((x) => x.signal === "logs" && x.protocol === "grpc");
  if (spans) {
    out.push({
      target: "spans/s accepted over gRPC ≥ 60,000",
      value: thousands(spans.acceptedPerS),
      met: spans.acceptedPerS >= 60_000,
    });
  }
  if (limits.traces) {
    out.push({
      target: "server stores ≥ 0.8 of the storage limit (spans)",
      value: String(limits.traces.ratioOfGrpcIngest),
      met: limits.traces.ratioOfGrpcIngest >= 0.8,
    });
  }
  if (logs) {
    out.push({
      target: "logs/s accepted over gRPC ≥ 60,000",
      value: thousands(logs.acceptedPerS),
      met: logs.acceptedPerS >= 60_000,
    });
  }
  if (ingest.length) {
    const rss = Math.max(...ingest.map((x) => x.serverRssMaxMiB));
    out.push({ target: "server RSS ≤ 400 MB under load", value: `${rss} MiB`, met: rss * 1.048576 <= 400 });
  }
  const q = (r.queries ?? []) as QueryRun[];
  const bps = limits.traces?.bytesPerRow ?? q[0]?.bytesPerSpan;
  if (bps) out.push({ target: "≤ 400 bytes per span on disk", value: `${bps} B`, met: bps <= 400 });
  for (const run of q) {
    const size = `${run.spans / 1e6}M spans`;
    const byId = run.latencies.find((l) => l.query === "trace by id");
    if (byId) {
      out.push({
        target: `trace by id p95 < 10 ms (${size})`,
        value: `${byId.p95Ms} ms`,
        met: byId.p95Ms < 10,
      });
    }
    const worst = run.latencies.filter((l) => l.query !== "trace by id").sort((x, y) => y.p95Ms - x.p95Ms)[0];
    if (worst) {
      out.push({
        target: `search, dashboard, service map, logs p95 < 100 ms (${size}; the issue asks it at 10M)`,
        value: `worst ${worst.p95Ms} ms (${worst.query}, ${worst.window})`,
        met: worst.p95Ms < 100,
      });
    }
  }
  for (const [key, label] of [["wsIdle", "idle"], ["wsUnderLogLoad", "under the logs load"]] as const) {
    const w = r[key] as WsProbeResult | undefined;
    if (w) {
      out.push({
        target: `export → /ws p95 < 1 s (${label})`,
        value: `${w.p95Ms} ms (${w.received}/${w.sent} seen)`,
        met: w.received === w.sent && w.p95Ms < 1000,
      });
    }
  }
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ")).join("\n");
}

/** The results as text tables. */
export function report(r: Record<string, unknown>): string {
  const parts: string[] = [];
  const ingest = (r.ingest ?? []) as IngestRun[];
  if (ingest.length) {
    parts.push(table([
      [
        "ingest",
        "accepted/s",
        "stored/s",
        "in DB",
        "refused",
        "req p50/p95 ms",
        "in write tx",
        "rows/tx",
        "server CPU",
        "RSS max",
        "loadgen CPU",
      ],
      ...ingest.map((x) => [
        `${x.signal} ${x.protocol}`,
        thousands(x.acceptedPerS),
        thousands(x.storedPerS),
        thousands(x.rowsInDatabase),
        String(x.refusedRequests + x.failedRequests),
        `${x.requestP50Ms}/${x.requestP95Ms}`,
        `${Math.round(x.writerBusyShare * 100)}%`,
        thousands(x.rowsPerTransaction),
        `${x.serverCpuCores} cores`,
        `${x.serverRssMaxMiB} MiB`,
        `${x.loadgenCpuCores} cores`,
      ]),
    ]));
  }
  const limits = r.storageLimit as
    | Record<string, WriteRate & { ratioOfGrpcIngest: number; bytesPerRow: number }>
    | undefined;
  if (limits) {
    parts.push(table([
      ["storage limit (writeBatch, in-process)", "rows/s", "server/limit", "bytes/row"],
      ...Object.entries(limits).map((
        [k, v],
      ) => [
        k === "traces" || k === "logs" ? `${k}, 20,000 rows/tx` : k,
        thousands(v.rowsPerSecond),
        v.ratioOfGrpcIngest ? String(v.ratioOfGrpcIngest) : "-",
        k === "traces" ? String(v.bytesPerRow) : "-",
      ]),
    ]));
  }
  for (const q of (r.queries ?? []) as QueryRun[]) {
    parts.push(
      `queries at ${thousands(q.spans)} spans + ${thousands(q.logs)} logs (loaded in ${q.loadSeconds} s, ${
        thousands(q.loadSpansPerS)
      } rows/s; ${q.bytesPerSpan} B/span)\n` +
        table([
          ["query", "window", "p50 ms", "p95 ms", "n", "matched"],
          ...q.latencies.map((
            l,
          ) => [
            l.query,
            l.window,
            String(l.p50Ms),
            String(l.p95Ms),
            String(l.samples),
            thousands(l.matched),
          ]),
        ]),
    );
  }
  for (const [key, label] of [["wsIdle", "/ws idle"], ["wsUnderLogLoad", "/ws under logs load"]] as const) {
    const w = r[key] as WsProbeResult | undefined;
    if (w) {
      parts.push(
        `${label}: p50 ${w.p50Ms} ms, p95 ${w.p95Ms} ms, max ${w.maxMs} ms (${w.received}/${w.sent} seen)`,
      );
    }
  }
  const targets = r.targets as { target: string; value: string; met: boolean | null }[];
  parts.push(
    table([["target", "measured", "met"], ...targets.map((t) => [t.target, t.value, t.met ? "yes" : "NO"])]),
  );
  return parts.join("\n\n");
}
