import { crc32 as zlibCrc32, createInflateRaw } from 'node:zlib';
import { TriageError } from '../errors.js';

// Just enough of the zip format to take export.xml out of a DataPower export zip, without a
// dependency: the central directory is trusted for names and sizes (local headers may defer them
// to a data descriptor), stored and deflated members are read, and everything an attacker could use
// to make us work or allocate without bound (zip64, huge declared sizes, deflate bombs whose
// headers lie, endless entry lists) is refused with a sentence a user can act on.

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const MAX_ENTRIES = 20_000;
/** Inflated bytes handed over per thread-pool round (each copied into place on its own turn). */
const INFLATE_CHUNK = 256 * 1024;

export interface ZipLimits {
  /** Largest uncompressed member accepted. */
  readonly maxEntryBytes: number;
}

export interface ZipMember {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

function unreadable(message: string): TriageError {
  return new TriageError('INPUT_UNREADABLE', message);
}

/** The central directory's entries; throws a TriageError for anything not a plain zip. */
export function listZip(zip: Buffer, what: string): ZipMember[] {
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd < 0) throw unreadable(`${what} is not a readable zip file (no end-of-central-directory record)`);
  if (eocd >= 20 && zip.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE) throw unreadable(`${what} is a zip64 archive, which tls-triage does not read: export the domain again as an ordinary zip, or upload export.xml itself`);
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw unreadable(`${what} is a zip64 archive, which tls-triage does not read: upload export.xml itself`);
  if (count > MAX_ENTRIES) throw unreadable(`${what} lists ${count} files; a domain export has far fewer (limit ${MAX_ENTRIES})`);
  if (offset + size > eocd) throw unreadable(`${what} is damaged: its central directory lies outside the file`);
  const members: ZipMember[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw unreadable(`${what} is damaged: central directory entry ${i + 1} is not where the directory says`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    if (at + 46 + nameLength > eocd) throw unreadable(`${what} is damaged: an entry name runs past the directory`);
    members.push({
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

/** The bytes of one member, checked against its declared size and CRC-32. */
export async function readZipMember(zip: Buffer, member: ZipMember, what: string, limits: ZipLimits): Promise<Buffer> {
  const label = `${what}: ${member.name}`;
  if ((member.flags & 0x0001) !== 0) throw unreadable(`${label} is encrypted; export the domain without a password`);
  if (member.size === 0xffffffff || member.compressedSize === 0xffffffff) throw unreadable(`${label} is a zip64 entry, which tls-triage does not read`);
  if (member.size > limits.maxEntryBytes) {
    throw new TriageError('INPUT_TOO_LARGE', `${label} unpacks to ${member.size} bytes, over the ${limits.maxEntryBytes}-byte limit for a domain export`);
  }
  const local = member.localOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_SIGNATURE) throw unreadable(`${label}: the file is damaged (no local header where the directory says)`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const end = start + member.compressedSize;
  if (end > zip.length) throw unreadable(`${label}: the file is cut off (the entry runs past its end)`);
  const raw = zip.subarray(start, end);
  let data: Buffer;
  if (member.method === 0) {
    if (member.compressedSize !== member.size) throw unreadable(`${label}: the file is damaged (stored entry with two different sizes)`);
    data = raw;
  } else if (member.method === 8) {
    const inflated = await inflateInto(raw, member.size);
    if (inflated === 'too-large') throw unreadable(`${label} unpacks to more than the ${member.size} bytes its header declares: refused (a zip bomb, or a damaged file)`);
    if (inflated === 'damaged') throw unreadable(`${label}: the compressed data is damaged`);
    data = inflated;
  } else {
    throw unreadable(`${label} uses compression method ${member.method}; tls-triage reads stored and deflated entries only`);
  }
  if (data.length !== member.size) throw unreadable(`${label}: the file is damaged (${data.length} bytes instead of ${member.size})`);
  if (crc32(data) !== member.crc) throw unreadable(`${label}: the file is damaged (CRC-32 mismatch)`);
  return data;
}

/**
 * Inflates on libuv's thread pool into a buffer of the declared size, a chunk at a time: no second
 * copy of the whole member, and no chunk past the declared size is kept (a header that lies stops
 * the inflating there).
 */
function inflateInto(raw: Buffer, size: number): Promise<Buffer | 'too-large' | 'damaged'> {
  return new Promise((resolve) => {
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    let settled = false;
    const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK });
    const settle = (outcome: Buffer | 'too-large' | 'damaged'): void => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      resolve(outcome);
    };
    inflater.on('data', (chunk: Buffer) => {
      if (at + chunk.length > size) return settle('too-large');
      chunk.copy(out, at);
      at += chunk.length;
    });
    inflater.on('end', () => settle(at === size ? out : out.subarray(0, at)));
    inflater.on('error', () => settle('damaged'));
    inflater.end(raw);
  });
}

/** The record sits in the last 22 bytes plus an optional comment of up to 64 KB: search backwards. */
function findEndOfCentralDirectory(zip: Buffer): number {
  if (zip.length < EOCD_SIZE) return -1;
  const stop = Math.max(0, zip.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = zip.length - EOCD_SIZE; at >= stop; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE && at + EOCD_SIZE + zip.readUInt16LE(at + 20) === zip.length) return at;
  }
  return -1;
}

/** CRC-32 as zip stores it (node:zlib's, unsigned). */
export function crc32(data: Uint8Array): number {
  return zlibCrc32(data) >>> 0;
}
