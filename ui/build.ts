/**
 * Bundles the web UI into `dist/` with esbuild: content-hashed JS, CSS and font
 * files under `dist/assets/`, and `dist/index.html` pointing at them. Files of a
 * previous build that the new one does not produce are removed.
 *
 * Usage: `deno task build:ui` (add `--watch` to rebuild on change, `--dev` to
 * skip minification).
 *
 * @module
 */
import * as esbuild from "esbuild";
import { findEntryAssets, type MetafileOutputs, renderIndexHtml } from "./build_html.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
const OUTDIR = "dist";
const JS_ENTRY = "ui/src/main.tsx";
const CSS_ENTRY = "ui/src/styles.css";
const TEMPLATE = `${ROOT}/ui/index.html`;

const watch = Deno.args.includes("--watch");
const dev = Deno.args.includes("--dev");

const options: esbuild.BuildOptions = {
  absWorkingDir: ROOT,
  entryPoints: [JS_ENTRY, CSS_ENTRY],
  outdir: OUTDIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: ["es2022", "chrome110", "firefox115", "safari16"],
  minify: !dev,
  sourcemap: "linked",
  metafile: true,
  write: false,
  jsx: "automatic",
  jsxImportSource: "react",
  entryNames: "assets/[name]-[hash]",
  chunkNames: "assets/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  publicPath: "/",
  loader: { ".woff2": "file", ".woff": "file" },
  define: { "process.env.NODE_ENV": JSON.stringify(dev ? "development" : "production") },
  legalComments: "linked",
  logLevel: "warning",
};

/** Lists every file under `dir`, as paths relative to it. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) found.push(...await listFiles(dir, rel));
      else found.push(rel);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return found;
}

/** Writes the build into `dist/`: assets first, then `index.html`, then removes stale files. */
async function writeDist(result: esbuild.BuildResult): Promise<void> {
  const outRoot = `${ROOT}/${OUTDIR}`;
  const files = new Map<string, Uint8Array | string>();
  for (const file of result.outputFiles ?? []) {
    files.set(file.path.slice(outRoot.length + 1), file.contents);
  }
  const assets = findEntryAssets(result.metafile as MetafileOutputs, OUTDIR, JS_ENTRY, CSS_ENTRY);
  const html = renderIndexHtml(await Deno.readTextFile(TEMPLATE), assets);

  for (const [rel, contents] of files) {
    const path = `${outRoot}/${rel}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    if (typeof contents === "string") await Deno.writeTextFile(path, contents);
    else await Deno.writeFile(path, contents);
  }
  // index.html last, so a server reading dist/ never points at files not yet written.
  await Deno.writeTextFile(`${outRoot}/index.html`, html);
  files.set("index.html", html);

  for (const rel of await listFiles(outRoot)) {
    if (!files.has(rel)) await Deno.remove(`${outRoot}/${rel}`);
  }
  const total = [...files.values()].reduce(
    (n, c) => n + (typeof c === "string" ? c.length : c.byteLength),
    0,
  );
  console.log(`ui: wrote ${files.size} files (${(total / 1024).toFixed(0)} KiB) to ${OUTDIR}/`);
}

const distPlugin: esbuild.Plugin = {
  name: "argus-dist",
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0) {
        console.error(`ui: build failed with ${result.errors.length} error(s); dist/ left as it was`);
        return;
      }
      await writeDist(result);
    });
  },
};

if (watch) {
  const ctx = await esbuild.context({ ...options, plugins: [distPlugin] });
  await ctx.watch();
  console.log("ui: watching ui/ for changes");
  // esbuild does not see the HTML template; rebuild when it changes.
  for await (const _event of Deno.watchFs(TEMPLATE)) await ctx.rebuild().catch(() => {});
} else {
  try {
    const result = await esbuild.build(options);
    await writeDist(result);
  } catch (err) {
    console.error(`ui: build failed: ${err instanceof Error ? err.message : err}`);
    Deno.exitCode = 1;
  } finally {
    await esbuild.stop();
  }
}
