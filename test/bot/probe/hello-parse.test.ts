import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClientHello } from '../../../bot/probe/client-hello.js';
import { readClientHello } from '../../../bot/probe/hello-parse.js';

// The ClientHello reader the listener and the profile captures use: every field of a hello built
// here, the SSLv2 format, and hostile bytes that must never throw out of it.

describe('readClientHello', () => {
  const hello = buildClientHello({ protocol: 'TLSv1.3', suites: [0x1301, 0x1302, 0xc02f, 0x00ff], servername: 'api.test', alsoOfferVersions: ['TLSv1.2'], groups: [29, 23] });

  it('reads versions, suites, SNI, groups, signature algorithms and extensions in order', () => {
    const r = readClientHello(hello);
    expect(r.state).toBe('hello');
    if (r.state !== 'hello') return;
    expect(r.hello.versions).toEqual(['TLSv1.3', 'TLSv1.2']);
    expect(r.hello.suites).toEqual([0x1301, 0x1302, 0xc02f, 0x00ff]);
    expect(r.hello.sni).toBe('api.test');
    expect(r.hello.groups).toEqual([29, 23]);
    expect(r.hello.keyShareGroups).toEqual([29]);
    expect(r.hello.pointFormats).toEqual([0, 1, 2]);
    expect(r.hello.signatureAlgorithms.slice(0, 3)).toEqual([0x0403, 0x0503, 0x0603]);
    expect(r.hello.extensions.map((e) => e.type)).toEqual([0, 10, 11, 13, 35, 23, 43, 45, 51, 0xff01]);
    expect(r.bytes.length).toBe(hello.length);
  });

  it('waits for the rest of a hello split anywhere, and for a hello spread over two records', () => {
    for (let cut = 0; cut < hello.length; cut += 7) expect(readClientHello(hello.subarray(0, cut)).state).toBe('need-more');
    const body = hello.subarray(5);
    const split = Buffer.concat([Buffer.from([0x16, 3, 1, 0, 40]), body.subarray(0, 40), Buffer.from([0x16, 3, 1, (body.length - 40) >> 8, (body.length - 40) & 0xff]), body.subarray(40)]);
    const r = readClientHello(split);
    expect(r.state === 'hello' && r.hello.sni).toBe('api.test');
  });

  it('reads the SSLv2-format hello of old clients (TLS suites kept, SSLv2 ciphers dropped)', () => {
    // length, CLIENT-HELLO, version 3.1, 9 bytes of specs, no session id, 16-byte challenge
    const specs = Buffer.from([0x00, 0x00, 0x2f, 0x07, 0x00, 0xc0, 0x00, 0x00, 0x0a]);
    const body = Buffer.concat([Buffer.from([1, 3, 1, 0, specs.length, 0, 0, 0, 16]), specs, Buffer.alloc(16, 7)]);
    const r = readClientHello(Buffer.concat([Buffer.from([0x80 | (body.length >> 8), body.length & 0xff]), body]));
    expect(r.state === 'hello' && [r.hello.format, r.hello.versions, r.hello.suites]).toEqual(['sslv2', ['TLSv1'], [0x002f, 0x000a]]);
  });

  it('names plain text as not TLS', () => {
    expect(readClientHello(Buffer.from('GET / HTTP/1.1\r\n')).state).toBe('not-tls');
    expect(readClientHello(Buffer.from('EHLO x\r\n')).state).toBe('not-tls');
  });

  it('never throws on random or mangled bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(hello.length), (noise, at) => {
        readClientHello(Buffer.from(noise));
        const mangled = Buffer.from(hello);
        mangled.set(noise.subarray(0, Math.min(noise.length, mangled.length - at)), at);
        const r = readClientHello(mangled);
        expect(['need-more', 'hello', 'not-tls', 'malformed']).toContain(r.state);
      }),
      { numRuns: 2000 },
    );
  });
});
