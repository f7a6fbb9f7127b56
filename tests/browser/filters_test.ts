/**
 * Filters and the time range live in the URL: choosing one changes the URL and
 * the rows, a reload keeps it, and the back button restores the previous view.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { seedShop, type ShopExpectations } from "./shop_data.ts";
import {
  type BrowserRig,
  openPage,
  screenshot,
  sendSpans,
  spanIdOf,
  startRig,
  texts,
  traceIdOf,
  waitForCount,
} from "./support.ts";

const ROWS = '[data-testid="trace-row"]';

/** The sorted trace ids of the rows on screen once there are `n` of them. */
async function rowsOnce(page: Page, n: number): Promise<string[]> {
  await waitForCount(page, ROWS, n);
  return (await page.locator(ROWS).evaluateAll((rows) => rows.map((r) => r.getAttribute("data-trace-id")!)))
    .sort();
}

const search = (page: Page) => new URL(page.url()).searchParams;

Deno.test("browser: filters live in the URL, survive a reload and follow the back button", async (t) => {
  const rig: BrowserRig = await startRig();
  try {
    const shop: ShopExpectations = await seedShop(rig.argus);
    // Three traces 40 minutes old: outside the default range (15 minutes), inside "1h".
    const old = Date.now() - 40 * 60_000;
    const oldIds = [0, 1, 2].map((i) => traceIdOf(9, i));
    await sendSpans(
      rig.argus,
      oldIds.map((traceId, i) => ({
        traceId,
        spanId: spanIdOf(9000 + i),
        name: "GET /legacy",
        service: "legacy",
        startMs: old + i * 1000,
        durationMs: 5,
      })),
    );
    const all = Object.values(shop.tracesOf).flat();
    const allIds = [...new Set(all)].sort();
    const http = rig.argus.http;

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

    await step("status: URL, rows, reload, back and forward", async (page) => {
      await page.goto(`${http}/traces`);
      assert.deepEqual(await rowsOnce(page, shop.traces), allIds);

      await page.getByTestId("filter-status").getByText("Error", { exact: true }).click();
      await page.waitForURL(/[?&]status=ERROR/);
      assert.deepEqual(await rowsOnce(page, 2), [...shop.errorTraceIds].sort());
      assert.equal(await page.getByTestId("traces-total").innerText(), "2 traces");

      await page.reload();
      assert.deepEqual(await rowsOnce(page, 2), [...shop.errorTraceIds].sort());
      assert.ok(await page.getByTestId("filter-status").locator('input[value="ERROR"]').isChecked());

      // A second filter narrows further: no failing trace touches inventory.
      await page.getByTestId("filter-services").click();
      await page.getByRole("option", { name: "inventory" }).click();
      await page.waitForURL(/service_name=inventory/);
      await page.getByTestId("traces-empty").waitFor();
      assert.equal(await page.locator(ROWS).count(), 0);
      await screenshot(page, "filters-empty");

      await page.goBack();
      await page.waitForURL((url) => !url.searchParams.has("service_name"));
      assert.equal(search(page).get("status"), "ERROR");
      assert.deepEqual(await rowsOnce(page, 2), [...shop.errorTraceIds].sort());

      await page.goBack();
      await page.waitForURL((url) => url.pathname === "/traces" && url.search === "");
      assert.deepEqual(await rowsOnce(page, shop.traces), allIds);
      assert.ok(await page.getByTestId("filter-status").locator('input[value="all"]').isChecked());

      await page.goForward();
      await page.waitForURL(/status=ERROR/);
      assert.deepEqual(await rowsOnce(page, 2), [...shop.errorTraceIds].sort());
    });

    await step("service and search: rows of that service, links that reproduce the view", async (page) => {
      await page.goto(`${http}/traces?service_name=order`);
      assert.deepEqual(await rowsOnce(page, 4), [...shop.tracesOf.order].sort());

      await page.getByTestId("filter-search").fill("pay");
      await page.getByTestId("filter-search").press("Enter");
      await page.waitForURL(/search=pay/);
      await page.getByTestId("traces-empty").waitFor(); // order never takes part in a payment

      // Removing the service keeps the search.
      await page.getByTestId("trace-filters").locator(".mantine-Pill-remove").first().click();
      await page.waitForURL((url) => !url.searchParams.has("service_name"));
      assert.equal(search(page).get("search"), "pay");
      assert.deepEqual(await rowsOnce(page, 2), [...shop.errorTraceIds].sort());
      await screenshot(page, "filters-search");
    });

    await step("sort: by duration, longest first, in the URL", async (page) => {
      await page.goto(`${http}/traces`);
      await waitForCount(page, ROWS, shop.traces);
      await page.getByTestId("sort-duration").click();
      await page.waitForURL(/sort_by=duration/);
      assert.equal(search(page).get("order_by"), null, "descending is the default, left out of the URL");
      await page.locator(ROWS).first().filter({ hasText: "POST /pay" }).waitFor();
      const durations = (await texts(page, `${ROWS} td:nth-child(4)`)).map((d) => parseFloat(d));
      assert.deepEqual(durations, [...durations].sort((a, b) => b - a));

      await page.getByTestId("sort-duration").click();
      await page.waitForURL(/order_by=asc/);
      await page.locator(ROWS).first().filter({ hasText: "GET /stock" }).waitFor();
      await page.reload();
      await page.locator(ROWS).first().filter({ hasText: "GET /stock" }).waitFor();
      await screenshot(page, "filters-sorted");
    });

    await step("time range: 1h shows the older traces, back returns to 15m", async (page) => {
      await page.goto(`${http}/traces`);
      await waitForCount(page, ROWS, shop.traces);
      await page.getByTestId("time-range").click();
      await page.getByTestId("range-preset-1h").click();
      await page.waitForURL(/range=1h/);
      assert.deepEqual(await rowsOnce(page, shop.traces + 3), [...allIds, ...oldIds].sort());
      assert.match(await page.getByTestId("time-range").innerText(), /hour/i);
      await screenshot(page, "filters-range-1h");

      // Navigation keeps the range.
      await page.getByTestId("nav-logs").click();
      await page.waitForURL((url) => url.pathname === "/logs" && url.searchParams.get("range") === "1h");

      await page.goBack();
      await page.waitForURL(/\/traces\?range=1h/);
      await page.goBack();
      await page.waitForURL((url) => !url.searchParams.has("range"));
      assert.deepEqual(await rowsOnce(page, shop.traces), allIds);
    });

    await step("logs: severity chips filter rows and stay in the URL", async (page) => {
      await page.goto(`${http}/logs`);
      await waitForCount(page, '[data-testid="log-row"]', shop.logs);
      await page.getByTestId("log-filter-severity").getByText("ERROR", { exact: true }).click();
      await page.waitForURL(/severity=ERROR/);
      await waitForCount(page, '[data-testid="log-row"]', shop.errorLogs);
      for (const body of await texts(page, '[data-testid="log-body"]')) assert.match(body, /payment failed/);

      await page.reload();
      await waitForCount(page, '[data-testid="log-row"]', shop.errorLogs);
      await page.goBack();
      await page.waitForURL((url) => !url.searchParams.has("severity"));
      await waitForCount(page, '[data-testid="log-row"]', shop.logs);
      await screenshot(page, "logs-filtered-back");
    });
  } finally {
    await rig.close();
  }
});
