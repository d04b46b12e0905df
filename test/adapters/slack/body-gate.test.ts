import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../bot/config.js';
import { startHarness, until, type Harness } from './helpers/harness.js';
import { eventEnvelope, newTs, sign } from './helpers/signed.js';

// What an unauthenticated request to /slack/events may cost (issue 16): the declared length and
// the signature timestamp are checked before the body is read, a body without a declared length
// is cut at the cap, and only slack.maxUnverifiedBodies bodies are read at once (past it 503).
// Raw sockets, so that a test can send headers and hold the body back.

let h: Harness | undefined;
const open: Socket[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.destroy();
  await h?.close();
  h = undefined;
});

interface RawRequest {
  readonly socket: Socket;
  /** Everything the server sent back so far. */
  answer(): string;
  /** Resolves with the status line's code once the server answered. */
  status(timeoutMs?: number): Promise<number>;
}

function rawRequest(url: string, headers: Record<string, string>, body = ''): RawRequest {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  open.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const head = [`POST ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  socket.write(head + body);
  return {
    socket,
    answer: () => received,
    async status(timeoutMs = 5000) {
      await until(() => /^HTTP\/1\.1 \d{3}/.test(received), timeoutMs, 'an answer');
      return Number(received.slice(9, 12));
    },
  };
}

const refusals = (harness: Harness): Record<string, unknown>[] => harness.logs.filter((l) => l.msg === 'slack request refused before its signature was checked');

describe('slack HTTP receiver, before the signature is checked', () => {
  it('refuses a declared length over slack.maxBodyBytes with 413 before any of the body is sent', async () => {
    h = await startHarness({ slack: { maxBodyBytes: 64 * 1024 } });
    const body = 'x'.repeat(100);
    const request = rawRequest(h.eventsUrl, { 'content-type': 'application/json', 'content-length': String(64 * 1024 + 1), ...sign(body) });
    expect(await request.status()).toBe(413);
    expect(request.answer()).toMatch(/connection: close/i);
    expect(refusals(h)).toEqual([expect.objectContaining({ status: 413, limit: 'slack.maxBodyBytes' })]);
    expect(h.seen).toEqual([]);
  });

  it('refuses a stale, missing or malformed signature timestamp with 401 before reading the body', async () => {
    h = await startHarness();
    const body = JSON.stringify(eventEnvelope({ type: 'message', channel: 'C1', user: 'U1', text: 'hi', ts: newTs() }));
    const length = String(Buffer.byteLength(body));
    const stale = rawRequest(h.eventsUrl, { 'content-type': 'application/json', 'content-length': length, ...sign(body, undefined, Math.floor(Date.now() / 1000) - 600) });
    const unsigned = rawRequest(h.eventsUrl, { 'content-type': 'application/json', 'content-length': length, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) });
    const garbled = rawRequest(h.eventsUrl, { 'content-type': 'application/json', 'content-length': length, 'x-slack-request-timestamp': 'soon', 'x-slack-signature': sign(body)['x-slack-signature'] as string });
    // None of them sent a byte of the body, and all are answered.
    expect(await Promise.all([stale.status(), unsigned.status(), garbled.status()])).toEqual([401, 401, 401]);
    expect(refusals(h).map((l) => l.status)).toEqual([401, 401, 401]);
  });

  it('reads at most slack.maxUnverifiedBodies bodies at once (default 16): past it 503, and a freed slot takes the next', async () => {
    expect(configSchema.parse({ slack: { botToken: 'xoxb-1', signingSecret: 's' } }).slack).toMatchObject({ maxUnverifiedBodies: 16, maxBodyBytes: 1024 * 1024 });
    h = await startHarness({ slack: { maxUnverifiedBodies: 3 } });
    const harness = h;
    const body = JSON.stringify(eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'curl: (60) SSL certificate problem: certificate has expired', ts: newTs() }));
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...sign(body) };
    // Three slow senders: headers and the first bytes, then nothing.
    const slow = [0, 1, 2].map(() => rawRequest(harness.eventsUrl, headers, body.slice(0, 10)));
    await new Promise((r) => setTimeout(r, 200));
    expect(slow.map((s) => s.answer())).toEqual(['', '', '']);
    const fourth = rawRequest(harness.eventsUrl, headers, body);
    expect(await fourth.status()).toBe(503);
    expect(refusals(harness)).toEqual([expect.objectContaining({ status: 503, limit: 'slack.maxUnverifiedBodies' })]);
    // One slow sender finishes: its (signed) event is answered and handled, and its slot is free again.
    slow[0]?.socket.write(body.slice(10));
    expect(await slow[0]?.status()).toBe(200);
    const other = JSON.stringify(eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'curl: (60) SSL certificate problem: certificate has expired', ts: newTs() }));
    const fifth = rawRequest(harness.eventsUrl, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(other)), ...sign(other) }, other);
    expect(await fifth.status()).toBe(200);
    await harness.settle(2);
    expect(harness.seen).toHaveLength(2);
    expect(harness.logs.filter((l) => l.msg === 'slack request refused before its signature was checked')).toHaveLength(1);
  });

  it('cuts a body without a declared length at slack.maxBodyBytes (413) instead of reading on', async () => {
    h = await startHarness({ slack: { maxBodyBytes: 64 * 1024 } });
    const request = rawRequest(h.eventsUrl, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...sign('{}') });
    const chunk = 'y'.repeat(16 * 1024);
    let sent = 0;
    // Keep sending until the server answers; it must answer once the cap is passed, not at the end.
    while (!/^HTTP/.test(request.answer()) && sent < 64 * 1024 * 64) {
      request.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      sent += chunk.length;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await request.status()).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 * 16);
    expect(refusals(h)).toEqual([expect.objectContaining({ status: 413, limit: 'slack.maxBodyBytes', reason: expect.stringContaining('cut') })]);
  });
});
