/**
 * A trace of 10,000 spans opens, and its waterfall is virtualised: only a
 * screenful of rows is in the DOM while scrolling (by wheel-sized jumps and by
 * keyboard) brings the right spans into view.
 */

import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import {
  type BrowserRig,
  openPage,
  screenshot,
  sendSpans,
  spanIdOf,
  type SpanSpec,
  startRig,
  traceIdOf,
} from "./support.ts";

const GROUPS = 99;
const LEAVES = 100;
const ROW_HEIGHT = 28; // Waterfall.tsx

/** Root → 99 groups → 100 leaves each = 10,000 spans; returns them in waterfall (tree) order. */
function bigTrace(traceId: string, startMs: number): SpanSpec[] {
  const service = (i: number) => ["gateway", "catalog", "pricing"][i % 3];
  const root: SpanSpec = {
    traceId,
    spanId: spanIdOf(0),
    name: "GET /bulk",
    service: "gateway",
    startMs,
    durationMs: 2000,
    status: "OK",
  };
  const spans = [root];
  let n = 1;
  for (let g = 0; g < GROUPS; g++) {
    const groupId = spanIdOf(n++);
    const groupStart = startMs + 1 + g * 20;
    spans.push({
      traceId,
      spanId: groupId,
      parentSpanId: root.spanId,
      name: `group ${g}`,
      service: service(g),
      kind: "INTERNAL",
      startMs: groupStart,
      durationMs: 19,
    });
    for (let l = 0; l < LEAVES; l++) {
      spans.push({
        traceId,
        spanId: spanIdOf(n++),
        parentSpanId: groupId,
        name: `leaf ${g}.${l}`,
        service: service(g + 1),
        kind: "CLIENT",
        startMs: groupStart + l * 0.15,
        durationMs: 0.1,
        attributes: { "leaf.index": l },
      });
    }
  }
  return spans;
}

/** Names of the waterfall rows in the DOM, top to bottom. */
function renderedNames(waterfall: Locator): Promise<string[]> {
  return waterfall.locator('[data-testid="waterfall-row"]').evaluateAll((rows) =>
    rows
      .map((r) => ({
        y: new DOMMatrixReadOnly(getComputedStyle(r).transform).m42,
        name: r.querySelector(".wf-span-name")?.textContent ?? "",
      }))
      .sort((a, b) => a.y - b.y)
      .map((r) => r.name)
  );
}

/** Scrolls the waterfall to `top` px and waits until the row at that offset is rendered. */
async function scrollTo(page: Page, waterfall: Locator, top: number, names: string[]): Promise<number> {
  const scrollTop = await waterfall.evaluate((el, y) => {
    el.scrollTop = y;
    return el.scrollTop;
  }, top);
  const want = names[Math.floor(scrollTop / ROW_HEIGHT)];
  await waterfall.locator(".wf-span-name", { hasText: new RegExp(`^${want.replace(".", "\\.")}$`) })
    .waitFor();
  await page.evaluate(() => new Promise(requestAnimationFrame));
  return scrollTop;
}

Deno.test("browser: a 10,000-span trace opens and its waterfall scrolls with few rows in the DOM", async () => {
  const rig: BrowserRig = await startRig();
  const w = await openPage(rig.browser);
  try {
    const traceId = traceIdOf(0xb16, 1);
    const spans = bigTrace(traceId, Date.now() - 120_000);
    assert.equal(spans.length, 10_000);
    await sendSpans(rig.argus, spans);
    const names = spans.map((s) => s.name); // built in tree order

    const { page } = w;
    await page.goto(`${rig.argus.http}/traces/${traceId}`);
    await page.getByTestId("trace-span-count").filter({ hasText: "10000" }).waitFor({ timeout: 30_000 });
    const waterfall = page.getByTestId("waterfall");
    await waterfall.locator(".wf-span-name", { hasText: "GET /bulk" }).waitFor();
    assert.match(await page.getByText(/^Service · span/).innerText(), /\(10000\)/);

    const first = await renderedNames(waterfall);
    assert.ok(first.length > 10 && first.length < 200, `rendered rows at the top: ${first.length}`);
    assert.deepEqual(first.slice(0, 3), ["GET /bulk", "group 0", "leaf 0.0"]);
    const scrollHeight = await waterfall.evaluate((el) => el.scrollHeight);
    assert.ok(scrollHeight >= 10_000 * ROW_HEIGHT, `scroll height ${scrollHeight} holds every row`);
    await screenshot(page, "waterfall-10k-top");

    // Jumps through the trace: each shows other spans, never many rows.
    const seen = new Set(first);
    let previousTop = 0;
    for (const fraction of [0.1, 0.37, 0.5, 0.81]) {
      const top = await scrollTo(page, waterfall, Math.round(scrollHeight * fraction), names);
      assert.ok(top > previousTop, `scrollTop moved (${previousTop} → ${top})`);
      previousTop = top;
      const shown = await renderedNames(waterfall);
      assert.ok(shown.length < 200, `rendered rows at ${fraction}: ${shown.length}`);
      assert.ok(!shown.includes("GET /bulk"), "the top rows left the DOM");
      const fresh = shown.filter((n) => !seen.has(n));
      assert.ok(fresh.length > shown.length / 2, `mostly new span names at ${fraction}`);
      for (const n of shown) seen.add(n);
    }
    await screenshot(page, "waterfall-10k-scrolled");

    // The keyboard reaches the very last span.
    await waterfall.focus();
    await page.keyboard.press("End");
    await waterfall.locator(".wf-span-name", { hasText: /^leaf 98\.99$/ }).waitFor();
    const last = await renderedNames(waterfall);
    assert.equal(last.at(-1), "leaf 98.99");
    assert.ok(last.length < 200, `rendered rows at the end: ${last.length}`);
    assert.equal(
      await waterfall.getAttribute("aria-activedescendant"),
      `span-row-${spans.at(-1)!.spanId}`,
    );
    await page.keyboard.press("Enter");
    await page.getByTestId("span-title").filter({ hasText: "leaf 98.99" }).waitFor();
    assert.match(page.url(), new RegExp(`span=${spans.at(-1)!.spanId}`));

    // Collapsing a group hides its hundred leaves.
    await scrollTo(page, waterfall, 0, names);
    await waterfall.locator('[data-testid="waterfall-row"]', { hasText: "group 0" }).getByRole("button", {
      name: "Collapse",
    }).click();
    await page.getByText(/^Service · span \(9900 of 10000\)$/).waitFor();
    assert.deepEqual((await renderedNames(waterfall)).slice(0, 3), ["GET /bulk", "group 0", "group 1"]);
    await screenshot(page, "waterfall-10k-collapsed");
    assert.deepEqual(w.errors, []);
  } finally {
    await w.close();
    await rig.close();
  }
});
