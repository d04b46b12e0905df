import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
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
const gunzipAsync = promisify(gunzip);

/** What is wrong with inflating `compressed` bytes to `inflated`, if anything. */
function overLimit(name: string, compressed: number, inflated: number, limits: InflateLimits): TriageError | undefined {
  if (inflated > limits.maxInflatedBytes) {
    return new TriageError('INPUT_TOO_LARGE', `${name} unpacks to more than ${limits.maxInflatedBytes} bytes (input.maxInflatedBytes): refused`);
  }
  if (inflated > RATIO_FLOOR && inflated > limits.maxInflateRatio * compressed) {
    return new TriageError('INPUT_TOO_LARGE', `${name} unpacks to more than ${limits.maxInflateRatio} times its compressed size (input.maxInflateRatio): refused as a decompression bomb`);
  }
  return undefined;
}

/** A whole gzip upload, inflated on the thread pool; never more than `maxInflatedBytes` bytes. */
export async function gunzipUpload(bytes: Uint8Array, name: string, limits: InflateLimits): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await gunzipAsync(bytes, { maxOutputLength: limits.maxInflatedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw overLimit(name, bytes.length, limits.maxInflatedBytes + 1, limits) as TriageError;
    throw new TriageError('INPUT_UNREADABLE', `${name} is not a valid gzip file`);
  }
  const refused = overLimit(name, bytes.length, data.length, limits);
  if (refused) throw refused;
  return data;
}

/**
 * Inflates a gzip stream chunk by chunk, counting the compressed bytes that went in and the bytes
 * that came out: past either bound the stream is destroyed and a TriageError naming the limit thrown.
 */
export async function* gunzipBounded(compressed: AsyncIterable<Buffer>, name: string, limits: InflateLimits): AsyncGenerator<Buffer> {
  let fed = 0;
  let inflated = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of compressed) {
      fed += chunk.length;
      yield chunk;
    }
  }
  const inflater = createGunzip();
  pipeline(Readable.from(counted()), inflater, (error) => {
    if (error) inflater.destroy(error);
  });
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      const refused = overLimit(name, fed, inflated, limits);
      if (refused) throw refused;
      yield chunk;
    }
  } finally {
    inflater.destroy();
  }
}
