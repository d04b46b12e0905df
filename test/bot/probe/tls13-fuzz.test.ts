import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certificateParts, nameToString } from '../../../bot/probe/der.js';
import { Tls13Conversation } from '../../../bot/probe/tls13/conversation.js';

// Whatever a server sends, the TLS 1.3 reader and the DER reader report it; they never throw out of
// the probe (a RangeError from the DER reader is what the callers catch).
describe('bad bytes', () => {
  it('a Tls13Conversation fed any bytes ends with an outcome, never an exception', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 6 }), (chunks) => {
        const c = new Tls13Conversation({ servername: 'localhost' });
        c.start();
        for (const chunk of chunks) expect(() => c.push(Buffer.from(chunk))).not.toThrow();
        if (c.done) expect(['alert', 'not-tls13', 'unsupported-choice', 'decrypt-failed', 'malformed', 'flight-read']).toContain(c.result.outcome);
      }),
      { numRuns: 400 },
    );
  });

  it('plausible records with random bodies: ServerHello, then encrypted records', () => {
    const record = (type: number, body: Uint8Array): Buffer => Buffer.concat([Buffer.from([type, 3, 3, body.length >> 8, body.length & 0xff]), body]);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.uint8Array({ minLength: 0, maxLength: 300 }), (hello, secret) => {
        const c = new Tls13Conversation({});
        c.start();
        const hs = Buffer.concat([Buffer.from([2, 0, hello.length >> 8, hello.length & 0xff]), hello]);
        expect(() => c.push(Buffer.concat([record(22, hs), record(23, secret)]))).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('the DER reader throws only RangeError on garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const read of [() => certificateParts(Buffer.from(bytes)), () => nameToString(Buffer.from(bytes))]) {
          try {
            read();
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
