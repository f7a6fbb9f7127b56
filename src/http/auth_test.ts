import assert from "node:assert/strict";
import { Authenticator, cookieValue, ForbiddenError, UnauthenticatedError } from "./auth.ts";
import { BadRequestError } from "./errors.ts";

const keys = [
  { key: "ingest-key-0001", tenant: "acme", role: "ingest" as const },
  { key: "read-key-000001", tenant: "acme", role: "read" as const },
  { key: "admin-key-00001", tenant: "globex", role: "admin" as const },
];
const headers = (h: Record<string, string>) => new Headers(h);

Deno.test("open server: tenant from X-Scope-OrgID, validated", () => {
  const a = new Authenticator([], 60_000);
  assert.deepEqual(a.authorize(headers({}), "admin"), { tenant: "default", role: "open" });
  assert.equal(a.authorize(headers({ "x-scope-orgid": "team-1" }), "read").tenant, "team-1");
  for (const bad of ["..", ".", "%2e%2e", "a/b", "x".repeat(151), "a, b"]) {
    assert.throws(() => a.authorize(headers({ "x-scope-orgid": bad }), "read"), BadRequestError, bad);
  }
});

Deno.test("keys decide tenant and role", () => {
  const a = new Authenticator(keys, 60_000);
  assert.deepEqual(a.authorize(headers({ authorization: "Bearer ingest-key-0001" }), "ingest"), {
    tenant: "acme",
    role: "ingest",
  });
  // The key decides the tenant, whatever the header says.
  assert.equal(
    a.authorize(headers({ "x-api-key": "admin-key-00001", "x-scope-orgid": "acme" }), "admin").tenant,
    "globex",
  );
  assert.throws(() => a.authorize(headers({}), "read"), UnauthenticatedError);
  assert.throws(
    () => a.authorize(headers({ authorization: "Bearer read-key-000002" }), "read"),
    UnauthenticatedError,
  );
  assert.throws(() => a.authorize(headers({ authorization: "Bearer x" }), "read"), UnauthenticatedError);
  assert.throws(() => a.authorize(headers({ "x-api-key": "ingest-key-0001" }), "read"), ForbiddenError);
  assert.throws(() => a.authorize(headers({ "x-api-key": "read-key-000001" }), "ingest"), ForbiddenError);
  assert.throws(() => a.authorize(headers({ "x-api-key": "read-key-000001" }), "admin"), ForbiddenError);
});

Deno.test("errors never carry the key", () => {
  const a = new Authenticator(keys, 60_000);
  for (const k of ["read-key-000001", "nope-secret-123"]) {
    try {
      a.authorize(headers({ "x-api-key": k }), "admin");
    } catch (err) {
      assert.ok(!(err as Error).message.includes(k));
    }
  }
});

Deno.test("sessions: read/admin keys only, expire, can be closed", () => {
  let now = 0;
  const a = new Authenticator(keys, 1000, () => now);
  assert.throws(() => a.openSession("ingest-key-0001"), ForbiddenError);
  assert.throws(() => a.openSession("wrong"), UnauthenticatedError);
  const s = a.openSession("read-key-000001");
  assert.ok(s.id.length >= 40);
  assert.deepEqual(a.authorize(headers({}), "read", s.id), { tenant: "acme", role: "read" });
  assert.throws(() => a.authorize(headers({}), "admin", s.id), ForbiddenError);
  now = 1001;
  assert.throws(() => a.authorize(headers({}), "read", s.id), UnauthenticatedError);
  const t = a.openSession("admin-key-00001");
  a.closeSession(t.id);
  assert.throws(() => a.authorize(headers({}), "read", t.id), UnauthenticatedError);
});

Deno.test("cookie parsing", () => {
  assert.equal(cookieValue("a=1; argus_session=xyz; b=2", "argus_session"), "xyz");
  assert.equal(cookieValue("argus_sessionx=1", "argus_session"), null);
  assert.equal(cookieValue(null, "argus_session"), null);
});
