/**
 * API keys, roles and UI sessions (SPEC §10). With no keys configured the
 * server is open and the tenant comes from `X-Scope-OrgID`; with keys, every
 * OTLP, REST and WebSocket request needs a key (or, for REST and WebSockets, the
 * session cookie) and the key decides the tenant.
 *
 * Keys are compared in constant time: each presented key and each configured
 * key are reduced to an HMAC under a per-process secret, and every configured
 * key is compared, so neither the length nor the position of a match shows in
 * the timing. Keys never reach a log line, a metric or an error message.
 *
 * @module
 */

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ApiKey, Role } from "../config.ts";
import { tenantFromHeader } from "./tenant.ts";

/** Who is calling: the tenant the request acts for and what it may do. */
export interface Principal {
  tenant: string;
  role: Role | "open";
}

/** What a request wants to do. */
export type Access = "ingest" | "read" | "admin";

/** No credentials, or credentials that match nothing: 401 / UNAUTHENTICATED. */
export class UnauthenticatedError extends Error {
  readonly code = "unauthenticated";
  constructor() {
    super("Authentication required: send an API key as `Authorization: Bearer <key>` or `X-API-Key`");
    this.name = "UnauthenticatedError";
  }
}

/** Valid credentials without the right role: 403 / PERMISSION_DENIED. */
export class ForbiddenError extends Error {
  readonly code = "forbidden";
  constructor(access: Access) {
    super(
      `This key may not ${
        access === "ingest" ? "send telemetry" : access === "admin" ? "administer" : "read"
      }`,
    );
    this.name = "ForbiddenError";
  }
}

const ALLOWED: Record<Access, readonly (Role | "open")[]> = {
  ingest: ["ingest", "admin", "open"],
  read: ["read", "admin", "open"],
  admin: ["admin", "open"],
};

/** The cookie that carries a UI session. */
export const SESSION_COOKIE = "argus_session";

interface Session extends Principal {
  expires: number;
}

/** Headers in the shape both HTTP and gRPC metadata can give. */
export interface CredentialSource {
  /** The first value of a header (lowercase name), or null. */
  get(name: string): string | null;
}

/** Checks keys and sessions; one per server. */
export class Authenticator {
  readonly enabled: boolean;
  readonly #secret = randomBytes(32);
  readonly #keys: { digest: Buffer; tenant: string; role: Role }[];
  readonly #sessions = new Map<string, Session>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(keys: readonly ApiKey[], sessionTtlMs: number, now: () => number = Date.now) {
    this.enabled = keys.length > 0;
    this.#keys = keys.map((k) => ({ digest: this.#digest(k.key), tenant: k.tenant, role: k.role }));
    this.#ttlMs = sessionTtlMs;
    this.#now = now;
  }

  #digest(text: string): Buffer {
    return createHmac("sha256", this.#secret).update(text).digest();
  }

  /** The configured key matching `presented`, comparing against all of them. */
  #match(presented: string): { tenant: string; role: Role } | undefined {
    const d = this.#digest(presented);
    let found: { tenant: string; role: Role } | undefined;
    for (const k of this.#keys) {
      if (timingSafeEqual(d, k.digest) && !found) found = { tenant: k.tenant, role: k.role };
    }
    return found;
  }

  /** The key a request presents, from `Authorization: Bearer` or `X-API-Key`. */
  static presentedKey(src: CredentialSource): string | undefined {
    const auth = src.get("authorization");
    const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (bearer) return bearer[1].trim();
    return src.get("x-api-key")?.trim() || undefined;
  }

  /**
   * The principal of a request for `access`. Open servers take the tenant from
   * `X-Scope-OrgID`; otherwise a key (or, when `cookie` is given, a session) decides it.
   *
   * @throws {UnauthenticatedError} | {ForbiddenError} | BadRequestError (bad tenant header)
   */
  authorize(src: CredentialSource, access: Access, cookie?: string | null): Principal {
    if (!this.enabled) return { tenant: tenantFromHeader(src.get("x-scope-orgid")), role: "open" };
    const key = Authenticator.presentedKey(src);
    let principal: Principal | undefined;
    if (key !== undefined) principal = this.#match(key);
    else if (cookie) principal = this.session(cookie);
    if (!principal) throw new UnauthenticatedError();
    if (!ALLOWED[access].includes(principal.role)) throw new ForbiddenError(access);
    return principal;
  }

  /** Opens a session for a read or admin key; returns its id, or throws. */
  openSession(key: string): { id: string; principal: Principal; maxAgeS: number } {
    const match = this.enabled ? this.#match(key) : undefined;
    if (!match) throw new UnauthenticatedError();
    if (match.role === "ingest") throw new ForbiddenError("read");
    this.#sweep();
    const id = randomBytes(32).toString("base64url");
    this.#sessions.set(id, { tenant: match.tenant, role: match.role, expires: this.#now() + this.#ttlMs });
    return {
      id,
      principal: { tenant: match.tenant, role: match.role },
      maxAgeS: Math.floor(this.#ttlMs / 1000),
    };
  }

  /** The principal of a live session id, or undefined. */
  session(id: string): Principal | undefined {
    const s = this.#sessions.get(id);
    if (!s) return undefined;
    if (s.expires <= this.#now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return { tenant: s.tenant, role: s.role };
  }

  /** Ends a session. */
  closeSession(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, s] of this.#sessions) if (s.expires <= now) this.#sessions.delete(id);
  }
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}
