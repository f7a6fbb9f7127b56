import assert from "node:assert/strict";
import {
  logsRequestWithBody,
  nestedAnyValue,
  traceRequestWithAttribute,
  tracesFixtureAsProtobuf,
} from "../../tests/fixtures/otlp/fixtures.ts";
import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from "./decode_protobuf.ts";
import { OtlpDecodeError } from "./errors.ts";
import { mapLogs } from "./map_logs.ts";
import { mapTraces } from "./map_traces.ts";

Deno.test("protobuf: a valid request decodes to message objects the mapper reads", () => {
  const req = decodeTraceRequestProtobuf(tracesFixtureAsProtobuf("traces_mixed.json"));
  assert.equal(req.resourceSpans?.[0].scopeSpans?.[0].spans?.length, 5);
  assert.equal(mapTraces(req).spans.length, 3);
});

Deno.test("protobuf: an empty body is a valid empty request", () => {
  assert.deepEqual(mapTraces(decodeTraceRequestProtobuf(new Uint8Array(0))).spans, []);
});

Deno.test("protobuf: every truncation of a valid request is refused with OtlpDecodeError", () => {
  const bytes = tracesFixtureAsProtobuf("traces_mixed.json");
  let refused = 0;
  for (let n = 1; n < bytes.length; n++) {
    try {
      decodeTraceRequestProtobuf(bytes.subarray(0, n));
    } catch (e) {
      assert.ok(e instanceof OtlpDecodeError, `cut at ${n}: ${e}`);
      assert.equal(e.code, "invalid_argument");
      refused++;
    }
  }
  // Cuts that land exactly between top-level fields are valid shorter messages; one is.
  assert.ok(refused >= bytes.length - 2, `${refused} of ${bytes.length - 1} cuts refused`);
});

Deno.test("protobuf: a cut inside a field names the problem in English", () => {
  const bytes = tracesFixtureAsProtobuf("traces_mixed.json");
  assert.throws(
    () => decodeTraceRequestProtobuf(bytes.subarray(0, bytes.length - 3)),
    (e: unknown) => e instanceof OtlpDecodeError && /truncated/.test(e.message) && e.cause instanceof Error,
  );
});

Deno.test("protobuf: garbage and invalid UTF-8 are refused", () => {
  assert.throws(() => decodeTraceRequestProtobuf(new Uint8Array([0xff, 0xff, 0xff, 0xff])), OtlpDecodeError);
  assert.throws(() => decodeLogsRequestProtobuf(new TextEncoder().encode('{"json": true}')), OtlpDecodeError);
  // A string field holding a lone continuation byte.
  const badName = new Uint8Array([0x0a, 0x07, 0x12, 0x05, 0x12, 0x03, 0x2a, 0x01, 0x80]);
  assert.throws(() => decodeTraceRequestProtobuf(badName), OtlpDecodeError);
});

Deno.test("protobuf: an AnyValue nested 5000 deep is refused without crashing", () => {
  const t0 = performance.now();
  assert.throws(
    () => decodeTraceRequestProtobuf(traceRequestWithAttribute(nestedAnyValue(5000))),
    (e: unknown) => e instanceof OtlpDecodeError && /nested too deeply/.test(e.message),
  );
  assert.throws(() => decodeLogsRequestProtobuf(logsRequestWithBody(nestedAnyValue(5000))), OtlpDecodeError);
  assert.ok(performance.now() - t0 < 2000);
});

Deno.test("protobuf: nesting within the decoder limit but over the 32-level cap is refused by the mapper", () => {
  const req = decodeTraceRequestProtobuf(traceRequestWithAttribute(nestedAnyValue(40)));
  assert.throws(
    () => mapTraces(req),
    (e: unknown) =>
      e instanceof OtlpDecodeError &&
      /spans\[0\]: an AnyValue is nested deeper than 32 levels/.test(e.message),
  );
  const logs = decodeLogsRequestProtobuf(logsRequestWithBody(nestedAnyValue(40)));
  assert.throws(() => mapLogs(logs), OtlpDecodeError);
});

Deno.test("protobuf: 32 levels of nesting are accepted", () => {
  const { spans } = mapTraces(decodeTraceRequestProtobuf(traceRequestWithAttribute(nestedAnyValue(32))));
  let v = JSON.parse(spans[0].attributes).deep;
  let depth = 1;
  while (Array.isArray(v)) {
    v = v[0];
    depth++;
  }
  assert.equal(depth, 32);
  assert.equal(v, "x");
});
