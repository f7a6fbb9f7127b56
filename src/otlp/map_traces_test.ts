import assert from "node:assert/strict";
import { fixtureText, tracesFixtureAsProtobuf } from "../../tests/fixtures/otlp/fixtures.ts";
import { decodeTraceRequestJson } from "./decode_json.ts";
import { decodeTraceRequestProtobuf } from "./decode_protobuf.ts";
import { mapTraces } from "./map_traces.ts";
import { ATTR_HASHES, attributeHashes } from "../store/attr_bloom.ts";
import type { ExportTraceServiceRequest, Span } from "./types.ts";

const fromProtobuf = () =>
  mapTraces(decodeTraceRequestProtobuf(tracesFixtureAsProtobuf("traces_mixed.json")));
const fromJson = () => mapTraces(decodeTraceRequestJson(fixtureText("traces_mixed.json")));

const id = (size: number, fill: number) => new Uint8Array(size).fill(fill);
function request(spans: Span[], serviceName?: unknown): ExportTraceServiceRequest {
  const attributes = serviceName === undefined ? [] : [{ key: "service.name", value: serviceName as never }];
  return { resourceSpans: [{ resource: { attributes }, scopeSpans: [{ spans }] }] };
}

Deno.test("3 good spans + an all-zero trace id + a 7-byte span id → 3 rows, 2 rejected, explained", () => {
  for (const r of [fromProtobuf(), fromJson()]) {
    assert.equal(r.spans.length, 3);
    assert.equal(r.rejected, 2);
    assert.deepEqual(r.spans.map((s) => s.span_id), [
      "eee19b7ec3c1b174",
      "1111111111111111",
      "2222222222222222",
    ]);
    assert.equal(
      r.message,
      "Rejected 2 of 5 spans: trace id is all zero (1); span id is 7 bytes, expected 8 (1)",
    );
  }
});

Deno.test("protobuf and JSON encodings of the same spans give identical rows", () => {
  assert.deepEqual(fromProtobuf(), fromJson());
});

Deno.test("span columns: ids, names, service, kind, times, status, scope", () => {
  const [rootRow, child] = fromProtobuf().spans;
  // The attribute pairs' hashes ride along for the trace's attribute filter (attr_bloom.ts).
  const { [ATTR_HASHES]: hashes, ...root } = rootRow;
  assert.deepEqual(hashes, attributeHashes(JSON.parse(root.attributes)));
  assert.equal(hashes?.length, 8);
  assert.deepEqual({ ...root, attributes: "", events: "", links: "", resource_attributes: "" }, {
    trace_id: "5b8efff798038103d269b633813fc60c",
    span_id: "eee19b7ec3c1b174",
    parent_span_id: "",
    name: "GET /cart",
    service_name: "checkout",
    kind: "SERVER",
    start_us: 1700000000123456, // floor of ...123456789 ns
    end_us: 1700000000223456,
    duration_us: 100000,
    status_code: "ERROR",
    status_message: "payment declined",
    attributes: "",
    resource_attributes: "",
    events: "",
    links: "",
    scope_name: "argus.fixture",
    scope_version: "1.2.3",
  });
  assert.equal(child.parent_span_id, "eee19b7ec3c1b174");
  assert.equal(child.kind, "CLIENT");
  assert.equal(child.status_code, "OK");
  assert.ok(child.end_us < child.start_us);
  assert.equal(child.duration_us, 0, "end before start gives duration 0, not negative");
});

Deno.test("attributes become a JSON object of plain values; duplicates keep the last", () => {
  const attrs = JSON.parse(fromProtobuf().spans[0].attributes);
  assert.deepEqual(attrs, {
    "http.method": "GET",
    "http.status_code": 200,
    sampled: true,
    ratio: 0.25,
    big: "9223372036854775807",
    blob: "AQID",
    tags: ["a", 1],
    user: { id: "u-1" },
    dup: "last",
    nan: "NaN",
    empty: null,
  });
  assert.deepEqual(JSON.parse(fromProtobuf().spans[0].resource_attributes), {
    "service.name": "checkout",
    "host.cpu.count": 8,
  });
});

Deno.test("events and links are JSON arrays with hex ids and µs times", () => {
  const s = fromJson().spans[0];
  assert.deepEqual(JSON.parse(s.events), [
    {
      name: "cache miss",
      time_us: 1700000000150000,
      attributes: { "cache.key": "cart:1" },
      dropped_attributes_count: 2,
    },
  ]);
  assert.deepEqual(JSON.parse(s.links), [
    {
      trace_id: "0af7651916cd43dd8448eb211c80319c",
      span_id: "b7ad6b7169203331",
      trace_state: "vendor=1",
      attributes: { "link.kind": "follows" },
    },
  ]);
  const plain =
    mapTraces(request([{ traceId: id(16, 1), spanId: id(8, 2), events: [{ name: "e" }] }])).spans[0];
  assert.deepEqual(
    JSON.parse(plain.events),
    [{ name: "e", time_us: 0, attributes: {} }],
    "no dropped count when 0",
  );
  assert.equal(plain.links, "[]");
});

Deno.test("a parent id that is all zero or of the wrong length is stored as '' (root)", () => {
  const spans = [id(8, 0), id(7, 3), id(0, 0), id(8, 9)].map((parent) => ({
    traceId: id(16, 1),
    spanId: id(8, 2),
    parentSpanId: parent,
  }));
  assert.deepEqual(mapTraces(request(spans)).spans.map((s) => s.parent_span_id), [
    "",
    "",
    "",
    "0909090909090909",
  ]);
});

Deno.test("each invalid id is rejected alone with its reason", () => {
  const r = mapTraces(request([
    { traceId: id(16, 1), spanId: id(8, 2) },
    { traceId: id(17, 1), spanId: id(8, 2) },
    { traceId: null, spanId: id(8, 2) },
    { traceId: id(16, 1), spanId: id(8, 0) },
    { traceId: id(16, 1) },
  ]));
  assert.equal(r.spans.length, 1);
  assert.equal(r.rejected, 4);
  assert.equal(
    r.message,
    "Rejected 4 of 5 spans: trace id is 17 bytes, expected 16 (1); trace id is missing (1); span id is all zero (1); span id is missing (1)",
  );
  assert.deepEqual(mapTraces(request([{ traceId: id(16, 1), spanId: id(8, 2) }])).message, "");
});

Deno.test("service name: string service.name, else unknown_service", () => {
  const span = { traceId: id(16, 1), spanId: id(8, 2) };
  assert.equal(
    mapTraces(request([span], { stringValue: "api" })).spans[0].service_name,
    "api",
  );
  assert.equal(
    mapTraces(request([span], { intValue: 5 })).spans[0].service_name,
    "unknown_service",
  );
  assert.equal(
    mapTraces(request([span], { stringValue: "" })).spans[0].service_name,
    "unknown_service",
  );
  assert.equal(mapTraces(request([span])).spans[0].service_name, "unknown_service");
  assert.equal(
    mapTraces({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }).spans[0].service_name,
    "unknown_service",
  );
});

Deno.test("kind and status numbers map to names; unknown numbers to the unspecified name", () => {
  const kinds = [0, 1, 2, 3, 4, 5, 9].map((kind) => ({
    traceId: id(16, 1),
    spanId: id(8, 2),
    kind,
    status: { code: kind },
  }));
  const rows = mapTraces(request(kinds)).spans;
  assert.deepEqual(rows.map((s) => s.kind), [
    "UNSPECIFIED",
    "INTERNAL",
    "SERVER",
    "CLIENT",
    "PRODUCER",
    "CONSUMER",
    "UNSPECIFIED",
  ]);
  assert.deepEqual(rows.map((s) => s.status_code), [
    "UNSET",
    "OK",
    "ERROR",
    "UNSET",
    "UNSET",
    "UNSET",
    "UNSET",
  ]);
});

Deno.test("names, attribute keys and values, events and scope are cleaned of NUL and lone surrogates", () => {
  const str = (s: string) => ({ stringValue: s });
  const r = mapTraces({
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: str("svc\0") }] },
      scopeSpans: [{
        scope: { name: "lib\uD800", version: "1\0" },
        spans: [{
          traceId: id(16, 1),
          spanId: id(8, 2),
          name: "na\0me 😀",
          status: { code: 2, message: "bad\uDC00" },
          attributes: [{ key: "k\0ey", value: str("v\uD800al") }, {
            key: "arr",
            value: { arrayValue: { values: [str("\0")] } },
          }],
          events: [{ name: "ev\0" }],
        }],
      }],
    }],
  }).spans[0];
  assert.equal(r.name, "name 😀");
  assert.equal(r.service_name, "svc");
  assert.equal(r.scope_name, "lib\uFFFD");
  assert.equal(r.scope_version, "1");
  assert.equal(r.status_message, "bad\uFFFD");
  assert.deepEqual(JSON.parse(r.attributes), { key: "v\uFFFDal", arr: [""] });
  assert.equal(JSON.parse(r.events)[0].name, "ev");
  for (const v of Object.values(r)) {
    if (typeof v === "string") assert.ok(v.isWellFormed() && !v.includes("\0"));
  }
});

Deno.test("an attribute named __proto__ is kept as data", () => {
  const r = mapTraces(request([{
    traceId: id(16, 1),
    spanId: id(8, 2),
    attributes: [{ key: "__proto__", value: { stringValue: "x" } }],
  }])).spans[0];
  assert.equal(r.attributes, '{"__proto__":"x"}');
});

Deno.test("an empty request maps to nothing", () => {
  assert.deepEqual(mapTraces({}), { spans: [], rejected: 0, message: "" });
});
