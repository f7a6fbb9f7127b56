/**
 * Export → `/ws` visibility: a WebSocket client subscribed to one service sees
 * log records that are exported one at a time over OTLP/HTTP, each with a
 * unique marker; the latency is from the start of the export request to the
 * arrival of the record on the socket (the hub flushes every 500 ms or every
 * 100 logs, so about 0.25 s is expected at idle).
 *
 * @module
 */

import { percentile } from "./stats.ts";

/** Latency figures of a probe run. */
export interface WsProbeResult {
  sent: number;
  received: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

const PROBE_SERVICE = "bench-ws-probe";

/** Sends `count` probe logs `intervalMs` apart and measures their arrival on `/ws`. */
export async function probeWs(httpPort: number, count: number, intervalMs: number): Promise<WsProbeResult> {
  const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/ws?service=${PROBE_SERVICE}`);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = (e) => reject(new Error(`cannot open /ws: ${(e as ErrorEvent).message}`));
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  ws.onmessage = (e) => {
    const msg = JSON.parse(String(e.data));
    if (!Array.isArray(msg)) return;
    const now = performance.now();
    for (const log of msg) {
      const t = sentAt.get(log.body);
      if (t !== undefined) {
        latencies.push(now - t);
        sentAt.delete(log.body);
      }
    }
  };
  const run = Math.random().toString(36).slice(2, 8);
  for (let i = 0; i < count; i++) {
    const marker = `ws probe ${run}-${i}`;
    const nowNs = `${Date.now()}000000`;
    sentAt.set(marker, performance.now());
    const res = await fetch(`http://127.0.0.1:${httpPort}/v1/logs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        resourceLogs: [{
          resource: { attributes: [{ key: "service.name", value: { stringValue: PROBE_SERVICE } }] },
          scopeLogs: [{
            logRecords: [{ timeUnixNano: nowNs, severityNumber: 9, body: { stringValue: marker } }],
          }],
        }],
      }),
    });
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const deadline = performance.now() + 5000;
  while (sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  ws.close();
  latencies.sort((a, b) => a - b);
  return {
    sent: count,
    received: latencies.length,
    p50Ms: Math.round(percentile(latencies, 0.5)),
    p95Ms: Math.round(percentile(latencies, 0.95)),
    maxMs: Math.round(latencies[latencies.length - 1] ?? 0),
  };
}
