/**
 * A small router over URLPattern: routes are matched in the order added; a path
 * that matches with another method answers 405 with `Allow`.
 *
 * @module
 */

/** What a handler receives besides the request. */
export interface RouteContext {
  /** Named groups of the matched pattern, e.g. `{ trace_id: "…" }`. */
  params: Record<string, string>;
  url: URL;
}

/** A request handler. */
export type Handler = (req: Request, ctx: RouteContext) => Response | Promise<Response>;

interface Route {
  method: string;
  pattern: URLPattern;
  handler: Handler;
}

/** Matches method and path to a handler. */
export class Router {
  readonly #routes: Route[] = [];

  /** Adds a route; `path` is a URLPattern pathname such as `/api/traces/:trace_id`. */
  on(method: string, path: string, handler: Handler): this {
    this.#routes.push({ method, pattern: new URLPattern({ pathname: path }), handler });
    return this;
  }

  /** The handler's response, a 405 when only the method is wrong, or undefined when nothing matches. */
  async handle(req: Request, url: URL): Promise<Response | undefined> {
    const allowed: string[] = [];
    for (const r of this.#routes) {
      const m = r.pattern.exec({ pathname: url.pathname });
      if (!m) continue;
      if (r.method !== req.method && !(r.method === "GET" && req.method === "HEAD")) {
        allowed.push(r.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.pathname.groups)) if (v !== undefined) params[k] = v;
      return await r.handler(req, { params, url });
    }
    if (allowed.length > 0) {
      return Response.json(
        { error: `Method ${req.method} is not allowed on ${url.pathname}; use ${allowed.join(", ")}` },
        { status: 405, headers: { Allow: [...new Set(allowed)].join(", ") } },
      );
    }
    return undefined;
  }
}
