/**
 * Reading request bodies with a hard size limit, before and after gzip. The limit is
 * on the *decompressed* size (SPEC §3 `OTLP_MAX_MESSAGE_BYTES`) and is enforced while
 * streaming, so a gzip bomb costs at most the limit plus one chunk of memory and stops
 * as soon as the limit is passed.
 *
 * @module
 */

import { OtlpDecodeError, PayloadTooLargeError } from "./errors.ts";

/**
 * Compressed input is fed to the decompressor in slices of this size: Deno's
 * DecompressionStream emits one output chunk per input chunk, and deflate expands at
 * most ~1032:1, so a 4 KiB slice bounds a chunk at about 4 MiB. Measured: the same
 * speed as larger slices on real payloads.
 */
const SLICE_BYTES = 4096;

/** Upper bound of one `gunzipStream` chunk: a slice at deflate's maximum ratio. */
export const MAX_GUNZIP_CHUNK_BYTES: number = SLICE_BYTES * 1040;

/**
 * Gunzips `body` and returns the whole output, refusing more than `maxBytes`.
 * @throws PayloadTooLargeError as soon as the output passes `maxBytes`.
 * @throws OtlpDecodeError when the input is not valid gzip (corrupt, truncated, or
 *   followed by extra bytes; concatenated gzip members are not supported).
 */
export async function inflateLimited(
  body: Uint8Array | ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  try {
    return await collect(gunzipStream(body), maxBytes);
  } catch (e) {
    if (e instanceof PayloadTooLargeError) throw e;
    throw new OtlpDecodeError(`Cannot decompress the gzip body: ${(e as Error)?.message ?? e}`, { cause: e });
  }
}

/**
 * The gunzipped bytes of `body` as a stream whose chunks are at most about 4 MiB
 * (`MAX_GUNZIP_CHUNK_BYTES`), however compressible the input: the memory bound that
 * `inflateLimited` relies on. Errors in the gzip data surface as stream errors.
 */
export function gunzipStream(body: Uint8Array | ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const source = body instanceof Uint8Array ? ReadableStream.from([body]) : body;
  return source.pipeThrough(slicer()).pipeThrough(new DecompressionStream("gzip"));
}

/**
 * Reads an uncompressed body, refusing more than `maxBytes`.
 * @throws PayloadTooLargeError as soon as the body passes `maxBytes`.
 */
export function readLimited(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  return collect(stream, maxBytes);
}

async function collect(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      // Cancelling stops the decompressor and the upload instead of draining them.
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

// Request bodies never live in shared memory, hence the cast to what the decompressor accepts.
function slicer(): TransformStream<Uint8Array, Uint8Array<ArrayBuffer>> {
  return new TransformStream<Uint8Array, Uint8Array<ArrayBuffer>>({
    transform(input, controller) {
      const chunk = input as Uint8Array<ArrayBuffer>;
      if (chunk.length <= SLICE_BYTES) return controller.enqueue(chunk);
      for (let o = 0; o < chunk.length; o += SLICE_BYTES) {
        controller.enqueue(chunk.subarray(o, o + SLICE_BYTES));
      }
    },
  });
}
