import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TriageError } from './errors.js';

// gzip is opened within two bounds: the inflated size (input.maxInflatedBytes, and for a chat
// upload input.maxChatBytes too) and the compression ratio (input.maxInflateRatio): a 22 MB .gz of
// 10 GB of text is refused after its first megabytes instead of being scanned for minutes. Real
// logs shrink 10 to 20 times; the ratio is only looked at past the first MiB, so that a small file
// of repeated lines is never refused.

export interface InflateLimits {
  readonly maxInflatedBytes: number;
  readonly maxInflateRatio: number;
}

/** Below this many inflated bytes the ratio is not judged. */
const RATIO_FLOOR = 1024 * 1024;

/** What is wrong with inflating `compressed` bytes to `inflated`, if anything. */
function overLimit(name: string, compressed: number, inflated: number, limits: InflateLimits): TriageError | undefined {
  if (inflated > RATIO_FLOOR && inflated > limits.maxInflateRatio * compressed) {
    return new TriageError('INPUT_TOO_LARGE', `${name} unpacks to more than ${limits.maxInflateRatio} times its compressed size (input.maxInflateRatio): refused as a decompression bomb`);
  }
  if (inflated > limits.maxInflatedBytes) {
    return new TriageError('INPUT_TOO_LARGE', `${name} unpacks to more than ${limits.maxInflatedBytes} bytes (input.maxInflatedBytes): refused`);
  }
  return undefined;
}

/** A whole gzip upload, inflated on the thread pool within the same bounds; never more than `maxInflatedBytes` bytes held. */
export async function gunzipUpload(bytes: Uint8Array, name: string, limits: InflateLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of gunzipBounded([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)], name, limits)) chunks.push(chunk);
  } catch (error) {
    if (error instanceof TriageError) throw error;
    throw new TriageError('INPUT_UNREADABLE', `${name} is not a valid gzip file`);
  }
  return Buffer.concat(chunks);
}

/**
 * Inflates a gzip stream chunk by chunk, counting the compressed bytes zlib has consumed (not those
 * read ahead) and the bytes that came out: past either bound the stream is destroyed and a
 * TriageError naming the limit thrown.
 */
export async function* gunzipBounded(compressed: Iterable<Buffer> | AsyncIterable<Buffer>, name: string, limits: InflateLimits): AsyncGenerator<Buffer> {
  let inflated = 0;
  const inflater = createGunzip();
  pipeline(Readable.from(compressed), inflater, (error) => {
    if (error) inflater.destroy(error);
  });
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      const refused = overLimit(name, inflater.bytesWritten, inflated, limits);
      if (refused) throw refused;
      yield chunk;
    }
  } finally {
    inflater.destroy();
  }
}
