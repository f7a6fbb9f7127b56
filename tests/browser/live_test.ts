/**
 * Live data without a reload: with live mode on, the dashboard's figures follow
 * what the official OpenTelemetry exporters send (over `/ws/events`), and the
 * log tail shows a new record (over `/ws`), held back while paused.
 */

import assert from "node:assert/strict";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import type { Page, Request } from "playwright-core";
import { seedShop, type ShopExpectations } from "./shop_data.ts";
import { type BrowserRig, openPage, screenshot, startRig, statValue, waitForCount } from "./support.ts";

/** `n` traces of a root and one child each, recorded by the SDK; the last one fails. */
function recordTraces(service: string, n: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("live.test");
  for (let i = 0; i < n; i++) {
    const root = tracer.startSpan("GET /live", { kind: SpanKind.SERVER });
    const child = tracer.startSpan(
      "SELECT items",
      { kind: SpanKind.CLIENT },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    if (i === n - 1) child.setStatus({ code: SpanStatusCode.ERROR, message: "timeout" });
    child.end();
    root.end();
  }
  return memory.getFinishedSpans();
}

function recordLog(service: string, body: string): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  provider.getLogger("live.test").emit({ severityNumber: SeverityNumber.WARN, severityText: "WARN", body });
  return memory.getFinishedLogRecords();
}

/** Exports through an official exporter and resolves once Argus acknowledged. */
async function exportWith<T>(
  exporter: {
    export(items: T[], cb: (r: { code: number; error?: Error }) => void): void;
    shutdown(): Promise<void>;
  },
  items: T[],
): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) =>
      exporter.export(items, (r) => r.code === 0 ? resolve() : reject(r.error ?? new Error(`code ${r.code}`)))
    );
  } finally {
    await exporter.shutdown();
  }
}

/** Records the page's requests to paths starting with `prefix`. */
function requestsTo(page: Page, prefix: string): string[] {
  const seen: string[] = [];
  page.on("request", (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith(prefix)) seen.push(url.pathname + url.search);
  });
  return seen;
}

/** Waits until the stat card shows `want`; fails with what it showed. */
async function statBecomes(page: Page, key: string, want: string, timeout: number): Promise<void> {
  const value = page.locator(`[data-stat="${key}"] [data-testid="stat-value"]`);
  await value.filter({ hasText: new RegExp(`^${want}$`) }).waitFor({ timeout }).catch(async (err) => {
    throw new Error(`stat ${key}: expected ${want}, shows ${await value.innerText()}`, { cause: err });
  });
}

Deno.test("browser: live mode and the log tail update without a reload", async (t) => {
  const rig: BrowserRig = await startRig();
  try {
    const shop: ShopExpectations = await seedShop(rig.argus);
    const http = rig.argus.http;

    await t.step("dashboard: Live on, new traces arrive over /ws/events", async () => {
      const w = await openPage(rig.browser);
      try {
        const { page } = w;
        await page.goto(`${http}/`);
        assert.equal(await statValue(page, "total_traces"), String(shop.traces));
        await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));

        await page.getByRole("switch", { name: "Live" }).click();
        assert.ok(await page.getByRole("switch", { name: "Live" }).isChecked());
        await page.getByTestId("live-updated").filter({ hasText: /updated \d+s ago/ }).waitFor();
        const restCalls = requestsTo(page, "/api/metrics/dashboard");

        await exportWith(
          new OTLPTraceExporter({ url: `${rig.argus.otlpHttp}/v1/traces` }),
          recordTraces("live-svc", 3),
        );
        // Snapshots are throttled to one per 5 s per filter (SPEC §7).
        await statBecomes(page, "total_traces", String(shop.traces + 3), 30_000);
        assert.equal(await statValue(page, "total_spans"), String(shop.spans + 6));
        assert.equal(await statValue(page, "active_services"), String(shop.services.length + 1));
        assert.match(await page.locator('[data-stat="error_rate"]').innerText(), /3 failed traces/);
        assert.equal(
          await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument),
          true,
          "the page was not reloaded",
        );
        assert.deepEqual(restCalls, [], "figures came over the socket, not from REST");
        assert.match(await page.getByTestId("time-range").innerText(), /live/i);
        await screenshot(page, "live-dashboard");

        // Off again: REST takes over under its own keys and shows the same figures.
        await page.getByRole("switch", { name: "Live" }).click();
        await page.getByTestId("live-updated").filter({ hasText: /updated/ }).waitFor();
        await statBecomes(page, "total_traces", String(shop.traces + 3), 30_000);
        assert.deepEqual(w.errors, []);
      } finally {
        await w.close();
      }
    });

    await t.step("logs: the tail shows a new record over /ws, and holds it while paused", async () => {
      const w = await openPage(rig.browser);
      try {
        const { page } = w;
        await page.goto(`${http}/logs`);
        const rows = '[data-testid="log-row"]';
        await waitForCount(page, rows, shop.logs);

        await page.getByTestId("tail-start").click();
        await page.getByTestId("tail-status").filter({ hasText: "tailing" }).waitFor();
        const restCalls = requestsTo(page, "/api/logs");

        const body = `tail check ${crypto.randomUUID()}`;
        await exportWith(new OTLPLogExporter({ url: `${http}/v1/logs` }), recordLog("tail-svc", body));
        await page.locator('[data-testid="log-body"]', { hasText: body }).waitFor();
        await waitForCount(page, rows, shop.logs + 1);
        // Newest first: the tailed record is the top row.
        assert.equal(await page.locator('[data-testid="log-body"]').first().innerText(), body);
        assert.match(await page.locator(rows).first().innerText(), /WARN[\s\S]*tail-svc/);
        assert.deepEqual(restCalls, [], "the record came over the socket, not from REST");
        await screenshot(page, "live-tail");

        // Paused: the next record is counted, not shown, until resumed.
        await page.getByTestId("tail-pause").click();
        const held = `held back ${crypto.randomUUID()}`;
        await exportWith(new OTLPLogExporter({ url: `${http}/v1/logs` }), recordLog("tail-svc", held));
        await page.getByTestId("tail-status").filter({ hasText: "paused · 1 new" }).waitFor();
        assert.equal(await page.locator('[data-testid="log-body"]', { hasText: held }).count(), 0);
        await page.getByTestId("tail-pause").click();
        await page.locator('[data-testid="log-body"]', { hasText: held }).waitFor();
        await waitForCount(page, rows, shop.logs + 2);
        assert.deepEqual(w.errors, []);
      } finally {
        await w.close();
      }
    });
  } finally {
    await rig.close();
  }
});
