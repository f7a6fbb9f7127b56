import assert from "node:assert/strict";
import { fixtureText, nestedAnyValueJson } from "../../tests/fixtures/otlp/fixtures.ts";
import { decodeLogsRequestJson, decodeTraceRequestJson } from "./decode_json.ts";
import { OtlpDecodeError } from "./errors.ts";
import { mapLogs } from "./map_logs.ts";
import { mapTraces } from "./map_traces.ts";

const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";

function oneSpan(span: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, ...span }] }] }],
    ...extra,
  });
}

function refused(
  body: string,
  pattern: RegExp,
  decode: (b: string) => unknown = decodeTraceRequestJson,
): void {
  assert.throws(
    () => decode(body),
    (e: unknown) => e instanceof OtlpDecodeError && e.code === "invalid_argument" && pattern.test(e.message),
    `expected ${pattern} for ${body.slice(0, 120)}`,
  );
}

Deno.test("json: hex ids (either case) become lowercase hex, not base64", () => {
  const { spans } = mapTraces(
    decodeTraceRequestJson(oneSpan({ traceId: TRACE.toUpperCase(), parentSpanId: "AABBCCDDEEFF0011" })),
  );
  assert.equal(spans[0].trace_id, TRACE);
  assert.equal(spans[0].span_id, SPAN);
  assert.equal(spans[0].parent_span_id, "aabbccddeeff0011");
});

Deno.test("json: int64 accepted as a decimal string and as a number", () => {
  const asString = mapTraces(
    decodeTraceRequestJson(oneSpan({ startTimeUnixNano: "1000000", endTimeUnixNano: "3500999" })),
  );
  const asNumber = mapTraces(
    decodeTraceRequestJson(oneSpan({ startTimeUnixNano: 1000000, endTimeUnixNano: 3500999 })),
  );
  for (const { spans } of [asString, asNumber]) {
    assert.equal(spans[0].start_us, 1000);
    assert.equal(spans[0].end_us, 3500);
    assert.equal(spans[0].duration_us, 2500);
  }
  const attrs = [
    { key: "s", value: { intValue: "-12" } },
    { key: "n", value: { intValue: 12 } },
    { key: "big", value: { intValue: "-9223372036854775808" } },
  ];
  const { spans } = mapTraces(decodeTraceRequestJson(oneSpan({ attributes: attrs })));
  assert.deepEqual(JSON.parse(spans[0].attributes), { s: -12, n: 12, big: "-9223372036854775808" });
});

Deno.test("json: enums as integers and as names", () => {
  const byInt = mapTraces(decodeTraceRequestJson(oneSpan({ kind: 3, status: { code: 2 } }))).spans[0];
  const byName = mapTraces(
    decodeTraceRequestJson(oneSpan({ kind: "SPAN_KIND_CLIENT", status: { code: "STATUS_CODE_ERROR" } })),
  )
    .spans[0];
  for (const s of [byInt, byName]) {
    assert.equal(s.kind, "CLIENT");
    assert.equal(s.status_code, "ERROR");
  }
  const unknownName =
    mapTraces(decodeTraceRequestJson(oneSpan({ kind: "SPAN_KIND_FROM_THE_FUTURE" }))).spans[0];
  assert.equal(unknownName.kind, "UNSPECIFIED");
  const log = mapLogs(
    decodeLogsRequestJson(JSON.stringify({
      resourceLogs: [{
        scopeLogs: [{ logRecords: [{ severityNumber: "SEVERITY_NUMBER_FATAL3" }, { severityNumber: 10 }] }],
      }],
    })),
  ).logs;
  assert.deepEqual(log.map((l) => [l.severity_number, l.severity]), [[23, "FATAL"], [10, "INFO"]]);
});

Deno.test("json: unknown fields are ignored at every level, proto (snake_case) names accepted", () => {
  const body = JSON.stringify({
    futureTopLevel: 1,
    resource_spans: [{
      somethingNew: { a: [1, 2] },
      resource: { attributes: [{ key: "service.name", value: { stringValue: "svc", newKind: 1 } }], x: null },
      scope_spans: [{
        scope: { name: "lib", extra: true },
        spans: [{
          trace_id: TRACE,
          span_id: SPAN,
          parent_span_id: "",
          start_time_unix_nano: "5000",
          flavour: "new",
        }],
      }],
    }],
  });
  const { spans } = mapTraces(decodeTraceRequestJson(body));
  assert.equal(spans.length, 1);
  assert.equal(spans[0].service_name, "svc");
  assert.equal(spans[0].scope_name, "lib");
  assert.equal(spans[0].start_us, 5);
});

Deno.test("json: null means not set", () => {
  const { spans } = mapTraces(
    decodeTraceRequestJson(oneSpan({ name: null, attributes: null, status: null, kind: null })),
  );
  assert.equal(spans[0].name, "");
  assert.equal(spans[0].attributes, "{}");
  assert.equal(spans[0].kind, "UNSPECIFIED");
});

Deno.test("json: bytes values are base64 (standard or URL-safe), doubles may be special strings", () => {
  const attrs = [
    { key: "b", value: { bytesValue: "AQL/" } },
    { key: "u", value: { bytesValue: "AQL_" } },
    { key: "inf", value: { doubleValue: "-Infinity" } },
    { key: "d", value: { doubleValue: 1.5 } },
  ];
  const { spans } = mapTraces(decodeTraceRequestJson(oneSpan({ attributes: attrs })));
  assert.deepEqual(JSON.parse(spans[0].attributes), { b: "AQL/", u: "AQL/", inf: "-Infinity", d: 1.5 });
});

Deno.test("json: the mixed fixture maps like its protobuf twin (see map_traces_test)", () => {
  const { spans, rejected } = mapTraces(decodeTraceRequestJson(fixtureText("traces_mixed.json")));
  assert.equal(spans.length, 3);
  assert.equal(rejected, 2);
});

Deno.test("json: malformed JSON and non-UTF-8 bodies are refused", () => {
  refused('{"resourceSpans": [', /Cannot parse ExportTraceServiceRequest as JSON/);
  refused("", /as JSON/);
  assert.throws(() => decodeTraceRequestJson(new Uint8Array([0x7b, 0xff, 0x7d])), /not valid UTF-8/);
  assert.deepEqual(decodeTraceRequestJson(new TextEncoder().encode("\uFEFF{}")).resourceSpans, []);
  assert.deepEqual(decodeTraceRequestJson("\uFEFF{}").resourceSpans, []);
});

Deno.test("json: wrong types are refused with the path of the bad value", () => {
  refused("[]", /at top level: expected an object/);
  refused('{"resourceSpans": {}}', /at resourceSpans: expected an array/);
  refused(oneSpan({ name: 5 }), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.name: expected a string/);
  refused(oneSpan({ kind: true }), /spans\[0\]\.kind: expected an enum/);
  refused(oneSpan({ startTimeUnixNano: "12.5" }), /startTimeUnixNano: expected an unsigned 64-bit integer/);
  refused(oneSpan({ startTimeUnixNano: -1 }), /startTimeUnixNano/);
  refused(
    oneSpan({ traceId: "not-hex-at-all-not-hex-at-all-xx" }),
    /spans\[0\]\.traceId: expected a hex-encoded id/,
  );
  refused(oneSpan({ spanId: 12 }), /spanId: expected a hex-encoded id/);
  refused(
    oneSpan({ attributes: [{ key: "k", value: { intValue: 1.5 } }] }),
    /attributes\[0\]\.value\.intValue/,
  );
  refused(
    oneSpan({ attributes: [{ key: "k", value: { boolValue: "yes" } }] }),
    /boolValue: expected true or false/,
  );
  refused(oneSpan({ attributes: [{ key: 1 }] }), /attributes\[0\]\.key: expected a string/);
  refused(
    oneSpan({ attributes: [{ key: "k", value: { arrayValue: { values: [{ stringValue: 1 }] } } }] }),
    /attributes\[0\]\.value\.arrayValue\.values\[0\]\.stringValue/,
  );
  refused(
    oneSpan({ events: [{ name: "e", attributes: "x" }] }),
    /events\[0\]\.attributes: expected an array/,
  );
  refused(oneSpan({ status: { code: {} } }), /status\.code/);
  refused(
    JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: "a", value: { doubleValue: "fast" } }] } }],
    }),
    /resourceSpans\[0\]\.resource\.attributes\[0\]\.value\.doubleValue: expected a number/,
  );
  refused(
    JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { version: 2 } }] }] }),
    /resourceSpans\[0\]\.scopeSpans\[0\]\.scope\.version: expected a string/,
  );
  refused(
    JSON.stringify({
      resourceSpans: [{ resource: { attributes: [{ key: "a", value: { doubleValue: "fast" } }] } }],
    }),
    /resourceSpans\[0\]\.resource\.attributes\[0\]\.value\.doubleValue: expected a number/,
  );
  refused(
    JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { version: 2 } }] }] }),
    /scope\.version: expected a string/,
  );
  refused(
    '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":"plain"}]}]}]}',
    /logRecords\[0\]\.body: expected an object/,
    decodeLogsRequestJson,
  );
});

Deno.test("json: a wrong-length hex id decodes and only that span is rejected", () => {
  const body = JSON.stringify({
    resourceSpans: [{
      scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN }, { traceId: "abcd", spanId: SPAN }] }],
    }],
  });
  const r = mapTraces(decodeTraceRequestJson(body));
  assert.equal(r.spans.length, 1);
  assert.equal(r.rejected, 1);
  assert.match(r.message, /trace id is 2 bytes, expected 16/);
});

Deno.test("json: an AnyValue nested 5000 deep is refused without crashing", () => {
  const attr = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE}","spanId":"${SPAN}",` +
    `"attributes":[{"key":"deep","value":${nestedAnyValueJson(5000)}}]}]}]}]}`;
  refused(attr, /nested deeper than 32 levels/);
  const body = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${nestedAnyValueJson(5000)}}]}]}]}`;
  refused(body, /logRecords\[0\]\.body.*nested deeper than 32 levels/, decodeLogsRequestJson);
  // Ten times deeper still only costs the parse.
  refused(attr.replace(nestedAnyValueJson(5000), nestedAnyValueJson(50000)), /nested deeper/);
});

Deno.test("json: 32 levels are accepted, 33 are not", () => {
  const body = (d: number) =>
    `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${nestedAnyValueJson(d)}}]}]}]}`;
  const { logs } = mapLogs(decodeLogsRequestJson(body(32)));
  assert.equal(logs[0].body, "[".repeat(31) + '"x"' + "]".repeat(31));
  refused(body(33), /nested deeper/, decodeLogsRequestJson);
});
