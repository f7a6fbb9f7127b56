import assert from "node:assert/strict";
import { originAllowed } from "./socket.ts";

const req = (headers: Record<string, string>, url = "http://argus.lan:8080/ws") =>
  new Request(url, { headers });

Deno.test("Origin: absent, own host (either scheme), or listed in ALLOWED_ORIGINS", () => {
  const allowed = ["https://grafana.example"];
  const cases: [Record<string, string>, boolean, string][] = [
    [{ host: "argus.lan:8080" }, true, "no Origin: not a browser"],
    [{ host: "argus.lan:8080", origin: "http://argus.lan:8080" }, true, "same origin"],
    [{ host: "ARGUS.lan:8080", origin: "http://argus.LAN:8080" }, true, "host case"],
    [{ host: "argus.lan", origin: "https://argus.lan" }, true, "behind a TLS proxy that keeps Host"],
    [{ host: "argus.lan:443", origin: "https://argus.lan" }, true, "default port written out"],
    [{ host: "argus.lan:8080", origin: "https://grafana.example" }, true, "listed"],
    [{ host: "argus.lan:8080", origin: "https://grafana.example/" }, true, "listed, trailing slash"],
    [{ host: "argus.lan:8080", origin: "http://grafana.example" }, false, "listed host, other scheme"],
    [{ host: "argus.lan:8080", origin: "http://evil.example" }, false, "foreign"],
    [{ host: "argus.lan:8080", origin: "http://argus.lan:9090" }, false, "own host, other port"],
    [{ host: "argus.lan:8080", origin: "http://argus.lan.evil.example:8080" }, false, "suffix trick"],
    [{ host: "argus.lan:8080", origin: "null" }, false, "opaque origin"],
    [{ host: "argus.lan:8080", origin: "file://argus.lan:8080" }, false, "not http(s)"],
    [{ host: "argus.lan:8080", origin: "not a url" }, false, "garbage"],
  ];
  for (const [headers, want, what] of cases) assert.equal(originAllowed(req(headers), allowed), want, what);
});
