/**
 * Shared machinery of the browser tests: build `dist/` once when it is missing
 * or older than `ui/`, start Debian's Chromium through playwright-core, start
 * Argus, feed it over OTLP/HTTP (JSON, hex ids) and save screenshots into
 * `test-output/screenshots/`.
 *
 * @module
 */

import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { startTestArgus, type TestArgus } from "../support/argus.ts";

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");
const DIST = `${ROOT}/dist`;
const OUTPUT = `${ROOT}/test-output`;
/** Where the screenshots go (git-ignored). */
export const SCREENSHOTS = `${OUTPUT}/screenshots`;

/** Chromium from the distribution, never a downloaded one. */
const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

async function mtimeMs(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).mtime?.getTime() ?? 0;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return 0;
    throw err;
  }
}

/** The newest modification time of the files the UI bundle is made from. */
async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) newest = Math.max(newest, await newestSource(path));
    else if (!entry.name.endsWith("_test.ts")) newest = Math.max(newest, await mtimeMs(path));
  }
  return newest;
}

/** Whether `dist/index.html` exists, is newer than `ui/` and the lock file, and its script exists. */
async function distIsFresh(): Promise<boolean> {
  const built = await mtimeMs(`${DIST}/index.html`);
  if (built === 0) return false;
  const sources = Math.max(
    await newestSource(`${ROOT}/ui`),
    await mtimeMs(`${ROOT}/deno.json`),
    await mtimeMs(`${ROOT}/deno.lock`),
  );
  if (built < sources) return false;
  const html = await Deno.readTextFile(`${DIST}/index.html`);
  const script = /<script type="module" src="\/([^"]+)"/.exec(html)?.[1];
  return script !== undefined && await mtimeMs(`${DIST}/${script}`) > 0;
}

/**
 * Builds `dist/` with `deno task build:ui` unless it is fresh. Test files run in
 * parallel (`deno test --parallel`), so the check and the build happen under
 * an exclusive file lock: the first file builds, the others wait and find it fresh.
 */
export async function ensureUiBuilt(): Promise<void> {
  await Deno.mkdir(OUTPUT, { recursive: true });
  // Not inside dist/: the build deletes files there that it did not write.
  const lock = await Deno.open(`${OUTPUT}/.ui-build.lock`, { create: true, write: true });
  try {
    await lock.lock(true);
    if (await distIsFresh()) return;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "build:ui"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    if (!out.success || !(await distIsFresh())) {
      throw new Error(
        `Cannot build the UI (deno task build:ui): ${text.decode(out.stderr)}${text.decode(out.stdout)}`,
      );
    }
  } finally {
    await lock.unlock().catch(() => {});
    lock.close();
  }
}

/** Starts Chromium headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A page that records uncaught errors and dialogs, so tests can assert there were none. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions thrown in the page. */
  errors: string[];
  /** `alert`/`confirm`/`prompt` messages (each is dismissed). */
  dialogs: string[];
  close(): Promise<void>;
}

/** Options of a new page. */
export interface PageOptions {
  colorScheme?: "light" | "dark";
  viewport?: { width: number; height: number };
}

/** Opens a fresh context (own storage) and page. */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? "light",
    timezoneId: "UTC",
    locale: "en-GB",
    // The theme respects it: no transitions, so screenshots and colour readings are of settled pages.
    reducedMotion: "reduce",
  });
  // Generous: `deno task test` runs these beside the database suites on two cores.
  // Waits end as soon as the condition holds, so this costs nothing when all is well.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  return { page, context, errors, dialogs, close: () => context.close() };
}

/** Saves a full-page screenshot as `test-output/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true, animations: "disabled" });
  return path;
}

/** Everything one browser test file needs. */
export interface BrowserRig {
  argus: TestArgus;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the UI if needed, then starts Argus (SQLite) and Chromium. */
export async function startRig(env: Record<string, string> = {}): Promise<BrowserRig> {
  await ensureUiBuilt();
  const [argus, browser] = await Promise.all([startTestArgus(env), launchBrowser()]);
  return {
    argus,
    browser,
    async close() {
      await browser.close().catch(() => {});
      await argus.stop();
    },
  };
}

// ---------------------------------------------------------------------------
// OTLP/HTTP JSON (the wire format of opentelemetry-proto, ids as hex)

/** 32 hex characters: a readable trace id from a tag and a number. */
export const traceIdOf = (tag: number, n: number) =>
  tag.toString(16).padStart(8, "0") + n.toString(16).padStart(24, "0");
/** 16 hex characters from a number (never all zeros). */
export const spanIdOf = (n: number) => (n + 1).toString(16).padStart(16, "0");

type AttrValue = string | number | boolean;

function anyValue(v: AttrValue) {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

function keyValues(attrs: Record<string, AttrValue> = {}) {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));
}

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/** A span to send; times in epoch milliseconds (fractions allowed). */
export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  kind?: "INTERNAL" | "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER";
  startMs: number;
  durationMs: number;
  status?: "OK" | "ERROR";
  statusMessage?: string;
  attributes?: Record<string, AttrValue>;
}

const KINDS = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };

/** An ExportTraceServiceRequest (JSON mapping), one resource per service. */
export function tracesBody(spans: readonly SpanSpec[]) {
  const byService = Map.groupBy(spans, (s) => s.service);
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: keyValues({ "service.name": service, "host.name": "browser-test" }) },
      scopeSpans: [{
        scope: { name: "argus.browser-test", version: "1.0.0" },
        spans: list.map((s) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? "",
          name: s.name,
          kind: KINDS[s.kind ?? "SERVER"],
          startTimeUnixNano: nanos(s.startMs),
          endTimeUnixNano: nanos(s.startMs + s.durationMs),
          attributes: keyValues(s.attributes),
          status: s.status === "ERROR"
            ? { code: 2, message: s.statusMessage ?? "" }
            : s.status === "OK"
            ? { code: 1 }
            : {},
        })),
      }],
    })),
  };
}

/** A log record to send; time in epoch milliseconds. */
export interface LogSpec {
  service: string;
  body: string;
  severityNumber: number;
  severityText?: string;
  timeMs: number;
  traceId?: string;
  spanId?: string;
  attributes?: Record<string, AttrValue>;
}

/** An ExportLogsServiceRequest (JSON mapping), one resource per service. */
export function logsBody(logs: readonly LogSpec[]) {
  const byService = Map.groupBy(logs, (l) => l.service);
  return {
    resourceLogs: [...byService].map(([service, list]) => ({
      resource: { attributes: keyValues({ "service.name": service }) },
      scopeLogs: [{
        scope: { name: "argus.browser-test" },
        logRecords: list.map((l) => ({
          timeUnixNano: nanos(l.timeMs),
          severityNumber: l.severityNumber,
          severityText: l.severityText ?? "",
          body: { stringValue: l.body },
          traceId: l.traceId ?? "",
          spanId: l.spanId ?? "",
          attributes: keyValues(l.attributes),
        })),
      }],
    })),
  };
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  // 200 means stored (SPEC §5: acknowledged only once in the database or the DLQ).
  if (res.status !== 200 || text.includes("rejected")) {
    throw new Error(`OTLP export to ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  }
}

/** Sends spans over OTLP/HTTP JSON; resolves once Argus acknowledged (stored) them. */
export function sendSpans(argus: TestArgus, spans: readonly SpanSpec[]): Promise<void> {
  return post(`${argus.otlpHttp}/v1/traces`, tracesBody(spans));
}

/** Sends log records over OTLP/HTTP JSON; resolves once stored. */
export function sendLogs(argus: TestArgus, logs: readonly LogSpec[]): Promise<void> {
  return post(`${argus.otlpHttp}/v1/logs`, logsBody(logs));
}

// ---------------------------------------------------------------------------
// Small page helpers

/** Text of every element matching `selector`, in document order. */
export function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allInnerTexts();
}

/** Waits until `selector` matches exactly `n` elements. */
export async function waitForCount(page: Page, selector: string, n: number, timeout = 30_000) {
  await page.waitForFunction(
    ([sel, want]) => document.querySelectorAll(sel as string).length === want,
    [selector, n] as const,
    { timeout },
  ).catch(async (err) => {
    const got = await page.locator(selector).count();
    throw new Error(`Expected ${n} × ${selector}, found ${got}`, { cause: err });
  });
}

/** The text of the value of a dashboard stat card (`total_traces`, …) once it is shown. */
export async function statValue(page: Page, key: string): Promise<string> {
  const value = page.locator(`[data-stat="${key}"] [data-testid="stat-value"]`);
  await value.waitFor();
  return (await value.innerText()).trim();
}

/**
 * How many pixels of the canvas inside `selector` are within a small distance
 * of `rgb`, ignoring the top `skipTopPx` CSS pixels (a chart's legend): proof
 * that a chart drew its data, not just its axes.
 */
export function canvasPixels(
  page: Page,
  selector: string,
  rgb: [number, number, number],
  skipTopPx = 0,
): Promise<number> {
  return page.locator(`${selector} canvas`).first().evaluate((canvas, [color, skip]) => {
    const c = canvas as HTMLCanvasElement;
    const scale = c.height / c.getBoundingClientRect().height;
    const top = Math.round((skip as number) * scale);
    const data = c.getContext("2d")!.getImageData(0, top, c.width, c.height - top).data;
    const [r, g, b] = color as number[];
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n++;
    }
    return n;
  }, [rgb, skipTopPx] as const);
}
