import assert from "node:assert/strict";
import { ApiError, request } from "./client.ts";

function withFetch(
  handler: (url: string, init?: RequestInit) => Response | Promise<Response>,
  fn: () => Promise<void>,
) {
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

Deno.test(
  "request builds the query string and parses JSON",
  withFetch(
    (url) => {
      assert.equal(url, "/api/traces?service_name=a&service_name=b&limit=50");
      return Response.json({ data: [], total: 0 });
    },
    async () => {
      const params = new URLSearchParams([["service_name", "a"], ["service_name", "b"], ["limit", "50"]]);
      assert.deepEqual(await request("/api/traces", { params }), { data: [], total: 0 });
    },
  ),
);

Deno.test(
  "request throws the server's error message with the status",
  withFetch(
    () =>
      Response.json({ error: 'Cannot parse "start": expected RFC 3339 or Unix milliseconds' }, {
        status: 400,
      }),
    async () => {
      const err = await request("/api/traces").catch((e) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 400);
      assert.equal(err.message, 'Cannot parse "start": expected RFC 3339 or Unix milliseconds');
      assert.equal(err.request, "GET /api/traces");
    },
  ),
);

Deno.test(
  "request falls back to the body text or status for non-JSON errors",
  withFetch(
    () => new Response("", { status: 502, statusText: "Bad Gateway" }),
    async () => {
      const err = await request("/api/health").catch((e: Error) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.message, "502 Bad Gateway");
    },
  ),
);

Deno.test(
  "request reports a network failure as status 0",
  withFetch(
    () => {
      throw new TypeError("Failed to fetch");
    },
    async () => {
      const err = await request("/api/health").catch((e) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 0);
    },
  ),
);

Deno.test(
  "request sends JSON bodies and accepts an empty 202",
  withFetch(
    async (_url, init) => {
      assert.equal(init?.method, "POST");
      assert.equal(await new Response(init?.body).text(), '{"a":1}');
      return new Response(null, { status: 202 });
    },
    async () => {
      assert.equal(await request("/api/logs/1/insight", { method: "POST", body: { a: 1 } }), undefined);
    },
  ),
);
