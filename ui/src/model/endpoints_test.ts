import assert from "node:assert/strict";
import { otlpEndpoints } from "./endpoints.ts";

Deno.test("otlpEndpoints uses the page's host with the OTLP ports", () => {
  assert.deepEqual(otlpEndpoints("argus.lan"), {
    grpc: "http://argus.lan:4317",
    http: "http://argus.lan:4318",
  });
  assert.deepEqual(otlpEndpoints("10.1.2.3").grpc, "http://10.1.2.3:4317");
  assert.deepEqual(otlpEndpoints("[::1]").http, "http://[::1]:4318");
  assert.deepEqual(otlpEndpoints("fe80::1").grpc, "http://[fe80::1]:4317");
  assert.deepEqual(otlpEndpoints("").grpc, "http://localhost:4317");
});
