// Pure unit tests of the hand-built ClientHello and the server-flight parser (no sockets).
import { describe, expect, it } from 'vitest';
import { buildClientHello } from '../../../bot/probe/client-hello.js';
import { describeSuite, suitesFor } from '../../../bot/probe/cipher-suites.js';
import { CIPHER_SUITE_ROWS } from '../../../bot/probe/cipher-suites.data.js';
import { FlightParser, parseServerHello } from '../../../bot/probe/server-flight.js';
import { HRR_RANDOM } from '../../../bot/probe/tls-constants.js';

function extensionsOf(record: Buffer): Map<number, Buffer> {
  let off = 5 + 4 + 2 + 32;
  off += 1 + (record[off] ?? 0);
  off += 2 + record.readUInt16BE(off);
  off += 1 + (record[off] ?? 0);
  const end = off + 2 + record.readUInt16BE(off);
  off += 2;
  const out = new Map<number, Buffer>();
  while (off < end) {
    const t = record.readUInt16BE(off);
    const len = record.readUInt16BE(off + 2);
    out.set(t, record.subarray(off + 4, off + 4 + len));
    off += 4 + len;
  }
  return out;
}

function serverHello(version: number, suite: number, random: Buffer, exts: Buffer = Buffer.alloc(0)): Buffer {
  const body = Buffer.concat([Buffer.from([version >> 8, version & 0xff]), random, Buffer.from([0, suite >> 8, suite & 0xff, 0]), exts.length ? Buffer.concat([Buffer.from([exts.length >> 8, exts.length & 0xff]), exts]) : Buffer.alloc(0)]);
  const hs = Buffer.concat([Buffer.from([2, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([22, 3, 3, hs.length >> 8, hs.length & 0xff]), hs]);
}

describe('ClientHello', () => {
  it('TLS 1.3 carries supported_versions, key_share x25519, signature_algorithms, groups and SNI', () => {
    const rec = buildClientHello({ protocol: 'TLSv1.3', suites: suitesFor('TLSv1.3'), servername: 'example.test' });
    expect([rec[0], rec[1], rec[2]]).toEqual([22, 3, 1]);
    expect(rec.readUInt16BE(9)).toBe(0x0303);
    const ext = extensionsOf(rec);
    expect(ext.get(43)?.toString('hex')).toBe('020304');
    const ks = ext.get(51);
    expect(ks?.readUInt16BE(2)).toBe(29);
    expect(ks?.readUInt16BE(4)).toBe(32);
    expect(ext.has(13)).toBe(true);
    expect(ext.has(10)).toBe(true);
    expect(ext.get(0)?.subarray(5).toString()).toBe('example.test');
  });
  it('omits SNI for IP literals and uses record version 0x0300 for SSLv3', () => {
    const rec = buildClientHello({ protocol: 'SSLv3', suites: suitesFor('SSLv3'), servername: '127.0.0.1' });
    expect(rec.readUInt16BE(1)).toBe(0x0300);
    expect(rec.readUInt16BE(9)).toBe(0x0300);
    const ext = extensionsOf(rec);
    expect(ext.has(0)).toBe(false);
    expect(ext.has(13)).toBe(false); // signature_algorithms is TLS 1.2+
    expect(ext.has(11)).toBe(true);
  });
  it('pads hellos that would fall in the 256..511 byte range', () => {
    for (let n = 1; n < 200; n += 7) {
      const rec = buildClientHello({ protocol: 'TLSv1.2', suites: suitesFor('TLSv1.2').slice(0, n) });
      const hsLen = rec.length - 9;
      expect(hsLen < 0x100 || hsLen >= 0x200).toBe(true);
    }
  });
  it('offers only version-appropriate suites', () => {
    expect(suitesFor('TLSv1.3').every((c) => c >> 8 === 0x13)).toBe(true);
    expect(suitesFor('TLSv1').some((c) => describeSuite(c).iana.includes('GCM'))).toBe(false);
    expect(suitesFor('TLSv1.2').length).toBe(CIPHER_SUITE_ROWS.length - 5);
    expect(describeSuite(0xc02f)).toEqual({ code: 0xc02f, hex: '0xC02F', iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', openssl: 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(describeSuite(0xfefe).openssl).toBeNull();
  });
});

describe('server flight parser', () => {
  it('detects a HelloRetryRequest and the TLS 1.3 selected version', () => {
    const exts = Buffer.from([0, 43, 0, 2, 3, 4, 0, 51, 0, 2, 0, 23]);
    const [ev] = new FlightParser().push(serverHello(0x0303, 0x1302, HRR_RANDOM, exts));
    expect(ev).toEqual({ kind: 'server-hello', hello: { version: 'TLSv1.3', legacyVersion: 0x0303, cipherSuite: 0x1302, helloRetryRequest: true, keyShareGroup: 23 } });
  });
  it('reassembles a ServerHello split across chunks and records', () => {
    const rec = serverHello(0x0302, 0x002f, Buffer.alloc(32, 1));
    const p = new FlightParser();
    expect(p.push(rec.subarray(0, 3))).toEqual([]);
    expect(p.push(rec.subarray(3, 20))).toEqual([]);
    const evs = p.push(rec.subarray(20));
    expect(evs).toHaveLength(1);
    expect(parseServerHello(rec.subarray(9)).version).toBe('TLSv1.1');
  });
  it('reads alerts and flags plaintext', () => {
    expect(new FlightParser().push(Buffer.from([21, 3, 3, 0, 2, 2, 70]))).toEqual([{ kind: 'alert', level: 2, description: 70 }]);
    const [ev] = new FlightParser().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(ev?.kind).toBe('not-tls');
  });
  it('flags truncated messages as malformed instead of throwing', () => {
    const hs = Buffer.from([2, 0, 0, 3, 3, 3, 0]);
    const evs = new FlightParser().push(Buffer.concat([Buffer.from([22, 3, 3, 0, hs.length]), hs]));
    expect(evs[0]?.kind).toBe('malformed');
  });
});
