import assert from "node:assert/strict";
import type { Session } from "../model/session.ts";
import { ApiError } from "./client.ts";
import { keys } from "./keys.ts";
import { createQueryClient } from "./query_client.ts";
import { forgetData, signIn, signOut, toSession } from "./session.ts";

const ACME: Session = { authRequired: true, authenticated: true, tenant: "acme", role: "read" };
const OPEN: Session = { authRequired: false, authenticated: true, tenant: null, role: "open" };

function withFetch(handler: (url: string, init?: RequestInit) => Response, fn: () => Promise<void>) {
  return async () => {
    const original = globalThis.fetch;
    globalThis.fetch =
      ((input: string | URL | Request, init?: RequestInit) =>
        Promise.resolve(handler(String(input), init))) as typeof fetch;
    try {
      await fn();
    } finally {
      globalThis.fetch = original;
    }
  };
}

const refused = () => Promise.reject(new ApiError("Authentication required", 401, "GET /api/traces"));

Deno.test("toSession: the server's answer, and 'open' when it says nothing", () => {
  assert.deepEqual(
    toSession({ auth_required: true, authenticated: false, tenant: null, role: null }),
    { authRequired: true, authenticated: false, tenant: null, role: null },
  );
  assert.deepEqual(
    toSession({ auth_required: true, authenticated: true, tenant: "acme", role: "read" }),
    ACME,
  );
  assert.deepEqual(toSession(undefined), {
    authRequired: false,
    authenticated: true,
    tenant: null,
    role: null,
  });
});

Deno.test("a 401 marks the session stale (back to the login card), an open server's never", async () => {
  for (const [session, invalidated] of [[ACME, true], [OPEN, false]] as const) {
    const client = createQueryClient();
    client.setQueryData(keys.session(), session);
    await client.fetchQuery({ queryKey: ["traces"], queryFn: refused, retry: false }).catch(() => {});
    assert.equal(client.getQueryState(keys.session())?.isInvalidated, invalidated);
    client.clear();
  }
});

Deno.test(
  "signIn posts the key, then reads the session back",
  withFetch(
    (url, init) => {
      if (init?.method === "POST") {
        assert.equal(url, "/api/session");
        assert.deepEqual(JSON.parse(String(init.body)), { key: "read-key-acme-000001" });
        return Response.json({ tenant: "acme", role: "read" });
      }
      return Response.json({ auth_required: true, authenticated: true, tenant: "acme", role: "read" });
    },
    async () => {
      const client = createQueryClient();
      assert.deepEqual(await signIn(client, "read-key-acme-000001"), ACME);
      assert.deepEqual(client.getQueryData(keys.session()), ACME);
      client.clear();
    },
  ),
);

Deno.test(
  "signIn throws the server's refusal",
  withFetch(
    () => Response.json({ error: "This key may not read" }, { status: 403 }),
    async () => {
      const client = createQueryClient();
      const err = await signIn(client, "ingest").catch((e) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 403);
      assert.equal(err.message, "This key may not read");
      client.clear();
    },
  ),
);

Deno.test(
  "signOut ends the session; forgetData keeps only the session",
  withFetch(
    (url, init) => {
      assert.equal(`${init?.method} ${url}`, "DELETE /api/session");
      return new Response(null, { status: 204 });
    },
    async () => {
      const client = createQueryClient();
      client.setQueryData(keys.session(), ACME);
      client.setQueryData(["traces", "list"], { items: [1] });
      await signOut(client);
      assert.equal(client.getQueryData<Session>(keys.session())?.authenticated, false);
      forgetData(client);
      assert.equal(client.getQueryData(["traces", "list"]), undefined);
      assert.ok(client.getQueryData(keys.session()));
      client.clear();
    },
  ),
);
