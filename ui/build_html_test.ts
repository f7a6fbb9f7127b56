import assert from "node:assert/strict";
import { ASSETS_MARKER, findEntryAssets, renderIndexHtml } from "./build_html.ts";

const meta = {
  outputs: {
    "dist/assets/main-AAAA1111.js": {
      entryPoint: "ui/src/main.tsx",
      imports: [
        { path: "dist/assets/chunk-BBBB2222.js", kind: "import-statement" },
        { path: "dist/assets/TracePage-CCCC3333.js", kind: "dynamic-import" },
      ],
    },
    "dist/assets/main-AAAA1111.js.map": { imports: [] },
    "dist/assets/chunk-BBBB2222.js": { imports: [] },
    "dist/assets/styles-DDDD4444.css": { entryPoint: "ui/src/styles.css", imports: [] },
    "dist/assets/inter-latin-wght-normal-EEEE5555.woff2": { imports: [] },
  },
};

Deno.test("findEntryAssets finds the hashed entry files and static imports only", () => {
  assert.deepEqual(findEntryAssets(meta, "dist", "ui/src/main.tsx", "ui/src/styles.css"), {
    script: "/assets/main-AAAA1111.js",
    styles: ["/assets/styles-DDDD4444.css"],
    preload: ["/assets/chunk-BBBB2222.js"],
  });
});

Deno.test("findEntryAssets fails clearly without the JS entry", () => {
  assert.throws(
    () => findEntryAssets({ outputs: {} }, "dist", "ui/src/main.tsx", "ui/src/styles.css"),
    /Cannot find the output of "ui\/src\/main.tsx"/,
  );
});

Deno.test("renderIndexHtml puts styles, preloads and the module script at the marker", () => {
  const html = renderIndexHtml(`<head>${ASSETS_MARKER}</head>`, {
    script: "/assets/main-A.js",
    styles: ["/assets/styles-B.css"],
    preload: ["/assets/chunk-C.js"],
  });
  assert.equal(
    html,
    '<head><link rel="stylesheet" href="/assets/styles-B.css" />\n    ' +
      '<link rel="modulepreload" href="/assets/chunk-C.js" />\n    ' +
      '<script type="module" src="/assets/main-A.js"></script></head>',
  );
  assert.throws(
    () => renderIndexHtml("<head></head>", { script: "/a.js", styles: [], preload: [] }),
    /marker/,
  );
});

Deno.test("the real template carries the marker and references no other host", async () => {
  const template = await Deno.readTextFile(new URL("./index.html", import.meta.url));
  assert.ok(template.includes(ASSETS_MARKER));
  assert.doesNotMatch(template, /(src|href)="(https?:)?\/\//);
});
