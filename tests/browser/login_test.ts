/**
 * Signing in to a server with API keys (SPEC §10): the login card stands in
 * for the pages until a read key is given (no API data, no socket before);
 * a wrong key and an ingest key are refused with a message; a read key shows
 * its tenant's data only, survives a reload (cookie), and signing out (or the
 * session ending) returns to the login card. Screenshots of the card in both
 * schemes are saved.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { belowAA, measureContrast } from "./contrast.ts";
import {
  type BrowserRig,
  openPage,
  screenshot,
  spanIdOf,
  startRig,
  statValue,
  traceIdOf,
  tracesBody,
  waitForCount,
} from "./support.ts";

const ACME_READ = "read-key-acme-000001";
const ACME_INGEST = "ingest-key-acme-0001";
const BETA_READ = "read-key-beta-000001";
// Beta needs a key to send its own trace with; the tenant comes from the key.
const BETA_INGEST = "ingest-key-beta-0001";
const AUTH_API_KEYS = [
  `${ACME_READ}:acme:read`,
  `${ACME_INGEST}:acme:ingest`,
  `${BETA_READ}:beta:read`,
  `${BETA_INGEST}:beta:ingest`,
].join(",");

const ACME_TRACE = traceIdOf(0xacace, 1);
const BETA_TRACE = traceIdOf(0xbeba, 2);

/** Sends one single-span trace over OTLP/HTTP JSON with `key` as a bearer token. */
async function sendTrace(rig: BrowserRig, key: string, traceId: string, service: string): Promise<void> {
  const body = tracesBody([{
    traceId,
    spanId: spanIdOf(1),
    name: `GET /${service}`,
    service,
    startMs: Date.now() - 60_000,
    durationMs: 42,
    status: "OK",
  }]);
  const res = await fetch(`${rig.argus.otlpHttp}/v1/traces`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `OTLP export for ${service}: ${text.slice(0, 300)}`);
}

/** The status `fetch(path)` gets from inside the page (with its cookies). */
function statusFromPage(page: Page, path: string): Promise<number> {
  return page.evaluate((p) => fetch(p).then((r) => r.status), path);
}

/** Signs in through the form, pressing Enter as a keyboard user would. */
async function typeKey(page: Page, key: string): Promise<void> {
  const input = page.getByTestId("login-key");
  await input.fill(key);
  await input.press("Enter");
}

/** Asserts the login card shows and nothing of the app does. */
async function assertOnLoginCard(page: Page): Promise<void> {
  await page.getByTestId("login-form").waitFor();
  assert.equal(await page.locator("[data-stat]").count(), 0, "no dashboard stat on the login card");
  assert.equal(await page.getByTestId("nav-traces").count(), 0, "no navigation on the login card");
  assert.equal(await page.getByTestId("trace-row").count(), 0, "no trace rows on the login card");
}

Deno.test("browser: sign in with an API key, see only the key's tenant, sign out", async (t) => {
  const rig = await startRig({ AUTH_API_KEYS });
  try {
    const http = rig.argus.http;
    await sendTrace(rig, ACME_INGEST, ACME_TRACE, "acme-shop");
    await sendTrace(rig, BETA_INGEST, BETA_TRACE, "beta-shop");

    await t.step("the login card: a titled form, focused, legible in light and dark", async () => {
      for (const scheme of ["light", "dark"] as const) {
        const w = await openPage(rig.browser, { colorScheme: scheme });
        try {
          await w.page.goto(`${http}/`);
          await assertOnLoginCard(w.page);
          assert.equal(
            await w.page.getByRole("heading", { level: 2 }).innerText(),
            "Sign in to Argus",
          );
          // Autofocus on the key field, which has a visible label.
          assert.equal(
            await w.page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
            "login-key",
          );
          await w.page.getByLabel("API key").waitFor();
          assert.equal(await w.page.getByTestId("login-key").getAttribute("type"), "password");
          assert.equal(await w.page.title(), "Sign in · Argus");
          const { page: colors, texts } = await measureContrast(w.page, '[data-testid="login-card"]');
          assert.equal(colors.scheme, scheme);
          assert.ok(texts.length >= 3, `texts measured on the card (${texts.length})`);
          assert.deepEqual(belowAA(texts), [], `${scheme}: text below AA on the login card`);
          await screenshot(w.page, `login-${scheme}`);
          // Enter on an empty field says what is missing, without asking the server.
          await w.page.getByTestId("login-key").press("Enter");
          await w.page.getByText("Enter an API key").waitFor();
          await assertOnLoginCard(w.page);
          assert.deepEqual(w.errors, [], "uncaught errors in the page");
        } finally {
          await w.close();
        }
      }
    });

    await t.step("behind the login card no API data is asked for and no socket opens", async () => {
      const w = await openPage(rig.browser);
      try {
        // Live mode was on in an earlier visit: its socket must still wait for a session.
        await w.context.addInitScript(() => localStorage.setItem("argus.live", "1"));
        const api: string[] = [];
        const sockets: string[] = [];
        w.page.on("request", (r) => {
          const url = new URL(r.url());
          if (url.pathname.startsWith("/api/")) api.push(`${r.method()} ${url.pathname}`);
        });
        w.page.on("websocket", (ws) => sockets.push(new URL(ws.url()).pathname));
        const opened = (path: string) => sockets.includes(path);
        await w.page.goto(`${http}/`);
        await assertOnLoginCard(w.page);
        await w.page.waitForTimeout(1500);
        assert.deepEqual([...new Set(api)], ["GET /api/session"], "only the session was asked for");
        assert.deepEqual(sockets, [], "no WebSocket behind the login card");

        // Signed in, the live socket opens (and is accepted: the cookie goes with it).
        await typeKey(w.page, ACME_READ);
        await w.page.getByTestId("session-tenant").waitFor();
        const until = Date.now() + 30_000;
        while (!opened("/ws/events") && Date.now() < until) await w.page.waitForTimeout(100);
        assert.ok(opened("/ws/events"), `live socket opened after sign-in (${sockets})`);
        assert.equal(await statValue(w.page, "total_traces"), "1");
        assert.deepEqual(w.errors, [], "uncaught errors in the page");
      } finally {
        await w.close();
      }
    });

    // One context from here on: the session cookie carries across the steps.
    const w = await openPage(rig.browser);
    const { page } = w;
    try {
      await t.step("a wrong key is refused and the card stays", async () => {
        await page.goto(`${http}/`);
        await assertOnLoginCard(page);
        await typeKey(page, "not-a-key-of-this-server");
        const error = page.getByTestId("login-error");
        await error.waitFor();
        assert.match(await error.innerText(), /not recognised/i);
        await assertOnLoginCard(page);
        assert.equal(await statusFromPage(page, "/api/traces"), 401);
      });

      await t.step("an ingest key is refused: it can only send telemetry", async () => {
        await typeKey(page, ACME_INGEST);
        const error = page.getByTestId("login-error");
        await error.filter({ hasText: /only send telemetry/ }).waitFor();
        const text = await error.innerText();
        assert.match(text, /may not read/, "the server's reason");
        assert.match(text, /read or admin key/, "what to use instead");
        await assertOnLoginCard(page);
        await screenshot(page, "login-ingest-key-refused");
      });

      await t.step("acme's read key opens acme's data, and only acme's", async () => {
        await typeKey(page, ACME_READ);
        assert.equal(await page.getByTestId("session-tenant").innerText(), "acme · read");
        await page.getByTestId("logout").waitFor();
        assert.equal(await page.getByTestId("login-form").count(), 0);
        assert.equal(await statValue(page, "total_traces"), "1");
        assert.equal(await statValue(page, "active_services"), "1");

        await page.getByTestId("nav-traces").click();
        await page.waitForURL("**/traces");
        await waitForCount(page, '[data-testid="trace-row"]', 1);
        assert.equal(
          await page.getByTestId("trace-row").getAttribute("data-trace-id"),
          ACME_TRACE,
        );
        assert.equal(await page.locator(`[data-trace-id="${BETA_TRACE}"]`).count(), 0);
        assert.match(await page.getByTestId("trace-row").innerText(), /acme-shop/);
        assert.doesNotMatch(await page.locator("body").innerText(), /beta-shop/);
        await screenshot(page, "login-signed-in-traces");
      });

      await t.step("a reload keeps the session (cookie)", async () => {
        await page.reload();
        await waitForCount(page, '[data-testid="trace-row"]', 1);
        assert.equal(await page.getByTestId("session-tenant").innerText(), "acme · read");
        assert.equal(await page.getByTestId("login-form").count(), 0);
        assert.equal(await statusFromPage(page, "/api/traces"), 200);
        // On a narrower screen the header's session part shrinks to an icon and still fits.
        await page.setViewportSize({ width: 1024, height: 700 });
        const logout = page.getByRole("button", { name: "Sign out (acme · read)" });
        await logout.waitFor();
        await page.getByRole("link", { name: "Traces" }).waitFor(); // icon-only navigation
        await screenshot(page, "login-header-1024");
        for (const control of [logout, page.getByTestId("theme-toggle")]) {
          const box = await control.boundingBox();
          assert.ok(
            box && box.x + box.width <= 1024,
            `header control inside the viewport (${JSON.stringify(box)})`,
          );
        }
        await page.setViewportSize({ width: 1440, height: 900 });
        await page.getByTestId("session-tenant").waitFor();
      });

      await t.step(
        "settings with a read key: live health over the socket, admin panels explained",
        async () => {
          await page.getByTestId("nav-settings").click();
          await page.getByTestId("health-stream").filter({ hasText: "live health" }).waitFor();
          await waitForCount(page, '[data-testid="needs-admin"]', 2);
          assert.equal(await page.getByTestId("dlq-replay").count(), 0);
          assert.equal(await page.getByTestId("error-notification").count(), 0, "no refused admin request");
          await page.getByTestId("nav-traces").click();
          await waitForCount(page, '[data-testid="trace-row"]', 1);
        },
      );

      await t.step("a session that ends returns to the login card without an error toast", async () => {
        await w.context.clearCookies();
        await page.getByTestId("refresh").click();
        await assertOnLoginCard(page);
        await page.getByTestId("login-ended").waitFor();
        assert.equal(await page.getByTestId("error-notification").count(), 0, "no toast for the 401");
        await typeKey(page, ACME_READ);
        await waitForCount(page, '[data-testid="trace-row"]', 1);
        assert.equal(await page.getByTestId("error-notification").count(), 0);
      });

      await t.step("signing out returns to the login card and the API refuses the page", async () => {
        await page.getByTestId("logout").click();
        await assertOnLoginCard(page);
        assert.equal(await page.getByTestId("login-ended").count(), 0, "signed out, not expired");
        assert.equal(await page.getByTestId("session-tenant").count(), 0);
        assert.equal(await statusFromPage(page, "/api/traces"), 401);
        await page.reload();
        await assertOnLoginCard(page);
      });

      await t.step("beta's read key sees beta's trace, not acme's left-overs", async () => {
        await typeKey(page, BETA_READ);
        assert.equal(await page.getByTestId("session-tenant").innerText(), "beta · read");
        await waitForCount(page, '[data-testid="trace-row"]', 1);
        assert.equal(await page.getByTestId("trace-row").getAttribute("data-trace-id"), BETA_TRACE);
        assert.equal(await page.getByTestId("error-notification").count(), 0);
      });

      assert.deepEqual(w.errors, [], "uncaught errors in the page");
    } finally {
      await w.close();
    }
  } finally {
    await rig.close();
  }
});
