/**
 * A small shop, sent over OTLP/HTTP: four services, seven traces (two
 * failing), logs of every severity, and the figures each page must show for it.
 *
 * @module
 */

import type { TestArgus } from "../support/argus.ts";
import { type LogSpec, sendLogs, sendSpans, spanIdOf, type SpanSpec, traceIdOf } from "./support.ts";

/** What the UI should show for the shop's data. */
export interface ShopExpectations {
  traces: number;
  spans: number;
  errorTraces: number;
  logs: number;
  errorLogs: number;
  services: string[];
  /** Service-map edges as `source->target`. */
  edges: string[];
  /** Trace ids per service that took part in them. */
  tracesOf: Record<string, string[]>;
  checkoutTraceId: string;
  checkoutSpanNames: string[];
  errorTraceIds: string[];
  logBodies: string[];
  errorLogBody: string;
}

/**
 * Sends the shop's traces and logs, timed a few minutes before now so that
 * the default range (last 15 minutes) holds them. Resolves once stored.
 */
export async function seedShop(argus: TestArgus, tag = 1): Promise<ShopExpectations> {
  const base = Date.now() - 5 * 60_000;
  const spans: SpanSpec[] = [];
  const tracesOf: Record<string, string[]> = { frontend: [], order: [], payment: [], inventory: [] };
  let sid = 0;
  const next = () => spanIdOf(tag * 1000 + sid++);

  // Four checkouts: frontend → order → inventory, all fine.
  for (let i = 0; i < 4; i++) {
    const traceId = traceIdOf(tag, 0x100 + i);
    const t = base + i * 20_000;
    const [root, call, order, reserve] = [next(), next(), next(), next()];
    spans.push(
      {
        traceId,
        spanId: root,
        name: "GET /checkout",
        service: "frontend",
        startMs: t,
        durationMs: 120 + i * 10,
        status: "OK",
        attributes: { "http.method": "GET", "http.route": "/checkout", "customer.tier": "gold" },
      },
      {
        traceId,
        spanId: call,
        parentSpanId: root,
        name: "call order",
        service: "frontend",
        kind: "CLIENT",
        startMs: t + 5,
        durationMs: 100,
      },
      {
        traceId,
        spanId: order,
        parentSpanId: call,
        name: "POST /order",
        service: "order",
        startMs: t + 10,
        durationMs: 90,
        attributes: { "order.items": 3 },
      },
      {
        traceId,
        spanId: reserve,
        parentSpanId: order,
        name: "reserve stock",
        service: "inventory",
        startMs: t + 20,
        durationMs: 40,
      },
    );
    tracesOf.frontend.push(traceId);
    tracesOf.order.push(traceId);
    tracesOf.inventory.push(traceId);
  }

  // Two payments that fail in the payment service.
  const errorTraceIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const traceId = traceIdOf(tag, 0x200 + i);
    const t = base + 90_000 + i * 20_000;
    const root = next();
    spans.push(
      {
        traceId,
        spanId: root,
        name: "POST /pay",
        service: "frontend",
        startMs: t,
        durationMs: 300,
        status: "ERROR",
        statusMessage: "payment failed",
      },
      {
        traceId,
        spanId: next(),
        parentSpanId: root,
        name: "charge card",
        service: "payment",
        startMs: t + 20,
        durationMs: 250,
        status: "ERROR",
        statusMessage: "card declined",
      },
    );
    errorTraceIds.push(traceId);
    tracesOf.frontend.push(traceId);
    tracesOf.payment.push(traceId);
  }

  // A stock check that starts in the inventory service.
  const stockTrace = traceIdOf(tag, 0x300);
  spans.push({
    traceId: stockTrace,
    spanId: next(),
    name: "GET /stock",
    service: "inventory",
    startMs: base + 150_000,
    durationMs: 15,
    status: "OK",
  });
  tracesOf.inventory.push(stockTrace);

  const errorLogBody = "payment failed: card declined for order 1002";
  const logs: LogSpec[] = [
    { service: "frontend", body: "checkout started for cart 77", severityNumber: 9, timeMs: base + 1 },
    { service: "order", body: "order 1001 accepted", severityNumber: 9, timeMs: base + 15 },
    { service: "inventory", body: "stock reserved: 3 items", severityNumber: 5, timeMs: base + 25 },
    { service: "inventory", body: "stock running low on sku-42", severityNumber: 13, timeMs: base + 150_001 },
    {
      service: "payment",
      body: errorLogBody,
      severityNumber: 17,
      severityText: "ERROR",
      timeMs: base + 90_030,
      traceId: errorTraceIds[0],
      spanId: spans.find((s) => s.traceId === errorTraceIds[0] && s.service === "payment")!.spanId,
    },
    {
      service: "payment",
      body: "payment failed: card declined for order 1003",
      severityNumber: 17,
      timeMs: base + 110_030,
    },
  ];

  await sendSpans(argus, spans);
  await sendLogs(argus, logs);

  const checkoutTraceId = traceIdOf(tag, 0x100);
  return {
    traces: 7,
    spans: spans.length,
    errorTraces: 2,
    logs: logs.length,
    errorLogs: 2,
    services: ["frontend", "inventory", "order", "payment"],
    edges: ["frontend->order", "frontend->payment", "order->inventory"],
    tracesOf,
    checkoutTraceId,
    checkoutSpanNames: spans.filter((s) => s.traceId === checkoutTraceId).map((s) => s.name),
    errorTraceIds,
    logBodies: logs.map((l) => l.body),
    errorLogBody,
  };
}
