/**
 * Serves the built UI from `dist/` (inside the compiled executable, the copy
 * included with `--include dist`). Hashed assets are cached for a year,
 * `index.html` never; an extension-less path is the SPA's, so it gets `index.html`.
 *
 * @module
 */

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  map: "application/json; charset=utf-8",
  json: "application/json; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  woff2: "font/woff2",
  woff: "font/woff",
  txt: "text/plain; charset=utf-8",
};

const MISSING_UI = `<!doctype html><html><head><meta charset="utf-8"><title>Argus</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>Argus is running</h1>
<p>The web UI has not been built. Run <code>deno task build:ui</code> (or start with
<code>deno task start</code>, which builds it) and reload this page.</p>
<p>The API answers under <code>/api/</code>; OTLP is accepted on the gRPC and HTTP ports.</p>
</body></html>`;

/** Serves files below `root`. */
export function staticFiles(root: URL = new URL("../../dist/", import.meta.url)) {
  return async function serve(req: Request, url: URL): Promise<Response> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("Method Not Allowed", { status: 405, headers: { Allow: "GET, HEAD" } });
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return new Response("Bad Request", { status: 400 });
    }
    const last = path.split("/").pop() ?? "";
    const isAsset = last.includes(".");
    // Normalise away any attempt to climb out of root.
    const rel = path.split("/").filter((p) => p !== "" && p !== "." && p !== "..").join("/");
    const file = isAsset && rel !== "" ? rel : "index.html";
    let body: Uint8Array;
    try {
      body = await Deno.readFile(new URL(file, root));
    } catch {
      if (file === "index.html") {
        return new Response(MISSING_UI, {
          status: 200,
          headers: { "Content-Type": TYPES.html, "Cache-Control": "no-cache" },
        });
      }
      return new Response("Not Found", { status: 404, headers: { "Content-Type": TYPES.txt } });
    }
    const ext = file.slice(file.lastIndexOf(".") + 1).toLowerCase();
    const headers = new Headers({ "Content-Type": TYPES[ext] ?? "application/octet-stream" });
    headers.set(
      "Cache-Control",
      file === "index.html"
        ? "no-cache"
        : file.startsWith("assets/")
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    );
    return new Response(req.method === "HEAD" ? null : body as Uint8Array<ArrayBuffer>, { headers });
  };
}
