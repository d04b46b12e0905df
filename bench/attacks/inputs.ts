import { gzipSync } from 'node:zlib';
import { writeZip } from '../../adapters/teams/zip.js';
import { pcapFileHeader } from '../capture/make-capture.js';

// The hostile inputs of the attack pass (issue 16), built in memory and deterministic: what a
// channel member can paste or upload with the default limits (20 MiB), and what the CLI is given.
// bench/attacks/run.ts feeds each one to the real bot in a child process and measures it.

const MIB = 1024 * 1024;
export const CHAT_LIMIT = 20 * MIB;

export interface AttackInput {
  /** Pasted text (the message body). */
  readonly paste?: string;
  /** An uploaded file. */
  readonly file?: { readonly name: string; readonly bytes: Buffer };
}

/** A zip holding one deflated member (the Teams package's writer). */
export function zipOf(name: string, content: Buffer): Buffer {
  return writeZip([{ name, data: content }]);
}

const ROOT_OPEN = '<?xml version="1.0"?>\n<datapower-configuration version="3">';
const ROOT_CLOSE = '</datapower-configuration>\n';

/** `<datapower-configuration>` with `count` empty `<a/>` elements: 4 bytes each. */
export function manyElements(count: number): Buffer {
  return Buffer.concat([Buffer.from(ROOT_OPEN), Buffer.alloc(count * 4, '<a/>'), Buffer.from(ROOT_CLOSE)]);
}

/** One element with `count` attributes. */
export function manyAttributes(count: number): Buffer {
  const parts: string[] = [ROOT_OPEN, '<a'];
  for (let i = 0; i < count; i++) parts.push(` a${i.toString(36)}=""`);
  parts.push('/>', ROOT_CLOSE);
  return Buffer.from(parts.join(''));
}

/** DataPower-style log lines with a TLS failure every 40 lines, `bytes` long. */
export function logText(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let tid = 1000; size < bytes; tid++) {
    const line =
      tid % 40 === 0
        ? `20261122T101010.000Z [apiconnect][0x8120002f][ssl][error] ssl-server(front-ssl): tid(${tid})[10.30.0.${tid % 250}]: SSL library error: error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher\n`
        : `20261122T101010.000Z [apiconnect][0x80e0027d][mpgw][info] mpgw(webapi): tid(${tid})[10.20.1.${tid % 250}]: Received HTTP/1.1 POST for /orders/v1/items\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('').slice(0, bytes);
}

/** Many PEM BEGIN lines, each followed by a short base64 body and an END line that is never the right one. */
export function pemBlocks(bytes: number): string {
  const block = `-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0FGRUJBQkVDQUZFQkFCRUNBRkVCQUJFMAoGCCqGSM49\n-----END CERTIFICATE-----\n`;
  return block.repeat(Math.floor(bytes / block.length));
}

/** pcap (Ethernet) of `connections` SYN-only TCP connections, each from its own port and address. */
export function synFlood(bytes: number): Buffer {
  const header = pcapFileHeader();
  const frameLength = 14 + 20 + 20;
  const record = 16 + frameLength;
  const count = Math.floor((bytes - 24) / record);
  const out = Buffer.alloc(24 + count * record);
  header.copy(out);
  for (let i = 0; i < count; i++) {
    const at = 24 + i * record;
    out.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), at);
    out.writeUInt32LE((i % 1000) * 1000, at + 4);
    out.writeUInt32LE(frameLength, at + 8);
    out.writeUInt32LE(frameLength, at + 12);
    const f = at + 16;
    out.writeUInt16BE(0x0800, f + 12);
    const ip = f + 14;
    out[ip] = 0x45;
    out.writeUInt16BE(40, ip + 2);
    out[ip + 8] = 64;
    out[ip + 9] = 6;
    out.writeUInt32BE((10 << 24) | (i >>> 16), ip + 12);
    out.writeUInt32BE((10 << 24) | 0x010101, ip + 16);
    const tcp = ip + 20;
    out.writeUInt16BE(1024 + (i % 60000), tcp);
    out.writeUInt16BE(443, tcp + 2);
    out.writeUInt32BE(i, tcp + 4);
    out[tcp + 12] = 5 << 4;
    out[tcp + 13] = 0x02;
  }
  return out;
}

/** Text that gzip shrinks by about 1000 times: `inflated` bytes of one repeated log line. */
export function textBomb(inflated: number): Buffer {
  const line = 'ssl error handshake failure\n';
  const chunk = Buffer.alloc(4 * MIB, line);
  const parts: Buffer[] = [];
  for (let size = 0; size < inflated; size += chunk.length) parts.push(chunk);
  return gzipSync(Buffer.concat(parts).subarray(0, inflated), { level: 9 });
}

/** The peer every attack is measured against in the same run: an ordinary 20 MiB log upload. */
export const REFERENCE = 'reference-log-upload-20mib';

/** The chat attacks by name: each as big as the default 20 MiB chat limit allows. */
export const CHAT_ATTACKS: Readonly<Record<string, () => AttackInput>> = {
  [REFERENCE]: () => ({ file: { name: 'gateway.log', bytes: Buffer.from(logText(CHAT_LIMIT - 1024)) } }),
  // 8.38 million <a/> in a 32 MB export.xml: a zip of about 32 KB.
  'zip-8m-elements': () => ({ file: { name: 'export.zip', bytes: zipOf('export.xml', manyElements(8_380_000)) } }),
  'zip-1.3m-attributes': () => ({ file: { name: 'export.zip', bytes: zipOf('export.xml', manyAttributes(1_300_000)) } }),
  'paste-5m-elements': () => ({ paste: manyElements(Math.floor((CHAT_LIMIT - 200) / 4)).toString('latin1') }),
  'paste-log-20mib': () => ({ paste: logText(CHAT_LIMIT - 1024) }),
  'paste-pem-20mib': () => ({ paste: pemBlocks(CHAT_LIMIT - 1024) }),
  'upload-pcap-syn-flood': () => ({ file: { name: 'flood.pcap', bytes: synFlood(CHAT_LIMIT - 1024) } }),
  // 1 GiB of one repeated line in about 1 MB of gzip.
  'upload-gzip-bomb': () => ({ file: { name: 'bomb.log.gz', bytes: textBomb(1024 * MIB) } }),
};
