import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAUSE_IDS, createDiagnoser } from '../../../rules/index.js';

const diagnoser = createDiagnoser();
// Literal fragments of the signatures: hostile input is built from them so that the regexes get
// near-matches to chew on, not just random noise they reject at the first character.
const fragments = [
  'SSL library error: ', 'error:0A0000C1:SSL routines::', 'no shared cipher', 'tlsv1 alert ', 'unknown ca', 'SSL3 alert read:fatal:',
  'Received fatal alert: ', 'certificate validation failed for \'', "' against '", 'termination of connection ', '1.2.3.4:5',
  'tid(', ')[', '[0x8120002f][ssl][error] ', 'ssl-server(', 'verify error:num=', 'remote error: tls: ', '(', ')', ':', "'", ' ',
  'a'.repeat(50), ':'.repeat(40), '\\x16\\x03', 'TLS handshake error from ', '[client ', '\n', '\r\n', '\u0000', '\uFFFD', 'İ',
];

describe('adversarial and random text', () => {
  it('always yields a valid diagnosis and never throws (random unicode)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 2000 }), async (text) => {
        const d = await diagnoser.diagnoseText(text);
        expect(CAUSE_IDS).toContain(d.cause);
        expect(d.evidence.length).toBeLessThanOrEqual(20);
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast on text built from signature fragments (no catastrophic backtracking)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...fragments), { maxLength: 400 }), async (parts) => {
        const text = parts.join('');
        const started = performance.now();
        const d = await diagnoser.diagnoseText(text);
        // Generous bound: the point is "linear, not exponential", not a timing benchmark.
        expect(performance.now() - started).toBeLessThan(500);
        for (const e of d.evidence) expect(e.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('evidence line numbers point at the quoted line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom('noise line', 'curl: (60) SSL certificate problem: self-signed certificate', ''), fc.string({ maxLength: 40 })), { maxLength: 60 }),
        async (lines) => {
          const clean = lines.map((l) => l.replace(/[\r\n]/g, ' '));
          const d = await diagnoser.diagnoseText(clean.join('\n'));
          for (const e of d.evidence) expect(clean[e.line - 1]).toBe(e.text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a chunked stream and the whole text give the same diagnosis', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...fragments), { maxLength: 200 }), fc.integer({ min: 1, max: 97 }), async (parts, size) => {
        const text = parts.join('');
        const session = diagnoser.start();
        for (let i = 0; i < text.length; i += size) session.push(text.slice(i, i + size));
        expect(await session.finish()).toEqual(await diagnoser.diagnoseText(text));
      }),
      { numRuns: 200 },
    );
  });
});
