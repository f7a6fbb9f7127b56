import assert from "node:assert/strict";
import {
  canAdminister,
  describeSession,
  loginErrorMessage,
  type Session,
  sessionGate,
  SIGNED_OUT,
} from "./session.ts";

const OPEN: Session = { authRequired: false, authenticated: true, tenant: null, role: "open" };
const ACME: Session = { authRequired: true, authenticated: true, tenant: "acme", role: "read" };

Deno.test("sessionGate: login only when keys are required and this browser has no session", () => {
  assert.equal(sessionGate({ data: undefined, isPending: true }), "loading");
  assert.equal(sessionGate({ data: OPEN, isPending: false }), "app");
  assert.equal(sessionGate({ data: ACME, isPending: false }), "app");
  assert.equal(sessionGate({ data: SIGNED_OUT, isPending: false }), "login");
  // No answer at all (old server, network): the app, whose queries report the problem.
  assert.equal(sessionGate({ data: undefined, isPending: false }), "app");
});

Deno.test("canAdminister: open servers and admin keys", () => {
  assert.ok(canAdminister(undefined));
  assert.ok(canAdminister(OPEN));
  assert.ok(!canAdminister(ACME));
  assert.ok(canAdminister({ ...ACME, role: "admin" }));
});

Deno.test("describeSession: tenant and role", () => {
  assert.equal(describeSession(ACME), "acme · read");
  assert.equal(describeSession({ ...ACME, tenant: null }), "read");
});

Deno.test("loginErrorMessage: a refused ingest key explains what ingest keys are for", () => {
  const forbidden = loginErrorMessage(403, "This key may not read");
  assert.match(forbidden.message, /^This key may not read\. An ingest key can only send telemetry/);
  assert.match(forbidden.message, /read or admin key/);
  assert.match(loginErrorMessage(401, "Authentication required").title, /not recognised/);
  assert.equal(loginErrorMessage(429, "Too many attempts").message, "Too many attempts");
  assert.match(loginErrorMessage(0, "").title, /Cannot reach/);
});
