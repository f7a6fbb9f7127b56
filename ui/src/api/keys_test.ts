import assert from "node:assert/strict";
import { DEFAULT_TRACE_FILTERS } from "../model/url_state.ts";
import { keys } from "./keys.ts";

Deno.test("live keys start with 'live' and REST keys never do", () => {
  const range = { kind: "relative" as const, duration: "15m" };
  assert.equal(keys.live.dashboard("")[0], "live");
  assert.equal(keys.live.traces("order")[0], "live");
  assert.notEqual(keys.metrics.dashboard(range, [])[0], "live");
  assert.notEqual(keys.traces.list(DEFAULT_TRACE_FILTERS, range)[0], "live");
});

Deno.test("a relative range is keyed by its name so refetches keep the key", () => {
  const a = keys.metrics.traffic({ kind: "relative", duration: "1h" }, []);
  const b = keys.metrics.traffic({ kind: "relative", duration: "1h" }, []);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, keys.metrics.traffic({ kind: "relative", duration: "6h" }, []));
});
