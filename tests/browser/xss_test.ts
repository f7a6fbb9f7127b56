/**
 * Telemetry is data, never markup: HTML in a span attribute key, a span name,
 * a service name and a log body is shown as the literal text on every page
 * that displays it, and no script runs (no dialog, no injected element).
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  type BrowserRig,
  openPage,
  screenshot,
  sendLogs,
  sendSpans,
  spanIdOf,
  startRig,
  traceIdOf,
  waitForCount,
} from "./support.ts";

const ATTR_KEY = "<img src=x onerror=alert(1)>";
const ATTR_VALUE = "<script>alert(2)</script>";
const SPAN_NAME = "<img src=x onerror=alert(3)> /checkout";
const SERVICE = "<svg onload=alert(4)>";
const LOG_BODY = '<script>alert("log")</script><img src=x onerror=alert(5)> card declined';

/** Nothing the payloads could have injected is in the document. */
async function assertInert(page: Page, where: string): Promise<void> {
  const found = await page.evaluate(() => ({
    imgX: document.querySelectorAll('img[src="x"]').length,
    handlers: document.querySelectorAll("[onerror], [onload]").length,
    svgs: [...document.querySelectorAll("svg")].filter((s) => s.getAttribute("onload") !== null).length,
    scripts: [...document.querySelectorAll("script")].filter((s) => s.textContent?.includes("alert")).length,
  }));
  assert.deepEqual(found, { imgX: 0, handlers: 0, svgs: 0, scripts: 0 }, `injected elements on ${where}`);
}

Deno.test("browser: HTML in telemetry renders as text and never runs", async () => {
  const rig: BrowserRig = await startRig();
  const w = await openPage(rig.browser);
  try {
    const now = Date.now() - 60_000;
    const traceId = traceIdOf(0xbad, 1);
    const root = spanIdOf(1);
    await sendSpans(rig.argus, [
      {
        traceId,
        spanId: root,
        name: SPAN_NAME,
        service: SERVICE,
        startMs: now,
        durationMs: 40,
        status: "ERROR",
        statusMessage: "<b>not bold</b>",
        attributes: { [ATTR_KEY]: ATTR_VALUE, "http.route": "/checkout" },
      },
      {
        traceId,
        spanId: spanIdOf(2),
        parentSpanId: root,
        name: "charge",
        service: "payment",
        startMs: now + 5,
        durationMs: 20,
      },
    ]);
    await sendLogs(rig.argus, [
      { service: SERVICE, body: LOG_BODY, severityNumber: 17, timeMs: now + 10, traceId, spanId: root },
    ]);
    const { page } = w;
    const http = rig.argus.http;

    // Dashboard: the RED table and the latest error logs.
    await page.goto(`${http}/`);
    await page.locator('[data-testid="service-row"]', { hasText: SPAN_NAME }).waitFor();
    await page.locator('[data-testid="error-log-row"]', { hasText: LOG_BODY }).waitFor();
    await assertInert(page, "the dashboard");

    // Traces list, then the trace and the span's attributes.
    await page.getByTestId("nav-traces").click();
    const row = page.locator('[data-testid="trace-row"]', { hasText: SPAN_NAME });
    await row.waitFor();
    assert.ok((await row.innerText()).includes(SERVICE), "the service name is shown as text");
    await assertInert(page, "the traces list");
    await row.getByTestId("trace-link").click();
    await page.getByTestId("trace-title").filter({ hasText: SPAN_NAME }).waitFor();
    await page.locator('[data-testid="waterfall-row"]', { hasText: SPAN_NAME }).click();
    const attrs = page.locator('[data-testid="span-attributes"] [data-testid="attribute-row"]');
    await waitForCount(page, '[data-testid="span-attributes"] [data-testid="attribute-row"]', 2);
    const cells = await attrs.filter({ hasText: ATTR_KEY }).locator("td").allInnerTexts();
    assert.deepEqual(cells, [ATTR_KEY, ATTR_VALUE]);
    assert.ok(await page.getByText(ATTR_KEY, { exact: true }).isVisible(), "the key is visible as text");
    await page.getByText("<b>not bold</b>", { exact: true }).waitFor();
    // The trace's logs list the body as text too.
    await page.locator('[data-testid="trace-log-row"]', { hasText: LOG_BODY }).waitFor();
    await assertInert(page, "the trace page");
    await screenshot(page, "xss-trace");

    // Logs: the list and the details drawer.
    await page.getByTestId("nav-logs").click();
    const body = page.locator('[data-testid="log-body"]', { hasText: LOG_BODY });
    await body.waitFor();
    assert.equal(await body.innerText(), LOG_BODY);
    await body.click();
    assert.equal(await page.getByTestId("log-detail-body").innerText(), LOG_BODY);
    await assertInert(page, "the logs page");
    await screenshot(page, "xss-logs");

    // Service map: the node's label, and its link carries the name encoded.
    await page.getByTestId("nav-service-map").click();
    const node = page.locator('[data-testid="map-node"]').filter({ hasText: SERVICE });
    await node.waitFor();
    assert.equal(
      new URL(await node.getAttribute("href") ?? "", http).searchParams.get("service_name"),
      SERVICE,
    );
    await assertInert(page, "the service map");

    assert.deepEqual(w.dialogs, [], "no dialog was opened");
    assert.deepEqual(w.errors, [], "uncaught errors in the page");
  } finally {
    await w.close();
    await rig.close();
  }
});
