import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOT_USER_ID, type ApiCall } from './helpers/fake-slack.js';
import { startHarness, until, type Harness } from './helpers/harness.js';
import { eventEnvelope, newTs, sendCommand, sendEvent } from './helpers/signed.js';

// `/tls` and mention probes end to end. The probe target is a real loopback server that accepts
// and holds every connection for a while before closing it, so a probe takes seconds, as a
// probe of a sluggish endpoint would.

const HOLD_MS = 1200;
const CURL_EXPIRED = 'curl: (60) SSL certificate problem: certificate has expired';

let slow: Server;
let slowPort = 0;
let firstClose = Number.POSITIVE_INFINITY;
const sockets = new Set<Socket>();
beforeAll(async () => {
  slow = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    setTimeout(() => {
      firstClose = Math.min(firstClose, performance.now());
      socket.destroy();
      sockets.delete(socket);
    }, HOLD_MS);
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  slowPort = (slow.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => slow.close(() => resolve()));
});

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  firstClose = Number.POSITIVE_INFINITY;
});
afterEach(async () => h.close());

type Block = { type: string; text?: { text: string }; elements?: { text: string }[]; fields?: { text: string }[] };
const textOf = (blocks: unknown): string =>
  ((blocks as Block[] | undefined) ?? []).flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text), ...(b.fields ?? []).map((f) => f.text)]).join('\n');
const postText = (call: ApiCall | undefined): string => textOf(call?.args.blocks);
const command = (text: string, responseUrl: string): Record<string, string> => ({ text, channel_id: 'C1', channel_name: 'oncall', user_id: 'U1', user_name: 'alice', response_url: responseUrl });

describe('slash command /tls and mention probes (end to end)', () => {
  it('acknowledges "/tls probe" at once with "probing", and the result follows in the channel when the probe ends', async () => {
    const target = `127.0.0.1:${slowPort}`;
    const sentAt = performance.now();
    const ack = await sendCommand(h.eventsUrl, command(`probe ${target}`, h.fake.responseUrl()));
    const ackAt = sentAt + ack.ms;
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.body)).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining(`Probing ${target}`) });
    // Well inside Slack's 3 s, and before the probed server let go of its first connection.
    expect(ack.ms).toBeLessThan(1000);
    await until(() => h.fake.responses.length > 0, 20_000, 'the probe result');
    expect(ackAt).toBeLessThan(firstClose);
    const [result] = h.fake.responses;
    expect(result?.at).toBeGreaterThan(ackAt + HOLD_MS - 50);
    expect(result?.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(String(result?.body.text)).toMatch(/cause: handshake-aborted$/);
    expect(textOf(result?.body.blocks)).toContain('cause: `handshake-aborted`');
    expect(h.seen[0]).toMatchObject({ text: `probe ${target}`, addressed: true, channel: 'C1', user: 'U1' });
    expect(h.seen[0]?.thread).toBeUndefined();
    expect(h.fake.posts()).toEqual([]);
  });

  it('reads "/tls host:port" as a probe too', async () => {
    const ack = await sendCommand(h.eventsUrl, command(`127.0.0.1:${slowPort}`, h.fake.responseUrl()));
    expect(ack.body).toContain('Probing');
    await h.settle(1);
    expect(h.seen[0]?.text).toBe(`probe 127.0.0.1:${slowPort}`);
  });

  it('probes what a link points to, not its label: the URL, as the CLI reads it', async () => {
    // The label names an innocent host; the link goes to a loopback address the policy refuses.
    await sendCommand(h.eventsUrl, command(`probe <https://127.0.0.2:${slowPort}|payments-gw.internal:443>`, h.fake.responseUrl()));
    await h.settle(1);
    expect(h.seen[0]?.text).toBe(`probe https://127.0.0.2:${slowPort}`);
    await until(() => h.fake.responses.length > 0, 10_000, 'the refusal');
    expect(JSON.stringify(h.fake.responses[0]?.body)).toMatch(/refused by built-in deny \\"loopback\\" \(127\.0\.0\.2/);
    // The same by mention.
    const mention = { type: 'app_mention', channel: 'C1', user: 'U2', text: `<@${BOT_USER_ID}> probe <https://127.0.0.2:${slowPort}|x>`, ts: newTs() };
    await sendEvent(h.eventsUrl, eventEnvelope(mention));
    await h.settle(2);
    expect(h.seen[1]?.text).toBe(`probe https://127.0.0.2:${slowPort}`);
  });

  it('answers "/tls help" and bare "/tls" in the channel through response_url', async () => {
    const ack = await sendCommand(h.eventsUrl, command('help', h.fake.responseUrl()));
    expect(ack.status).toBe(200);
    await sendCommand(h.eventsUrl, command('', h.fake.responseUrl()));
    await h.settle(2);
    expect(h.fake.responses).toHaveLength(2);
    for (const r of h.fake.responses) {
      expect(r.body).toMatchObject({ response_type: 'in_channel', blocks: [{ type: 'header' }, { type: 'section' }] });
      expect(String(r.body.text)).toContain('probe host:port');
    }
  });

  it('diagnoses "/tls diagnose <text>" with no thread', async () => {
    await sendCommand(h.eventsUrl, command(`diagnose ${CURL_EXPIRED}`, h.fake.responseUrl()));
    await h.settle(1);
    expect(h.seen[0]?.thread).toBeUndefined();
    expect(textOf(h.fake.responses[0]?.body.blocks)).toContain('cause: `server-cert-expired`');
  });

  it('waits out a rate-limited response_url (429, Retry-After) instead of dropping the answer', async () => {
    h.fake.rateLimit('response_url', 1, 1);
    const started = performance.now();
    await sendCommand(h.eventsUrl, command('help', h.fake.responseUrl()));
    await until(() => h.fake.responses.length === 1, 20_000, 'the retried response');
    expect((h.fake.responses[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(1000);
  });

  it('joins a probe asked by mention inside a thread to that thread’s incident', async () => {
    const root = { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: CURL_EXPIRED, ts: newTs() };
    await sendEvent(h.eventsUrl, eventEnvelope(root));
    await h.settle(1);
    const mention = { type: 'app_mention', channel: 'C1', user: 'U2', text: `<@${BOT_USER_ID}> <http://127.0.0.1:${slowPort}|127.0.0.1:${slowPort}>`, ts: newTs(), thread_ts: root.ts };
    const ack = await sendEvent(h.eventsUrl, eventEnvelope(mention));
    // Answered at once; the probe (over a second against this server) runs after.
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(1000);
    expect(h.fake.posts()).toHaveLength(1);
    await h.settle(2);
    expect(h.seen[1]).toMatchObject({ text: `probe 127.0.0.1:${slowPort}`, thread: root.ts, addressed: true });
    const posts = h.fake.posts();
    expect(posts.length).toBeGreaterThanOrEqual(3);
    for (const p of posts) expect(p.args.thread_ts).toBe(root.ts);
    // The probe's own result, then what it did to the incident.
    expect(postText(posts[1])).toContain('cause: `handshake-aborted`');
    expect(postText(posts[2])).toMatch(/Diagnosis changed|Diagnosis unchanged/);
    expect(postText(posts[2])).toContain('Incident: 2 evidence item(s) in this thread.');
  });
});
