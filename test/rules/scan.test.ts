import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../rules/index.js';
import { readFixture } from '../helpers/fixtures.js';

const diagnoser = createDiagnoser();

async function chunked(text: string, size: number) {
  const session = diagnoser.start();
  for (let i = 0; i < text.length; i += size) session.push(text.slice(i, i + size));
  return session.finish();
}

describe('scanning', () => {
  it('gives 1-based line numbers, CRLF or not', async () => {
    const lines = ['hello', 'nothing here', 'curl: (60) SSL certificate problem: certificate has expired', 'bye'];
    for (const eol of ['\n', '\r\n']) {
      const d = await diagnoser.diagnoseText(lines.join(eol));
      expect(d.cause).toBe('server-cert-expired');
      expect(d.evidence).toEqual([{ line: 3, text: lines[2] }]);
    }
  });

  it('gives the same diagnosis whatever the chunk boundaries', async () => {
    const text = readFixture('datapower/multi-protocol-too-old-and-no-shared-cipher-reconstructed.txt');
    const whole = await diagnoser.diagnoseText(text);
    for (const size of [1, 7, 64, 1000]) expect(await chunked(text, size)).toEqual(whole);
  });

  it('groups DataPower lines by tid and counts connections, most frequent first', async () => {
    const line = (tid: number, msg: string): string =>
      `20180815T125545.977Z [default][0x8120002f][ssl][error] ssl-server(Front): tid(${tid})[10.1.1.${tid % 250}]: SSL library error: ${msg}`;
    const old = 'error:140760FC:SSL routines:SSL23_GET_CLIENT_HELLO:unknown protocol';
    const cipher = 'error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher';
    const text = [line(1, cipher), line(2, old), line(3, old), line(4, old), line(5, cipher), line(6, old)].join('\n');
    const d = await diagnoser.diagnoseText(text);
    expect(d.cause).toBe('protocol-too-old');
    expect(d.count).toBe(4);
    expect(d.others).toEqual([{ cause: 'no-shared-cipher', team: 'both', count: 2, example: { line: 1, text: line(1, cipher) } }]);
    expect(d.context).toMatchObject({ source: 'datapower', domain: 'default', object: 'ssl-server(Front)' });
  });

  it('reads a hit inside one enormous line without holding the rest', async () => {
    const filler = 'x'.repeat(5 * 1024 * 1024);
    const d = await chunked(`${filler} SSL routines::no shared cipher ${filler}\nsecond line`, 1024 * 1024);
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.evidence[0]?.line).toBe(1);
    expect(d.evidence[0]?.text.length).toBeLessThan(1000);
  });

  it('says the input is empty', async () => {
    const d = await diagnoser.diagnoseText('');
    expect(d.cause).toBe('unknown');
    expect(d.title).toMatch(/empty/);
  });

  it('does not mistake chat or other errors for TLS failures', async () => {
    for (const text of [
      'hey team, is the payments gateway down again? the handshake with the vendor meeting is at 3',
      'java.lang.NullPointerException: Cannot invoke "String.length()" because "s" is null\n\tat com.acme.App.main(App.java:12)',
      'ERROR 1045 (28000): Access denied for user root@localhost (using password: YES)',
      'Certificates are great. The cipher of the day is AES. Protocol meeting moved.',
    ]) {
      expect((await diagnoser.diagnoseText(text)).cause, text).toBe('unknown');
    }
  });
});
