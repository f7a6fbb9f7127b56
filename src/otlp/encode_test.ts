import assert from "node:assert/strict";
import {
  encodeLogsResponseJson,
  encodeLogsResponseProtobuf,
  encodeStatusJson,
  encodeStatusProtobuf,
  encodeTraceResponseJson,
  encodeTraceResponseProtobuf,
  RpcCode,
} from "./encode.ts";
import { otlpProto } from "./proto.ts";

const decode = (type: "ExportTraceServiceResponse" | "ExportLogsServiceResponse" | "Status", b: Uint8Array) =>
  otlpProto()[type].toObject(otlpProto()[type].decode(b), { longs: Number });

Deno.test("full success: empty protobuf message and {} in JSON, no partial_success", () => {
  assert.equal(encodeTraceResponseProtobuf(0, "").length, 0);
  assert.equal(encodeLogsResponseProtobuf(0, "ignored").length, 0);
  assert.equal(encodeTraceResponseJson(0, ""), "{}");
  assert.equal(encodeLogsResponseJson(0, "ignored"), "{}");
  assert.equal(
    decode("ExportTraceServiceResponse", encodeTraceResponseProtobuf(0, "")).partialSuccess,
    undefined,
  );
});

Deno.test("partial success carries the rejected count and the English message", () => {
  const msg = "Rejected 2 of 5 spans: trace id is all zero (2)";
  assert.deepEqual(decode("ExportTraceServiceResponse", encodeTraceResponseProtobuf(2, msg)), {
    partialSuccess: { rejectedSpans: 2, errorMessage: msg },
  });
  assert.deepEqual(decode("ExportLogsServiceResponse", encodeLogsResponseProtobuf(3, "bad")), {
    partialSuccess: { rejectedLogRecords: 3, errorMessage: "bad" },
  });
  assert.deepEqual(JSON.parse(encodeTraceResponseJson(2, msg)), {
    partialSuccess: { rejectedSpans: "2", errorMessage: msg },
  });
  assert.deepEqual(JSON.parse(encodeLogsResponseJson(3, "bad")), {
    partialSuccess: { rejectedLogRecords: "3", errorMessage: "bad" },
  });
});

Deno.test("the partial-success bytes are exactly what the OTLP schema prescribes", () => {
  // field 1 (partial_success, LEN) { field 1 (rejected, VARINT) = 2, field 2 (error_message, LEN) = "x" }
  assert.deepEqual([...encodeTraceResponseProtobuf(2, "x")], [0x0a, 0x05, 0x08, 0x02, 0x12, 0x01, 0x78]);
});

Deno.test("google.rpc.Status in both encodings", () => {
  assert.deepEqual(decode("Status", encodeStatusProtobuf(RpcCode.INVALID_ARGUMENT, "bad payload")), {
    code: 3,
    message: "bad payload",
  });
  assert.deepEqual([...encodeStatusProtobuf(8, "")], [0x08, 0x08]);
  assert.deepEqual(JSON.parse(encodeStatusJson(RpcCode.RESOURCE_EXHAUSTED, "too big")), {
    code: 8,
    message: "too big",
  });
});

Deno.test("encoded bytes are a plain Uint8Array that owns its memory", () => {
  const b = encodeStatusProtobuf(14, "down");
  assert.equal(Object.getPrototypeOf(b), Uint8Array.prototype);
  assert.equal(b.byteOffset, 0);
  assert.equal(b.buffer.byteLength, b.length);
});

Deno.test("a Status with retry delay carries a google.rpc.RetryInfo detail", () => {
  const bytes = encodeStatusProtobuf(8, "slow down", 300);
  const status = otlpProto().Status.toObject(otlpProto().Status.decode(bytes)) as {
    code: number;
    details: { typeUrl: string; value: Uint8Array }[];
  };
  assert.equal(status.code, 8);
  assert.equal(status.details[0].typeUrl, "type.googleapis.com/google.rpc.RetryInfo");
  // RetryInfo{retry_delay: Duration{seconds: 300}}: 300 is the varint ac 02.
  assert.deepEqual([...status.details[0].value], [0x0a, 0x03, 0x08, 0xac, 0x02]);
  assert.deepEqual(JSON.parse(encodeStatusJson(8, "slow down", 300)).details, [
    { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "300s" },
  ]);
});
