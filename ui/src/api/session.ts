/**
 * The UI session: `GET /api/session` cached under `['session']`, sign-in
 * (`POST`, which sets the HttpOnly cookie) and sign-out (`DELETE`). The app
 * renders the login card or the pages from this one query; a 401 from any
 * other request marks it stale (see `query_client.ts`), so an expired session
 * leads back to the login card.
 *
 * @module
 */
import { type QueryClient, queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { type Session, type SessionGate, sessionGate, SIGNED_OUT } from "../model/session.ts";
import { request } from "./client.ts";
import { keys } from "./keys.ts";
import type { WireSession } from "./wire.ts";

/** Converts the wire answer; anything missing means "open", as servers before sessions were. */
export function toSession(w: Partial<WireSession> | undefined): Session {
  return {
    authRequired: w?.auth_required === true,
    authenticated: w?.auth_required === true ? w.authenticated === true : true,
    tenant: typeof w?.tenant === "string" ? w.tenant : null,
    role: typeof w?.role === "string" ? w.role : null,
  };
}

/** The session query: fetched once, then again only when something says it changed. */
export const sessionQuery = queryOptions({
  queryKey: keys.session(),
  queryFn: async ({ signal }) => toSession(await request<WireSession>("/api/session", { signal })),
  staleTime: Infinity,
  gcTime: Infinity,
});

/** The session (undefined until the first answer). */
export function useSession(): Session | undefined {
  return useQuery(sessionQuery).data;
}

/** What to show: loading, the login card or the app. */
export function useSessionGate(): SessionGate {
  const q = useQuery(sessionQuery);
  return sessionGate({ data: q.data, isPending: q.isPending });
}

/**
 * Asks the server again who we are, when sign-in is required at all: after a
 * 401, or when a socket closed (the session may have run out). Concurrent
 * calls share one request.
 */
export function recheckSession(client: QueryClient): void {
  const current = client.getQueryData<Session>(keys.session());
  if (current && !current.authRequired) return;
  client.invalidateQueries({ queryKey: keys.session(), exact: true }, { cancelRefetch: false });
}

/** {@link recheckSession} bound to the app's QueryClient. */
export function useRecheckSession(): () => void {
  const client = useQueryClient();
  return useCallback(() => recheckSession(client), [client]);
}

/**
 * Exchanges a key for the session cookie, then reads the session back (so a
 * browser that drops the cookie is noticed rather than bounced around).
 *
 * @throws {ApiError} when the server refuses the key
 */
export async function signIn(client: QueryClient, key: string): Promise<Session> {
  await request<unknown>("/api/session", { method: "POST", body: { key } });
  return await client.fetchQuery({ ...sessionQuery, staleTime: 0 });
}

/** Ends the session on the server and shows the login card. */
export async function signOut(client: QueryClient): Promise<void> {
  await request<unknown>("/api/session", { method: "DELETE" });
  client.setQueryData<Session>(keys.session(), SIGNED_OUT);
}

/**
 * Forgets every cached answer but the session's: called while the login card
 * shows, so the next user (perhaps of another tenant) never sees the last one's data.
 */
export function forgetData(client: QueryClient): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.session()[0] });
}
