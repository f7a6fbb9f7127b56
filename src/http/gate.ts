/**
 * The access gate in front of the HTTP routes (SPEC §10): which role each path
 * needs, who the caller is, and the UI session endpoints. OTLP routes check
 * their own `ingest` access inside the OTLP adapter (so refusals carry a
 * google.rpc.Status), the SPA's static files are open (the login form must load).
 *
 * | path | needs |
 * |---|---|
 * | `/api/admin/*` | admin |
 * | other `/api/*`, `/ws*`, `/metrics` | read or admin key, or the session cookie |
 * | `/api/session` | nothing (it is how a session starts) |
 *
 * @module
 */

import { type Access, Authenticator, cookieValue, type Principal, SESSION_COOKIE } from "./auth.ts";
import { BadRequestError, errorStatus } from "./errors.ts";
import type { Router } from "./router.ts";

/** Gate settings. */
export interface GateOptions {
  /** Most WebSocket clients at once. */
  wsMaxClients: number;
  /** Open WebSocket clients now. */
  wsClients: () => number;
}

function errorResponse(err: unknown): Response {
  const s = errorStatus(err);
  const headers: Record<string, string> = {};
  if (s.retryAfterS) headers["Retry-After"] = String(s.retryAfterS);
  if (s.http === 401) headers["WWW-Authenticate"] = 'Bearer realm="argus"';
  return Response.json({ error: s.message }, { status: s.http, headers });
}

/** Decides access per request and remembers the principal for the route. */
export class Gate {
  readonly #auth: Authenticator;
  readonly #opts: GateOptions;
  readonly #principals = new WeakMap<Request, Principal>();

  constructor(auth: Authenticator, opts: GateOptions) {
    this.#auth = auth;
    this.#opts = opts;
  }

  /** The access a path needs, or undefined when the gate does not guard it. */
  static accessFor(pathname: string): Access | undefined {
    if (pathname === "/api/session") return undefined;
    if (pathname.startsWith("/api/admin/")) return "admin";
    if (pathname.startsWith("/api/") || pathname === "/ws" || pathname.startsWith("/ws/")) return "read";
    if (pathname === "/metrics") return "read";
    return undefined;
  }

  #authorize(req: Request, access: Access): Principal {
    return this.#auth.authorize(req.headers, access, cookieValue(req.headers.get("cookie"), SESSION_COOKIE));
  }

  /** A refusal to send, or undefined when the request may go on. */
  check(req: Request, url: URL): Response | undefined {
    const access = Gate.accessFor(url.pathname);
    if (!access) return undefined;
    try {
      this.#principals.set(req, this.#authorize(req, access));
    } catch (err) {
      return errorResponse(err);
    }
    if (
      (url.pathname === "/ws" || url.pathname.startsWith("/ws/")) &&
      this.#opts.wsClients() >= this.#opts.wsMaxClients
    ) {
      return Response.json({ error: "Too many WebSocket clients; retry later" }, {
        status: 503,
        headers: { "Retry-After": "10" },
      });
    }
    return undefined;
  }

  /** The tenant of a request that passed {@link check} (or, for OTLP, of an ingest request). */
  readonly tenantOf = (req: Request): string =>
    (this.#principals.get(req) ?? this.#authorize(req, "read")).tenant;

  /** The tenant of an OTLP/HTTP request: needs ingest access. */
  readonly ingestTenantOf = (req: Request): string => this.#auth.authorize(req.headers, "ingest").tenant;

  /** The tenant of OTLP/gRPC metadata: needs ingest access; a repeated tenant header is refused. */
  ingestTenantOfMetadata(get: (name: string) => unknown[]): string {
    if (get("x-scope-orgid").length > 1) {
      throw new BadRequestError("Cannot use x-scope-orgid: it was sent more than once");
    }
    return this.#auth.authorize({
      get: (name) => {
        const v = get(name);
        return v.length ? String(v[0]) : null;
      },
    }, "ingest").tenant;
  }

  /** `GET|POST|DELETE /api/session`: the UI's login state, log in with a key, log out. */
  routeSessions(router: Router): void {
    const secure = (req: Request, url: URL) =>
      url.protocol === "https:" || req.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https";
    router.on("GET", "/api/session", (req) => {
      if (!this.#auth.enabled) {
        return Response.json({ auth_required: false, authenticated: true, tenant: null, role: "open" });
      }
      try {
        const p = this.#authorize(req, "read");
        return Response.json({ auth_required: true, authenticated: true, tenant: p.tenant, role: p.role });
      } catch {
        return Response.json({ auth_required: true, authenticated: false, tenant: null, role: null });
      }
    });
    router.on("POST", "/api/session", async (req, { url }) => {
      if (!this.#auth.enabled) {
        return Response.json({ error: "No API keys are configured: the server is open" }, { status: 400 });
      }
      let key: string | undefined;
      try {
        const type = req.headers.get("content-type") ?? "";
        if (type.includes("application/json")) {
          const text = await req.text();
          if (text.length > 4096) throw new BadRequestError("Cannot parse the session request: too large");
          const body = JSON.parse(text);
          if (typeof body?.key === "string") key = body.key;
        }
      } catch (err) {
        if (err instanceof BadRequestError) return errorResponse(err);
        return errorResponse(
          new BadRequestError('Cannot parse the session request: expected {"key": "..."}'),
        );
      }
      try {
        const s = this.#auth.openSession(key ?? Authenticator.presentedKey(req.headers) ?? "");
        const cookie = `${SESSION_COOKIE}=${s.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${s.maxAgeS}` +
          (secure(req, url) ? "; Secure" : "");
        return Response.json({ tenant: s.principal.tenant, role: s.principal.role }, {
          headers: { "Set-Cookie": cookie },
        });
      } catch (err) {
        return errorResponse(err);
      }
    });
    router.on("DELETE", "/api/session", (req, { url }) => {
      const id = cookieValue(req.headers.get("cookie"), SESSION_COOKIE);
      if (id) this.#auth.closeSession(id);
      const cookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` +
        (secure(req, url) ? "; Secure" : "");
      return new Response(null, { status: 204, headers: { "Set-Cookie": cookie } });
    });
  }
}
