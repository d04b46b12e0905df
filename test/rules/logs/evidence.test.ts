import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { readFixture } from '../../helpers/fixtures.js';

// The evidence of a diagnosis: the lines that show the cause first, never a stack frame (Java and
// Node "at ...", "... 17 more", Python's File "..." lines and the code they quote, Go's file:line).

const diagnoser = createDiagnoser();
const FRAME = /^\s*at\s|^\s*\.\.\. \d+ more|^\s*File "|\.go:\d+ \+0x/;

describe('evidence lines', () => {
  it('a Java PKIX trace: the exception, none of its 30 frames', async () => {
    const d = await diagnoser.diagnoseText(readFixture('java/server-cert-untrusted.txt'));
    expect(d.cause).toBe('server-cert-untrusted');
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(d.evidence[0]?.text).toMatch(/PKIX path building failed/);
    for (const e of d.evidence) expect(e.text).not.toMatch(FRAME);
  });

  it('a Python traceback: the two error lines, not the code its frames quote', async () => {
    const d = await diagnoser.diagnoseText(readFixture('python/server-cert-expired.txt'));
    expect(d.evidence.map((e) => e.text.split(':')[0])).toEqual(['ssl.SSLCertVerificationError', 'urllib.error.URLError']);
  });

  it('a Node error: the error and its code, no frames', async () => {
    const d = await diagnoser.diagnoseText(readFixture('node/no-shared-cipher.txt'));
    expect(d.evidence.length).toBeGreaterThan(0);
    for (const e of d.evidence) expect(e.text).not.toMatch(FRAME);
  });

  it('causal lines come first, context lines after them, each in line order', async () => {
    const context = '20240131T101500.000Z [default][0x80e0052e][xmlfirewall][error] xmlfirewall(fw): tid(9)[10.1.1.7]: Starting SSL termination of connection 10.1.1.7:50111 10.1.1.10:443';
    const cause = '20240131T101500.000Z [default][0x8120002f][ssl][error] ssl-server(front): tid(9)[10.1.1.7]: SSL library error: error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher';
    const d = await diagnoser.diagnoseText([context, 'filler', cause].join('\n'));
    expect(d.evidence.map((e) => e.line)).toEqual([3, 1]);
  });
});
