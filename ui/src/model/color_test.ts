import assert from "node:assert/strict";
import { errorLevel, fnv1a, SERVICE_PALETTE, serviceColor } from "./color.ts";

Deno.test("serviceColor is stable for a name and comes from the palette", () => {
  assert.equal(serviceColor("payment"), serviceColor("payment"));
  assert.ok(SERVICE_PALETTE.includes(serviceColor("payment")));
  assert.ok(SERVICE_PALETTE.includes(serviceColor("")));
});

Deno.test("serviceColor gives the simulator's seven services seven colours", () => {
  const names = ["auth", "user", "order", "payment", "inventory", "shipping", "notification"];
  const colours = new Set(names.map(serviceColor));
  assert.equal(colours.size, 7, `only ${colours.size} distinct colours`);
});

Deno.test("fnv1a matches the reference value", () => {
  assert.equal(fnv1a(""), 0x811c9dc5);
  assert.equal(fnv1a("a"), 0xe40c292c);
});

Deno.test("errorLevel uses 1% and 5% thresholds and idle without traffic", () => {
  assert.equal(errorLevel(0, 0), "idle");
  assert.equal(errorLevel(0, 100), "ok");
  assert.equal(errorLevel(1, 100), "warn");
  assert.equal(errorLevel(5, 100), "bad");
});

Deno.test("every service colour stands out on the light and the dark background", () => {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  for (const colour of SERVICE_PALETTE) {
    for (const background of ["#ffffff", "#242424", "#2e2e2e"]) {
      assert.ok(
        contrast(colour, background) >= 2,
        `${colour} on ${background}: ${contrast(colour, background)}`,
      );
    }
  }
});
