import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { readFixture } from '../../helpers/fixtures.js';

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

describe('scanning raw bytes', () => {
  const dataPower = (tid: number, message: string, client = '10.1.1.5'): string =>
    `20180815T125545.977Z [default][0x8120002f][ssl][error] ssl-server(Front): tid(${tid})[${client}]: SSL library error: ${message}`;
  const unknownProtocol = 'error:140760FC:SSL routines:SSL23_GET_CLIENT_HELLO:unknown protocol';
  const noSharedCipher = 'error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher';

  async function fromBytes(bytes: Buffer, size: number) {
    const session = diagnoser.start();
    for (let i = 0; i < bytes.length; i += size) session.pushBytes(bytes.subarray(i, i + size));
    return session.finish();
  }

  it('gives the same diagnosis for bytes cut anywhere, inside a UTF-8 character or a CRLF too', async () => {
    const text = ['café déjà vu ☕ 𝄞', dataPower(5, noSharedCipher), 'naïve line', dataPower(6, unknownProtocol), dataPower(7, unknownProtocol), 'fin'].join('\r\n');
    const whole = await diagnoser.diagnoseText(text);
    expect(whole.cause).toBe('protocol-too-old');
    for (const size of [1, 2, 3, 5, 64]) expect(await fromBytes(Buffer.from(text, 'utf8'), size)).toEqual(whole);
  });

  it('quotes a hit line holding invalid UTF-8 with U+FFFD instead of failing', async () => {
    const bytes = Buffer.concat([Buffer.from('junk \xff\xfe here\n', 'latin1'), Buffer.from('curl: (60) SSL certificate problem: certificate has expired \xff\n', 'latin1')]);
    const d = await fromBytes(bytes, 7);
    expect(d.cause).toBe('server-cert-expired');
    expect(d.evidence).toEqual([{ line: 2, text: 'curl: (60) SSL certificate problem: certificate has expired \uFFFD' }]);
  });

  it("finds a failing connection's context line parked many chunks (reused buffers) earlier", async () => {
    const context = '20180815T125500.001Z [default][0x80e0052e][xmlfirewall][debug] xmlfirewall(fw): tid(77): Starting SSL termination of connection 10.9.9.9:40000 10.1.1.10:443';
    const filler = Buffer.from(`${'ordinary traffic line, nothing to see\n'.repeat(2000)}`);
    const session = diagnoser.start();
    session.pushBytes(Buffer.from(`${context}\n`));
    for (let i = 0; i < 12; i++) session.pushBytes(filler);
    session.pushBytes(Buffer.from(`${dataPower(77, noSharedCipher)}\n`));
    const d = await session.finish();
    expect(d.cause).toBe('no-shared-cipher');
    // The causal line first, then the context line of its connection.
    expect(d.evidence[0]).toEqual({ line: 2 + 12 * 2000, text: dataPower(77, noSharedCipher) });
    expect(d.evidence[1]).toEqual({ line: 1, text: context });
  });

  it('keeps the context lines of the last 8,192 parked lines, growing from a small ring', async () => {
    const termination = (tid: number): string =>
      `20180815T125500.001Z [default][0x80e0052e][xmlfirewall][debug] xmlfirewall(fw): tid(${tid}): Starting SSL termination of connection 10.9.${tid % 250}.1:40000 10.1.1.10:443`;
    const tids = Array.from({ length: 9000 }, (_, i) => i + 1);
    const text = [...tids.map(termination), dataPower(1, noSharedCipher), dataPower(2000, noSharedCipher), dataPower(9000, noSharedCipher)].join('\n');
    const d = await diagnoser.diagnoseText(text);
    expect(d.cause).toBe('no-shared-cipher');
    expect(d.count).toBe(3);
    const quoted = d.evidence.map((e) => e.text);
    // tid 1 was parked 9,000 lines back, out of the ring; tids 2000 and 9000 are within it.
    expect(quoted).not.toContain(termination(1));
    expect(d.evidence).toContainEqual({ line: 2000, text: termination(2000) });
    expect(d.evidence).toContainEqual({ line: 9000, text: termination(9000) });
  });

  it('keeps each line its own tid and client address when many lines share a shape', async () => {
    const text = [dataPower(1, unknownProtocol, '10.0.0.1'), dataPower(2, unknownProtocol, '10.0.0.2'), dataPower(3, noSharedCipher, '10.0.0.3')].join('\n');
    const d = await diagnoser.diagnoseText(text);
    expect(d.cause).toBe('protocol-too-old');
    expect(d.count).toBe(2);
    expect(d.context).toMatchObject({ client: '10.0.0.1' });
    expect(d.others).toEqual([{ cause: 'no-shared-cipher', team: 'both', count: 1, example: { line: 3, text: dataPower(3, noSharedCipher, '10.0.0.3') } }]);
  });
});
