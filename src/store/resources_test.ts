import assert from "node:assert/strict";
import { log, span } from "../../tests/support/fixtures.ts";
import { resourceId, ResourceIds, resourcesToWrite } from "./resources.ts";

Deno.test("resource ids: the first 32 hex digits of the SHA-256 of the JSON text, stable across releases", () => {
  // Stored ids must not change meaning: pinned to a known answer.
  assert.equal(resourceId("{}"), "44136fa355b3678a1146ad16f7e8649e");
  assert.notEqual(resourceId('{"a":1,"b":2}'), resourceId('{"b":2,"a":1}'));
  const ids = new ResourceIds();
  assert.equal(ids.of('{"a":1}'), resourceId('{"a":1}'));
  ids.of('{"a":1}');
  ids.of("{}");
  assert.deepEqual(ids.ids().sort(), [resourceId('{"a":1}'), resourceId("{}")].sort());
});

Deno.test("resources to write: one per resource, latest span start or log time, never lower than stored", () => {
  const a = '{"service.name":"a"}', b = '{"service.name":"b"}', c = '{"service.name":"c"}';
  const ids = new ResourceIds();
  const rows = resourcesToWrite(
    [
      span({ start_us: 100, resource_attributes: a }),
      span({ start_us: 300, resource_attributes: a }),
      span({ start_us: 50, resource_attributes: b }),
      span({ start_us: 70, resource_attributes: c }),
    ],
    [
      log(1, { timestamp_us: 200, resource_attributes: a }),
      log(2, { timestamp_us: 90, resource_attributes: b }),
    ],
    ids,
    // b was seen later already (nothing to write); c earlier (raised).
    new Map([[ids.of(b), 1000], [ids.of(c), 60]]),
  );
  assert.deepEqual(rows, [
    { resource_id: ids.of(a), attributes: a, last_seen_us: 300 },
    { resource_id: ids.of(c), attributes: c, last_seen_us: 70 },
  ]);
});
