/**
 * Light and dark schemes are both legible: the theme toggle flips the
 * scheme (and a reload keeps it), the page colours differ between the two,
 * and on every page each visible piece of text keeps a readable contrast
 * against what is behind it. Screenshots of both schemes are saved.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { belowAA, measureContrast, type TextContrast } from "./contrast.ts";
import { seedShop, type ShopExpectations } from "./shop_data.ts";
import { type BrowserRig, openPage, screenshot, startRig, statValue } from "./support.ts";

/** Below this a text is hard to read for anyone (WCAG's floor, for large text). */
const FLOOR = 3;

function describe(texts: TextContrast[]): string {
  return texts.map((t) => `${t.ratio}:1 ${JSON.stringify(t.text)} (${t.color} on ${t.background})`).join(
    "\n",
  );
}

/** Asserts the page's text is legible; returns the share of text meeting AA. */
async function assertLegible(page: Page, where: string): Promise<number> {
  const { page: colors, texts } = await measureContrast(page);
  assert.ok(texts.length > 10, `${where}: texts measured (${texts.length})`);
  assert.ok(colors.ratio >= 7, `${where}: body text ${colors.ratio}:1`);
  const unreadable = texts.filter((t) => t.ratio < FLOOR);
  assert.deepEqual(unreadable, [], `${where}: text under ${FLOOR}:1\n${describe(unreadable)}`);
  return 1 - belowAA(texts).length / texts.length;
}

const PAGES: {
  name: string;
  path: (shop: ShopExpectations) => string;
  ready: (page: Page) => Promise<void>;
}[] = [
  {
    name: "traces",
    path: () => "/traces",
    ready: (page) => page.locator('[data-testid="trace-row"]').first().waitFor(),
  },
  {
    name: "trace",
    path: (shop) => `/traces/${shop.errorTraceIds[0]}`,
    ready: async (page) => {
      await page.locator('[data-testid="waterfall-row"]', { hasText: "charge card" }).click();
      await page.getByTestId("span-title").filter({ hasText: "charge card" }).waitFor();
    },
  },
  {
    name: "logs",
    path: () => "/logs",
    ready: async (page) => {
      await page.locator('[data-testid="log-row"]', { hasText: "order 1002" }).click();
      await page.getByTestId("log-detail-body").waitFor();
    },
  },
  {
    name: "service-map",
    path: () => "/service-map",
    ready: (page) => page.locator('[data-testid="map-node"]').first().waitFor(),
  },
  {
    name: "settings",
    path: () => "/settings",
    ready: (page) => page.getByTestId("health-status").waitFor(),
  },
];

Deno.test("browser: light and dark schemes are both legible", async (t) => {
  const rig: BrowserRig = await startRig();
  try {
    const shop = await seedShop(rig.argus);
    const http = rig.argus.http;

    await t.step("the toggle flips the scheme; colours differ and read well in both", async () => {
      const w = await openPage(rig.browser, { colorScheme: "light" });
      try {
        const { page } = w;
        await page.goto(`${http}/`);
        assert.equal(await statValue(page, "total_traces"), String(shop.traces));
        await page.locator('[data-testid="traffic-chart"] canvas').waitFor();
        const light = await measureContrast(page);
        assert.equal(light.page.scheme, "light");
        await assertLegible(page, "dashboard, light");
        await screenshot(page, "theme-light-dashboard");

        await page.getByTestId("theme-toggle").click();
        await page.waitForFunction(() =>
          document.documentElement.getAttribute("data-mantine-color-scheme") === "dark"
        );
        await page.locator('[data-testid="traffic-chart"] canvas').waitFor();
        const dark = await measureContrast(page);
        assert.equal(dark.page.scheme, "dark");
        await assertLegible(page, "dashboard, dark");
        await screenshot(page, "theme-dark-dashboard");

        assert.notDeepEqual(dark.page.bodyBackground, light.page.bodyBackground);
        assert.notDeepEqual(dark.page.bodyText, light.page.bodyText);
        assert.ok(light.page.backgroundLuminance > 0.9, `light background ${light.page.backgroundLuminance}`);
        assert.ok(dark.page.backgroundLuminance < 0.05, `dark background ${dark.page.backgroundLuminance}`);
        // The same element flips too: a stat card's value.
        const cardColors = async () =>
          await page.locator('[data-stat="total_traces"]').evaluate((el) => {
            const value = el.querySelector('[data-testid="stat-value"]')!;
            return [getComputedStyle(el).backgroundColor, getComputedStyle(value).color];
          });
        const darkCard = await cardColors();

        await page.reload();
        await statValue(page, "total_traces");
        assert.equal(
          await page.evaluate(() => document.documentElement.getAttribute("data-mantine-color-scheme")),
          "dark",
          "the choice survives a reload",
        );
        await page.getByTestId("theme-toggle").click();
        await page.waitForFunction(() =>
          document.documentElement.getAttribute("data-mantine-color-scheme") === "light"
        );
        const lightCard = await cardColors();
        assert.notEqual(lightCard[0], darkCard[0], "card background");
        assert.notEqual(lightCard[1], darkCard[1], "card text");
        assert.deepEqual(w.errors, []);
      } finally {
        await w.close();
      }
    });

    for (const scheme of ["light", "dark"] as const) {
      await t.step(`every page is legible in the ${scheme} scheme`, async () => {
        const w = await openPage(rig.browser, { colorScheme: scheme });
        try {
          const { page } = w;
          const shares: string[] = [];
          for (const p of PAGES) {
            await page.goto(`${http}${p.path(shop)}`);
            await p.ready(page);
            assert.equal(
              await page.evaluate(() => document.documentElement.getAttribute("data-mantine-color-scheme")),
              scheme,
            );
            const aa = await assertLegible(page, `${p.name}, ${scheme}`);
            shares.push(`${p.name} ${(aa * 100).toFixed(0)}%`);
            await screenshot(page, `theme-${scheme}-${p.name}`);
          }
          console.log(`  text meeting WCAG AA (${scheme}): ${shares.join(", ")}`);
          assert.deepEqual(w.errors, []);
        } finally {
          await w.close();
        }
      });
    }
  } finally {
    await rig.close();
  }
});
