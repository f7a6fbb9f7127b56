/**
 * Legibility measured in the page: WCAG contrast of every visible piece of
 * text against the background actually behind it (semi-transparent layers
 * composited), so a colour scheme that leaves text unreadable is caught.
 *
 * @module
 */

import type { Page } from "playwright-core";

/** One piece of text and its contrast. */
export interface TextContrast {
  text: string;
  color: string;
  background: string;
  ratio: number;
  /** WCAG "large text" (≥ 24 px, or ≥ 18.66 px bold): 3:1 suffices. */
  large: boolean;
}

/** The colours of the page itself. */
export interface PageColors {
  scheme: string | null;
  bodyBackground: [number, number, number];
  bodyText: [number, number, number];
  ratio: number;
  /** Relative luminance of the body background, 0 (black) to 1 (white). */
  backgroundLuminance: number;
}

/**
 * Measures the body colours and every visible text element inside `root`
 * (default the whole page). Disabled controls are skipped (WCAG exempts them).
 */
export function measureContrast(
  page: Page,
  root = "body",
): Promise<{ page: PageColors; texts: TextContrast[] }> {
  return page.evaluate((rootSelector) => {
    type RGBA = [number, number, number, number];
    const probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    /** Any CSS colour (rgb(), color(srgb …), oklab …) → RGBA 0..255, via a canvas pixel. */
    const parse = (css: string): RGBA => {
      const m = /^rgba?\(([^)]+)\)$/.exec(css);
      if (m) {
        const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
        return [r, g, b, a];
      }
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = "#000";
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top: RGBA, bottom: RGBA): RGBA => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const luminance = ([r, g, b]: RGBA | [number, number, number]) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (a: RGBA, b: RGBA) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const canvasBg = parse(getComputedStyle(document.documentElement).backgroundColor);
    const pageBg = over(
      parse(getComputedStyle(document.body).backgroundColor),
      canvasBg[3] ? canvasBg : [255, 255, 255, 1],
    );
    /** The colour behind `el`: its own and its ancestors' backgrounds, composited. */
    const backgroundOf = (el: Element | null): RGBA => {
      const layers: RGBA[] = [];
      for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let color: RGBA = layers.at(-1)?.[3] === 1 ? layers.pop()! : pageBg;
      while (layers.length) color = over(layers.pop()!, color);
      return color;
    };
    const fmt = (c: RGBA) => `rgb(${c.slice(0, 3).map(Math.round).join(", ")})`;

    const texts: {
      text: string;
      color: string;
      background: string;
      ratio: number;
      large: boolean;
    }[] = [];
    const rootEl = document.querySelector(rootSelector) ?? document.body;
    for (const el of rootEl.querySelectorAll("*")) {
      if (
        el.closest("svg, canvas, [aria-hidden='true'], [disabled], [data-disabled], [aria-disabled='true']")
      ) {
        continue;
      }
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== "visible") continue;
      let opacity = 1;
      for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      if (opacity < 0.1) continue;
      const bg = backgroundOf(el);
      const fg = over(parse(style.color).map((v, i) => (i === 3 ? v * opacity : v)) as RGBA, bg);
      const size = parseFloat(style.fontSize);
      texts.push({
        text: [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(
          "",
        )
          .trim().slice(0, 60),
        color: fmt(fg),
        background: fmt(bg),
        ratio: Math.round(ratio(fg, bg) * 100) / 100,
        large: size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700),
      });
    }
    const bodyText = parse(getComputedStyle(document.body).color);
    return {
      page: {
        scheme: document.documentElement.getAttribute("data-mantine-color-scheme"),
        bodyBackground: pageBg.slice(0, 3).map(Math.round) as [number, number, number],
        bodyText: bodyText.slice(0, 3).map(Math.round) as [number, number, number],
        ratio: Math.round(ratio(bodyText, pageBg) * 100) / 100,
        backgroundLuminance: Math.round(luminance(pageBg) * 1000) / 1000,
      },
      texts,
    };
  }, root);
}

/** Texts below WCAG AA: 4.5:1, or 3:1 for large text. */
export function belowAA(texts: TextContrast[]): TextContrast[] {
  return texts.filter((t) => t.ratio < (t.large ? 3 : 4.5));
}
