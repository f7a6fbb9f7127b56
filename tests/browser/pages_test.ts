/**
 * Every page renders the data that was sent over OTLP: the dashboard's
 * figures, the traces list, a trace's waterfall and span details, the logs,
 * the service map (whose nodes lead to their traces) and the server's health.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { seedShop, type ShopExpectations } from "./shop_data.ts";
import {
  type BrowserRig,
  canvasPixels,
  openPage,
  screenshot,
  startRig,
  statValue,
  texts,
  waitForCount,
} from "./support.ts";

/** Polls `read` until it returns `want` (or times out with the last value). */
async function eventually<T>(read: () => Promise<T>, want: T, what: string, timeout = 30_000): Promise<void> {
  const until = Date.now() + timeout;
  let got: T = await read();
  while (JSON.stringify(got) !== JSON.stringify(want)) {
    if (Date.now() > until) {
      assert.fail(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    got = await read();
  }
}

async function traceIdsShown(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid="trace-row"]').evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("data-trace-id") ?? "")
  );
  return ids.sort();
}

Deno.test("browser: every page shows the data sent over OTLP", async (t) => {
  const rig: BrowserRig = await startRig();
  try {
    const shop: ShopExpectations = await seedShop(rig.argus);
    const http = rig.argus.http;

    // Each step opens its own context: fresh storage, and errors stay attributed.
    const step = (name: string, fn: (page: Page) => Promise<void>) =>
      t.step(name, async () => {
        const w = await openPage(rig.browser);
        try {
          await fn(w.page);
          assert.deepEqual(w.errors, [], "uncaught errors in the page");
        } finally {
          await w.close();
        }
      });

    await step("dashboard: stat cards count what was ingested", async (page) => {
      await page.goto(`${http}/`);
      assert.equal(await statValue(page, "total_traces"), String(shop.traces));
      assert.equal(await statValue(page, "total_spans"), String(shop.spans));
      assert.equal(await statValue(page, "total_logs"), String(shop.logs));
      assert.equal(await statValue(page, "active_services"), String(shop.services.length));
      assert.equal(await statValue(page, "error_rate"), "28.6%"); // 2 of 7 traces
      assert.match(
        await page.locator('[data-stat="error_rate"]').innerText(),
        /2 failed traces/,
      );
      assert.match(await page.locator('[data-stat="total_logs"]').innerText(), /2 errors/);
      // Charts are drawn (a canvas of real size), not the empty-state text.
      for (const chart of ["traffic-chart", "latency-chart"]) {
        const canvas = page.locator(`[data-testid="${chart}"] canvas`);
        await canvas.waitFor();
        const box = await canvas.boundingBox();
        assert.ok(box && box.width > 200 && box.height > 100, `${chart} has a drawing surface`);
      }
      // The traffic chart drew bars: OK (indigo) and failed (red) traces, below its legend.
      const okPixels = await canvasPixels(page, '[data-testid="traffic-chart"]', [0x4c, 0x6e, 0xf5], 32);
      const errorPixels = await canvasPixels(page, '[data-testid="traffic-chart"]', [0xfa, 0x52, 0x52], 32);
      assert.ok(okPixels > 1000, `OK bars drawn (${okPixels} px)`);
      assert.ok(errorPixels > 500, `error bars drawn (${errorPixels} px)`);
      // RED table: one row per service and entry operation.
      await waitForCount(page, '[data-testid="service-row"]', 6);
      const red = await texts(page, '[data-testid="service-row"]');
      for (
        const op of [
          "GET /checkout",
          "POST /pay",
          "POST /order",
          "reserve stock",
          "charge card",
          "GET /stock",
        ]
      ) {
        assert.ok(red.some((r) => r.includes(op)), `RED row for ${op}`);
      }
      // Latest error logs: the two ERROR records.
      await waitForCount(page, '[data-testid="error-log-row"]', shop.errorLogs);
      assert.ok(
        (await texts(page, '[data-testid="error-log-row"]')).some((r) => r.includes(shop.errorLogBody)),
      );
      await screenshot(page, "dashboard");
    });

    await step("traces: one row per trace, with root name and service", async (page) => {
      await page.goto(`${http}/traces`);
      await waitForCount(page, '[data-testid="trace-row"]', shop.traces);
      assert.equal(await page.getByTestId("traces-total").innerText(), `${shop.traces} traces`);
      const row = page.locator(`[data-testid="trace-row"][data-trace-id="${shop.checkoutTraceId}"]`);
      const cells = await row.locator("td").allInnerTexts();
      assert.ok(cells.includes("frontend"), `service cell in ${JSON.stringify(cells)}`);
      assert.ok(cells.includes("GET /checkout"), `root span cell in ${JSON.stringify(cells)}`);
      assert.ok(cells.includes("4"), `span count cell in ${JSON.stringify(cells)}`);
      // The failing traces carry the ERROR badge.
      for (const id of shop.errorTraceIds) {
        assert.match(await page.locator(`[data-trace-id="${id}"]`).innerText(), /POST \/pay[\s\S]*ERROR/);
      }
      // Rows are real links.
      assert.equal(
        await row.getByTestId("trace-link").getAttribute("href"),
        `/traces/${shop.checkoutTraceId}`,
      );
      await screenshot(page, "traces");
    });

    await step("trace: waterfall rows = spans; the span drawer shows attributes", async (page) => {
      await page.goto(`${http}/traces`);
      await page.locator(`[data-trace-id="${shop.checkoutTraceId}"] [data-testid="trace-link"]`).click();
      await page.waitForURL(`**/traces/${shop.checkoutTraceId}`);
      await waitForCount(page, '[data-testid="waterfall-row"]', shop.checkoutSpanNames.length);
      assert.equal(await page.getByTestId("trace-title").innerText(), "GET /checkout");
      assert.equal(await page.getByTestId("trace-span-count").innerText(), "4");
      const names = await texts(page, '[data-testid="waterfall-row"] .wf-span-name');
      assert.deepEqual(names, ["GET /checkout", "call order", "POST /order", "reserve stock"]);

      await page.locator('[data-testid="waterfall-row"]', { hasText: "POST /order" }).click();
      const drawer = page.getByRole("dialog");
      await drawer.getByTestId("span-title").filter({ hasText: "POST /order" }).waitFor();
      assert.match(page.url(), /[?&]span=[0-9a-f]{16}/);
      const attr = drawer.locator('[data-testid="span-attributes"] [data-testid="attribute-row"]');
      await attr.first().waitFor();
      const attrs = (await attr.allInnerTexts()).map((a) => a.split(/\s+/).filter(Boolean).join(" "));
      assert.deepEqual(attrs, ["order.items 3"]);
      await drawer.getByRole("tab", { name: /Resource/ }).click();
      assert.match(await drawer.getByTestId("span-resource").innerText(), /service\.name\s+order/);
      await screenshot(page, "trace");
    });

    await step("logs: one row per record, bodies as sent", async (page) => {
      await page.goto(`${http}/logs`);
      await waitForCount(page, '[data-testid="log-row"]', shop.logs);
      assert.equal(await page.getByTestId("logs-total").innerText(), `${shop.logs} of ${shop.logs}`);
      const bodies = await texts(page, '[data-testid="log-body"]');
      assert.deepEqual([...bodies].sort(), [...shop.logBodies].sort());
      // Newest first.
      assert.equal(bodies[0], "stock running low on sku-42");
      await screenshot(page, "logs");
    });

    await step("service map: a node per service, edges with call counts", async (page) => {
      await page.goto(`${http}/service-map`);
      await waitForCount(page, '[data-testid="map-node"]', shop.services.length);
      const nodes = await page.locator('[data-testid="map-node"]').evaluateAll((els) =>
        els.map((e) => e.getAttribute("data-service")).sort()
      );
      assert.deepEqual(nodes, shop.services);
      await waitForCount(page, ".react-flow__edge", shop.edges.length);
      const edgeIds = await page.locator(".react-flow__edge").evaluateAll((els) =>
        els.map((e) => e.getAttribute("data-id")).sort()
      );
      assert.deepEqual(edgeIds, shop.edges);
      const labels = await page.locator(".react-flow__edge-text").allTextContents();
      assert.deepEqual(labels.map((l) => l.split(" ")[0]).sort(), ["2", "4", "4"]);
      // payment fails every call it gets: its node is "bad".
      assert.equal(
        await page.locator('[data-testid="map-node"][data-service="payment"]').getAttribute("data-level"),
        "bad",
      );
      await screenshot(page, "service-map");
    });

    await step("service map: clicking a node lands on that service's traces", async (page) => {
      await page.goto(`${http}/service-map`);
      const node = page.locator('[data-testid="map-node"][data-service="payment"]');
      await node.click();
      await page.waitForURL((url) =>
        url.pathname === "/traces" && url.searchParams.get("service_name") === "payment"
      );
      await eventually(() => traceIdsShown(page), [...shop.tracesOf.payment].sort(), "payment's traces");
      // And the filter bar shows the service as selected.
      assert.match(await page.getByTestId("trace-filters").innerText(), /payment/);

      // Back on the map, another node gives another list.
      await page.goBack();
      await page.locator('[data-testid="map-node"][data-service="inventory"]').click();
      await page.waitForURL(/service_name=inventory/);
      await eventually(() => traceIdsShown(page), [...shop.tracesOf.inventory].sort(), "inventory's traces");
      await screenshot(page, "service-map-to-traces");
    });

    await step("settings: the server's health", async (page) => {
      await page.goto(`${http}/settings`);
      await page.getByTestId("health-status").filter({ hasText: "ok" }).waitFor();
      assert.match(await page.getByTestId("health-db").innerText(), /sqlite\s*up/i);
      assert.equal(await page.getByTestId("health-ai-enabled").textContent(), "off");
      assert.equal(await page.getByTestId("health-dlq-size").innerText(), "0");
      await page.getByTestId("ai-off-help").waitFor();
      await page.getByTestId("health-stream").filter({ hasText: "live health" }).waitFor();
      // This page's own /ws/health socket is counted.
      await page.getByTestId("health-connections").filter({ hasText: /^[1-9]/ }).waitFor();
      await screenshot(page, "settings");
    });
  } finally {
    await rig.close();
  }
});
