import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { createGzip, gunzip, gzip } from 'node:zlib';
import { sliceEnd } from '../rules/index.js';
import { decodeUtf8Paced, nextTurn } from './pause.js';
import type { Incident, NewEvidence, StoredEvidence } from './store/types.js';

// Long texts and large uploads are stored gzipped: a 20 MiB paste is a 1-2 MB record instead of
// 20 MiB of JSON, so writing it and reading the incident back (on every message of the thread)
// costs the event loop milliseconds, not a second of synchronous SQLite and JSON work. Compressing
// and inflating run on libuv's thread pool, and the text is turned into bytes and back a slice at
// a time. Binary uploads are never read back, so they stay packed.

/** Texts and uploads below this are stored as they are. */
const PACK_OVER = 64 * 1024;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export async function packEvidence(e: NewEvidence): Promise<NewEvidence> {
  let packed: NewEvidence = e;
  if (e.text !== undefined && e.text.length > PACK_OVER) {
    const { text, ...rest } = packed;
    packed = { ...rest, textGzip: (await gzipText(text as string)).toString('base64') };
  }
  if (e.base64 !== undefined && e.base64.length > PACK_OVER) {
    const { base64, ...rest } = packed;
    const bytes = Buffer.from(base64 as string, 'base64');
    await nextTurn();
    const zipped = await gzipAsync(bytes);
    await nextTurn();
    packed = { ...rest, binaryGzip: zipped.toString('base64') };
  }
  return packed;
}

/** How an upload's bytes are stored: as base64 when small, gzipped (on the thread pool) when not. */
export async function storedBytes(bytes: Uint8Array): Promise<{ base64: string } | { binaryGzip: string }> {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length <= PACK_OVER) return { base64: view.toString('base64') };
  const zipped = await gzipAsync(view);
  await nextTurn();
  return { binaryGzip: zipped.toString('base64') };
}

/** SHA-256 (hex) of an upload, 4 MiB per turn of the event loop. */
export async function sha256Paced(bytes: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.length; at += 4 * 1024 * 1024) {
    hash.update(bytes.subarray(at, at + 4 * 1024 * 1024));
    await nextTurn();
  }
  return hash.digest('hex');
}

/** The incident with every stored text readable again (binary uploads stay packed). */
export async function unpackIncident(incident: Incident | undefined): Promise<Incident | undefined> {
  if (!incident || !incident.evidence.some((e) => e.textGzip !== undefined)) return incident;
  const evidence: StoredEvidence[] = [];
  for (const e of incident.evidence) {
    if (e.textGzip === undefined) evidence.push(e);
    else {
      const { textGzip, ...rest } = e;
      const bytes = await gunzipAsync(Buffer.from(textGzip, 'base64'));
      evidence.push({ ...rest, text: await decodeUtf8Paced(bytes) });
    }
  }
  return { ...incident, evidence };
}

/** Bytes of text an incident holds (what its next diagnosis will scan), from its stored records. */
export function textBytes(incident: Incident | undefined): number {
  return (incident?.evidence ?? []).reduce((sum, e) => sum + (e.text !== undefined || e.textGzip !== undefined ? e.bytes : 0), 0);
}

/**
 * Whole lines at a time (each slice valid UTF-8 on its own), waiting for the compressor to drain,
 * so that no more than a slice or two of the text is held as bytes at once. The stored text ends
 * with a line break: the incident diagnosis would otherwise append one, copying the whole text.
 */
async function gzipText(text: string): Promise<Buffer> {
  const zipper = createGzip();
  const chunks: Buffer[] = [];
  zipper.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(zipper, 'end');
  for (let from = 0; from < text.length; ) {
    const to = sliceEnd(text, from);
    if (!zipper.write(Buffer.from(text.slice(from, to), 'utf8'))) await once(zipper, 'drain');
    from = to;
    await nextTurn();
  }
  zipper.end(text.endsWith('\n') ? undefined : '\n');
  await ended;
  await nextTurn();
  return Buffer.concat(chunks);
}
