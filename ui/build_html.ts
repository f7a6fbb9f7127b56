/**
 * Pure helpers of the UI build: find the entry outputs in esbuild's metafile and
 * write the asset tags into the `index.html` template.
 *
 * @module
 */

/** The part of esbuild's metafile this module reads. */
export interface MetafileOutputs {
  outputs: Record<string, {
    entryPoint?: string;
    cssBundle?: string;
    imports: { path: string; kind: string; external?: boolean }[];
  }>;
}

/** URLs (from the site root) of the files `index.html` must reference. */
export interface EntryAssets {
  /** The main module script. */
  script: string;
  /** Style sheets, in order. */
  styles: string[];
  /** Chunks the main script imports statically, to preload. */
  preload: string[];
}

/** The marker in `ui/index.html` replaced by the asset tags. */
export const ASSETS_MARKER = "<!--argus:assets-->";

/**
 * Finds the outputs of the JS and CSS entry points in an esbuild metafile.
 *
 * @param meta esbuild metafile (paths relative to the working directory)
 * @param outdir the output directory as given to esbuild, e.g. `dist`
 * @param jsEntry the JS entry point as given to esbuild
 * @param cssEntry the CSS entry point as given to esbuild
 */
export function findEntryAssets(
  meta: MetafileOutputs,
  outdir: string,
  jsEntry: string,
  cssEntry: string,
): EntryAssets {
  const prefix = outdir.replace(/\/+$/, "") + "/";
  const toUrl = (p: string) => "/" + (p.startsWith(prefix) ? p.slice(prefix.length) : p);
  let script: string | undefined;
  const styles: string[] = [];
  const preload: string[] = [];
  for (const [path, out] of Object.entries(meta.outputs)) {
    if (path.endsWith(".map")) continue;
    if (out.entryPoint === jsEntry && path.endsWith(".js")) {
      script = toUrl(path);
      if (out.cssBundle) styles.push(toUrl(out.cssBundle));
      for (const imp of out.imports) {
        if (imp.kind === "import-statement" && !imp.external) preload.push(toUrl(imp.path));
      }
    } else if (out.entryPoint === cssEntry && path.endsWith(".css")) {
      styles.unshift(toUrl(path));
    }
  }
  if (!script) throw new Error(`Cannot find the output of "${jsEntry}" in the esbuild metafile`);
  return { script, styles, preload };
}

/** Escapes a URL for an HTML attribute value (file names are hashed, but be safe). */
function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/**
 * Returns the template with the asset marker replaced by `<link>` and `<script>` tags.
 *
 * @throws {Error} when the template has no marker
 */
export function renderIndexHtml(template: string, assets: EntryAssets): string {
  if (!template.includes(ASSETS_MARKER)) {
    throw new Error(`Cannot render index.html: the template lacks the marker ${ASSETS_MARKER}`);
  }
  const tags = [
    ...assets.styles.map((href) => `<link rel="stylesheet" href="${attr(href)}" />`),
    ...assets.preload.map((href) => `<link rel="modulepreload" href="${attr(href)}" />`),
    `<script type="module" src="${attr(assets.script)}"></script>`,
  ].join("\n    ");
  return template.replace(ASSETS_MARKER, tags);
}
