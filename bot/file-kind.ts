import type { FileKind } from '../rules/index.js';
import { derKind, outerSequence } from './certificates/sniff.js';
import { isGzip, looksBinary } from './input.js';

// What an uploaded file is, from its bytes first and its name second: packet captures, DER
// certificates, DataPower export zips and private keys (PKCS#12 bundles, DER keys) are evidence
// the rules cannot read as text but the incident must keep or refuse.

export type SniffedKind = FileKind | 'text' | 'gzip' | 'unknown-binary';

const PCAP_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];

export function sniffFileKind(bytes: Uint8Array, name: string): SniffedKind {
  const lower = name.toLowerCase();
  if (bytes.length >= 4) {
    const magic = ((bytes[0] as number) << 24 | (bytes[1] as number) << 16 | (bytes[2] as number) << 8 | (bytes[3] as number)) >>> 0;
    if (PCAP_MAGICS.includes(magic)) return 'pcap';
    if (magic === 0x0a0d0d0a) return 'pcapng';
    // A zip's member names are stored in clear: a DataPower export holds export.xml.
    if (magic === 0x504b0304) return includesAscii(bytes, 'export.xml') ? 'datapower-export' : 'unknown-binary';
  }
  if (lower.endsWith('.p12') || lower.endsWith('.pfx')) return 'private-key';
  const body = derBodyStart(bytes);
  if (body !== undefined) {
    // Keys and PKCS#12 start SEQUENCE { INTEGER version (0 PKCS#1/#8, 1 SEC1 EC, 3 PKCS#12) ... };
    // certificates (and CSRs, CRLs) start SEQUENCE { SEQUENCE ... }.
    if (bytes[body] === 0x02 && bytes[body + 1] === 0x01 && [0, 1, 3].includes(bytes[body + 2] as number)) return 'private-key';
    if (bytes[body] === 0x30) return 'der-certificate';
  }
  // A .p7b bundle: ContentInfo { signedData OID, ... }, also in BER (indefinite length) as Windows writes it.
  if (derKind(bytes, true) === 'pkcs7') return 'der-certificate';
  if (isGzip(bytes)) return 'gzip';
  return looksBinary(bytes) ? 'unknown-binary' : 'text';
}

/** Index of the first element inside an outer DER SEQUENCE whose length matches the file, if it is one. */
function derBodyStart(bytes: Uint8Array): number | undefined {
  const header = outerSequence(bytes);
  return header && header.total === bytes.length ? header.body : undefined;
}

function includesAscii(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, 'latin1');
}
