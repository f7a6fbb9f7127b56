/**
 * OTLP protocol rules of SPEC §5 on both transports: partial success only when
 * something was rejected, statuses for bad payloads, sizes, methods and media
 * types, gzip bombs and hostile nesting.
 */

import assert from "node:assert/strict";
import { startTestArgus, type TestArgus } from "./support/argus.ts";
import {
  decodeStatus,
  decodeTraceResponse,
  encodeLogs,
  encodeTraces,
  grpcExport,
  gzip,
  logsRequest,
  protoSpan,
  traceRequest,
} from "./support/otlp.ts";

const PB = { "Content-Type": "application/x-protobuf" };
const ZERO_TRACE = "0".repeat(32);

function mixedRequest(prefix: string) {
  return traceRequest("mixed", [
    protoSpan(`${prefix}${"1".repeat(32 - prefix.length)}`, "1111111111111111"),
    protoSpan(`${prefix}${"1".repeat(32 - prefix.length)}`, "2222222222222222", "child", "1111111111111111"),
    protoSpan(`${prefix}${"3".repeat(32 - prefix.length)}`, "3333333333333333"),
    protoSpan(ZERO_TRACE, "4444444444444444"),
    protoSpan(`${prefix}${"5".repeat(32 - prefix.length)}`, "55555555555555"), // 7 bytes
  ]);
}

async function storedSpanCount(t: TestArgus, traceIds: string[]) {
  let n = 0;
  for (const id of traceIds) n += (await t.argus.store.forTenant("default").getSpans(id)).length;
  return n;
}

Deno.test("OTLP protocol over HTTP", async (ctx) => {
  const t = await startTestArgus({ INGEST_EXCLUDED_SERVICES: "dropme" });
  try {
    await ctx.step("an empty request succeeds with no partial_success (protobuf and JSON)", async () => {
      const pb = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: PB,
        body: new Uint8Array(),
      });
      assert.equal(pb.status, 200);
      assert.equal(pb.headers.get("content-type"), "application/x-protobuf");
      const body = new Uint8Array(await pb.arrayBuffer());
      assert.deepEqual(decodeTraceResponse(body), {});
      const js = await fetch(`${t.otlpHttp}/v1/logs`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      assert.equal(js.status, 200);
      assert.equal(js.headers.get("content-type"), "application/json");
      assert.deepEqual(await js.json(), {});
    });

    await ctx.step(
      "3 good spans + an all-zero trace id + a 7-byte span id → 3 stored, rejected 2",
      async () => {
        const res = await fetch(`${t.otlpHttp}/v1/traces`, {
          method: "POST",
          headers: PB,
          body: encodeTraces(mixedRequest("a")),
        });
        assert.equal(res.status, 200);
        const out = decodeTraceResponse(new Uint8Array(await res.arrayBuffer()));
        const partial = out.partialSuccess as { rejectedSpans: number; errorMessage: string };
        assert.equal(partial.rejectedSpans, 2);
        assert.match(partial.errorMessage, /trace id|span id/i);
        assert.equal(await storedSpanCount(t, ["a" + "1".repeat(31), "a" + "3".repeat(31)]), 3);
      },
    );

    await ctx.step("the same over JSON with hex ids and `application/json; charset=utf-8`", async () => {
      const json = {
        resourceSpans: [{
          resource: { attributes: [{ key: "service.name", value: { stringValue: "json-svc" } }] },
          scopeSpans: [{
            spans: [
              {
                traceId: "b".repeat(32),
                spanId: "1".repeat(16),
                name: "ok",
                kind: "SPAN_KIND_SERVER",
                startTimeUnixNano: "1700000000000000000",
                endTimeUnixNano: 1700000000001000000,
                unknownField: 1,
              },
              { traceId: ZERO_TRACE, spanId: "2".repeat(16), name: "bad" },
            ],
          }],
        }],
      };
      const res = await fetch(`${t.http}/v1/traces`, {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: JSON.stringify(json),
      });
      assert.equal(res.status, 200);
      const out = await res.json();
      // proto3 JSON writes int64 as a string.
      assert.equal(Number(out.partialSuccess.rejectedSpans), 1);
      const [row] = await t.argus.store.forTenant("default").getSpans("b".repeat(32));
      assert.equal(row.kind, "SERVER");
      assert.equal(row.duration_us, 1000);
    });

    await ctx.step("truncated protobuf → 400 with a google.rpc.Status body", async () => {
      const full = encodeTraces(mixedRequest("c"));
      const res = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: PB,
        body: full.subarray(0, full.length - 7),
      });
      assert.equal(res.status, 400);
      const status = decodeStatus(new Uint8Array(await res.arrayBuffer()));
      assert.equal(status.code, 3);
      assert.ok(status.message && status.message.length > 5);
    });

    await ctx.step("malformed JSON → 400 with a JSON Status naming the problem", async () => {
      const res = await fetch(`${t.otlpHttp}/v1/logs`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: '{"resourceLogs": [',
      });
      assert.equal(res.status, 400);
      const status = await res.json();
      assert.equal(status.code, 3);
      assert.match(status.message, /JSON/i);
    });

    await ctx.step("GET → 405, text/plain → 415, unknown encoding → 415", async () => {
      const get = await fetch(`${t.otlpHttp}/v1/traces`);
      assert.equal(get.status, 405);
      assert.equal(get.headers.get("allow"), "POST");
      await get.body?.cancel();
      const text = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: "hello",
      });
      assert.equal(text.status, 415);
      assert.match((await text.json()).message, /text\/plain/);
      const br = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { ...PB, "Content-Encoding": "br" },
        body: new Uint8Array([1, 2, 3]),
      });
      assert.equal(br.status, 415);
      await br.body?.cancel();
    });

    await ctx.step("gzip bodies are accepted", async () => {
      const res = await fetch(`${t.otlpHttp}/v1/logs`, {
        method: "POST",
        headers: { ...PB, "Content-Encoding": "gzip" },
        body: await gzip(encodeLogs(logsRequest("gz-svc", 7))),
      });
      assert.equal(res.status, 200);
      await res.body?.cancel();
      const page = await t.argus.store.forTenant("default").listLogs({
        startUs: 0,
        endUs: Number.MAX_SAFE_INTEGER,
        limit: 100,
        offset: 0,
      });
      assert.equal(page.rows.filter((l) => l.service_name === "gz-svc").length, 7);
    });

    await ctx.step("a gzip body inflating past the limit → 413 without memory growing with it", async () => {
      // 512 MiB of zeros compress to about 0.5 MiB; the limit is 20 MiB.
      const chunk = new Uint8Array(1024 * 1024);
      const zeros = ReadableStream.from((function* () {
        for (let i = 0; i < 512; i++) yield chunk;
      })());
      const bomb = await gzip(zeros);
      assert.ok(bomb.length < 2 * 1024 * 1024);
      const before = Deno.memoryUsage().rss;
      const res = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { ...PB, "Content-Encoding": "gzip" },
        body: bomb,
      });
      assert.equal(res.status, 413);
      assert.equal(decodeStatus(new Uint8Array(await res.arrayBuffer())).code, 8);
      const grown = Deno.memoryUsage().rss - before;
      assert.ok(grown < 128 * 1024 * 1024, `RSS grew by ${Math.round(grown / 1024 / 1024)} MiB`);
    });

    await ctx.step("an AnyValue nested 5000 deep → 400, and the server keeps serving", async () => {
      const json = JSON.stringify({
        resourceSpans: [{
          scopeSpans: [{
            spans: [{
              traceId: "d".repeat(32),
              spanId: "1".repeat(16),
              name: "deep",
              attributes: [{ key: "deep", value: "__DEEP__" }],
            }],
          }],
        }],
      }).replace(
        '"__DEEP__"',
        '{"arrayValue":{"values":['.repeat(5000) + '{"stringValue":"x"}' + "]}}".repeat(5000),
      );
      const res = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: json,
      });
      assert.equal(res.status, 400);
      await res.body?.cancel();
      // Protobuf nesting is built by hand: a message protobufjs would recurse into 5000 times.
      let value = new Uint8Array([0x0a, 0x01, 0x78]); // AnyValue{string_value:"x"}
      for (let i = 0; i < 5000; i++) {
        const array = new Uint8Array([0x0a, ...varint(value.length), ...value]); // ArrayValue{values:[value]}
        value = new Uint8Array([0x2a, ...varint(array.length), ...array]); // AnyValue{array_value}
      }
      const kv = new Uint8Array([0x0a, 0x01, 0x6b, 0x12, ...varint(value.length), ...value]);
      const spanMsg = new Uint8Array([
        0x0a,
        0x10,
        ...new Uint8Array(16).fill(0xdd),
        0x12,
        0x08,
        ...new Uint8Array(8).fill(0x11),
        0x4a,
        ...varint(kv.length),
        ...kv,
      ]);
      const scopeSpans = new Uint8Array([0x12, ...varint(spanMsg.length), ...spanMsg]);
      const resourceSpans = new Uint8Array([0x12, ...varint(scopeSpans.length), ...scopeSpans]);
      const request = new Uint8Array([0x0a, ...varint(resourceSpans.length), ...resourceSpans]);
      const pb = await fetch(`${t.otlpHttp}/v1/traces`, { method: "POST", headers: PB, body: request });
      assert.equal(pb.status, 400);
      assert.equal(decodeStatus(new Uint8Array(await pb.arrayBuffer())).code, 3);
      const health = await fetch(`${t.http}/api/health`);
      assert.equal(health.status, 200);
      await health.body?.cancel();
    });

    await ctx.step("filtered services count as accepted and are not stored", async () => {
      const res = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: PB,
        body: encodeTraces(traceRequest("dropme", [protoSpan("e".repeat(32), "1".repeat(16))])),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(decodeTraceResponse(new Uint8Array(await res.arrayBuffer())), {});
      assert.equal(await storedSpanCount(t, ["e".repeat(32)]), 0);
      assert.equal(t.argus.exporter.counters.filteredService.spans, 1);
    });

    await ctx.step("a hostile tenant header → 400", async () => {
      const res = await fetch(`${t.otlpHttp}/v1/traces`, {
        method: "POST",
        headers: { ...PB, "X-Scope-OrgID": ".." },
        body: new Uint8Array(),
      });
      assert.equal(res.status, 400);
      await res.body?.cancel();
    });
  } finally {
    await t.stop();
  }
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

Deno.test("OTLP protocol over gRPC", async (ctx) => {
  const t = await startTestArgus({ OTLP_MAX_MESSAGE_BYTES: "1MiB" });
  const addr = t.grpc;
  try {
    await ctx.step("an empty request succeeds with an empty response", async () => {
      const r = await grpcExport(addr, "traces", new Uint8Array());
      assert.equal(r.code, 0);
      assert.deepEqual(decodeTraceResponse(r.response ?? new Uint8Array()), {});
    });

    await ctx.step("3 good + 2 invalid spans → rejected_spans 2, gzip-compressed", async () => {
      const r = await grpcExport(addr, "traces", encodeTraces(mixedRequest("f")), { gzip: true });
      assert.equal(r.code, 0);
      const out = decodeTraceResponse(r.response!);
      assert.equal((out.partialSuccess as { rejectedSpans: number }).rejectedSpans, 2);
      assert.equal(await storedSpanCount(t, ["f" + "1".repeat(31), "f" + "3".repeat(31)]), 3);
    });

    await ctx.step("truncated protobuf → INVALID_ARGUMENT", async () => {
      const full = encodeTraces(mixedRequest("9"));
      const r = await grpcExport(addr, "traces", full.subarray(0, full.length - 3));
      assert.equal(r.code, 3);
    });

    await ctx.step(
      "a message over the limit → RESOURCE_EXHAUSTED, also when gzip hides its size",
      async () => {
        const big = encodeLogs({
          resourceLogs: [{
            scopeLogs: [{ logRecords: [{ body: { stringValue: "x".repeat(2 * 1024 * 1024) } }] }],
          }],
        });
        assert.equal((await grpcExport(addr, "logs", big)).code, 8);
        assert.equal((await grpcExport(addr, "logs", big, { gzip: true })).code, 8);
        assert.equal((await grpcExport(addr, "logs", encodeLogs(logsRequest("after", 1)))).code, 0);
      },
    );

    await ctx.step("a repeated tenant header → INVALID_ARGUMENT", async () => {
      const r = await grpcExport(addr, "logs", new Uint8Array(), {
        metadata: { "x-scope-orgid": ["a", "b"] },
      });
      assert.equal(r.code, 3);
    });
  } finally {
    await t.stop();
  }
});
