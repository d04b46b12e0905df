import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientHello } from '../../bot/probe/client-hello.js';
import { zipOf } from '../attacks/inputs.js';
import { pcapFileHeader } from '../capture/make-capture.js';

// Real inputs the generators start from and mutate: the log fixtures (real output of real
// software), the export fixtures, a certificate made by openssl now, a PKCS#7 bundle of it, a
// capture of a TCP connection carrying real ClientHellos, and zips of the exports.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Seeds {
  readonly logs: readonly string[];
  readonly exports: readonly string[];
  readonly zips: readonly Buffer[];
  readonly certificateDer: Buffer;
  readonly certificatePem: string;
  readonly pkcs7Der: Buffer;
  readonly captures: readonly Buffer[];
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return ext.test(name) ? [path] : [];
  });
}

export function loadSeeds(): Seeds {
  const logs = files(join(ROOT, 'test', 'fixtures', 'logs'), /\.txt$/).map((f) => readFileSync(f, 'utf8'));
  const exports = files(join(ROOT, 'test', 'fixtures', 'exports'), /\.xml$/).map((f) => readFileSync(f, 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'tls-triage-fuzz-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', '/CN=fuzz.test', '-addext', 'subjectAltName=DNS:fuzz.test'], { stdio: 'ignore' });
    execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', join(dir, 'c.pem'), '-outform', 'DER', '-out', join(dir, 'b.p7b')], { stdio: 'ignore' });
    const certificatePem = readFileSync(join(dir, 'c.pem'), 'utf8');
    const certificateDer = Buffer.from(certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    return { logs, exports, zips: exports.map((x) => zipOf('export.xml', Buffer.from(x))), certificateDer, certificatePem, pkcs7Der: readFileSync(join(dir, 'b.p7b')), captures: [capture()] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A pcap of one TCP connection: handshake, a ClientHello each way, a reset. */
function capture(): Buffer {
  const hello = buildClientHello({ protocol: 'TLSv1.2', suites: [0xc02f, 0xc030, 0x009c], servername: 'fuzz.test' });
  const packets: Buffer[] = [];
  const seq = { c: 1000, s: 5000 };
  const add = (fromClient: boolean, flags: number, payload: Buffer): void => {
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(fromClient ? 50000 : 443, 0);
    tcp.writeUInt16BE(fromClient ? 443 : 50000, 2);
    tcp.writeUInt32BE(fromClient ? seq.c : seq.s, 4);
    tcp[12] = 0x50;
    tcp[13] = flags;
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(40 + payload.length, 2);
    ip[8] = 64;
    ip[9] = 6;
    ip.writeUInt32BE(fromClient ? 0x7f000001 : 0x7f000002, 12);
    ip.writeUInt32BE(fromClient ? 0x7f000002 : 0x7f000001, 16);
    const frame = Buffer.concat([Buffer.alloc(12), Buffer.from([0x08, 0x00]), ip, tcp, payload]);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000, 0);
    record.writeUInt32LE(packets.length * 1000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    packets.push(record, frame);
    const advance = payload.length + ((flags & 0x03) !== 0 ? 1 : 0);
    if (fromClient) seq.c += advance;
    else seq.s += advance;
  };
  add(true, 0x02, Buffer.alloc(0));
  add(false, 0x12, Buffer.alloc(0));
  add(true, 0x10, Buffer.alloc(0));
  add(true, 0x18, hello);
  add(false, 0x18, Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]));
  add(false, 0x04, Buffer.alloc(0));
  const header = pcapFileHeader();
  return Buffer.concat([header, ...packets]);
}
