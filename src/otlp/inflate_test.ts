import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { OtlpDecodeError, PayloadTooLargeError } from "./errors.ts";
import { gunzipStream, inflateLimited, MAX_GUNZIP_CHUNK_BYTES, readLimited } from "./inflate.ts";

const MiB = 1024 * 1024;
const gzip = (b: Uint8Array) => new Uint8Array(gzipSync(b));
const streamOf = (...chunks: Uint8Array[]) => ReadableStream.from(chunks);

Deno.test("inflate: a gzip body comes back byte for byte, from bytes or a stream", async () => {
  const raw = new TextEncoder().encode(
    JSON.stringify({ resourceSpans: Array(2000).fill({ a: "b".repeat(50) }) }),
  );
  const gz = gzip(raw);
  assert.deepEqual(await inflateLimited(gz, raw.length), raw);
  const half = Math.floor(gz.length / 2);
  assert.deepEqual(await inflateLimited(streamOf(gz.subarray(0, half), gz.subarray(half)), raw.length), raw);
});

Deno.test("inflate: one byte over the limit is refused", async () => {
  const raw = new Uint8Array(10_000).fill(7);
  await assert.rejects(inflateLimited(gzip(raw), raw.length - 1), PayloadTooLargeError);
  assert.equal((await inflateLimited(gzip(raw), raw.length)).length, raw.length);
});

Deno.test("inflate: a 100 MB gzip bomb stops quickly at a 20 MiB limit", async () => {
  const bomb = gzip(new Uint8Array(100 * 1000 * 1000));
  assert.ok(bomb.length < 200_000, `bomb is ${bomb.length} bytes compressed`);
  const t0 = performance.now();
  await assert.rejects(
    inflateLimited(bomb, 20 * MiB),
    (e: unknown) =>
      e instanceof PayloadTooLargeError && e.code === "too_large" && /20971520 bytes/.test(e.message),
  );
  const ms = performance.now() - t0;
  // Inflating all 100 MB takes several times longer than stopping at 20 MiB.
  assert.ok(ms < 1500, `took ${ms.toFixed(0)} ms`);
});

Deno.test("inflate: output comes in bounded chunks whatever the ratio, so memory stays at limit + one chunk", async () => {
  const bomb = gzip(new Uint8Array(64 * MiB));
  let largest = 0;
  let total = 0;
  for await (const chunk of gunzipStream(bomb)) {
    largest = Math.max(largest, chunk.length);
    total += chunk.length;
  }
  assert.equal(total, 64 * MiB);
  assert.ok(largest <= MAX_GUNZIP_CHUNK_BYTES, `a ${largest}-byte chunk`);
  assert.ok(MAX_GUNZIP_CHUNK_BYTES < 5 * MiB);
});

Deno.test("inflate: a gzip bomb as a stream also stops and cancels the source", async () => {
  const bomb = gzip(new Uint8Array(50 * MiB));
  let cancelled = false;
  let offset = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      if (offset >= bomb.length) return c.close();
      c.enqueue(bomb.subarray(offset, offset += 1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  await assert.rejects(inflateLimited(source, MiB), PayloadTooLargeError);
  assert.ok(cancelled, "the upload is cancelled rather than drained");
  assert.ok(offset < bomb.length, `read ${offset} of ${bomb.length} compressed bytes`);
});

Deno.test("inflate: bad gzip is an OtlpDecodeError", async () => {
  const good = gzip(new TextEncoder().encode("hello world"));
  for (
    const bad of [
      new TextEncoder().encode('{"resourceSpans":[]}'),
      good.subarray(0, good.length - 4),
      new Uint8Array([...good, 1, 2, 3]),
      new Uint8Array(0),
    ]
  ) {
    await assert.rejects(
      inflateLimited(bad, MiB),
      (e: unknown) => e instanceof OtlpDecodeError && /Cannot decompress the gzip body/.test(e.message),
    );
  }
});

Deno.test("readLimited: returns the body, refuses more than the limit and cancels", async () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array([4, 5]);
  assert.deepEqual(await readLimited(streamOf(a, b), 5), new Uint8Array([1, 2, 3, 4, 5]));
  assert.deepEqual(await readLimited(streamOf(), 5), new Uint8Array(0));
  let cancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull: (c) => c.enqueue(new Uint8Array(1024)),
    cancel: () => {
      cancelled = true;
    },
  });
  await assert.rejects(readLimited(endless, 10_000), PayloadTooLargeError);
  assert.ok(cancelled);
});
