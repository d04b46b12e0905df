import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFixture } from '../../helpers/fixtures.js';
import { BOT_USER_ID, type ApiCall } from './helpers/fake-slack.js';
import { startHarness, until, type Harness } from './helpers/harness.js';
import { eventEnvelope, newTs, sendEvent } from './helpers/signed.js';

// Channel messages end to end: signed Events API requests into the real Bolt app, replies read
// from the fake Slack API.

const [LIBRARY_ERROR, RED_HERRING, , DEBUG_LINE] = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt').split('\n') as [string, string, string, string];
const CURL_EXPIRED = 'curl: (60) SSL certificate problem: certificate has expired';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const message = (text: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text, ts: newTs(), ...extra });
type Block = { type: string; text?: { text: string }; elements?: { text: string | { text: string } }[]; fields?: { text: string }[] };
const blocksOf = (call: ApiCall | undefined): Block[] => (call?.args.blocks as Block[] | undefined) ?? [];
const allText = (call: ApiCall | undefined): string =>
  blocksOf(call)
    .flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text.text)), ...(b.fields ?? []).map((f) => f.text)])
    .join('\n');
const footer = (call: ApiCall | undefined): string => {
  const last = blocksOf(call).at(-1);
  const text = last?.type === 'context' ? last.elements?.[0]?.text : undefined;
  return typeof text === 'string' ? text : '';
};

describe('slack channel messages (HTTP mode, end to end)', () => {
  it('answers a pasted log line in a thread under the message, as Block Kit with the cause in the footer', async () => {
    const event = message(`here is what prod says:\n\`\`\`${LIBRARY_ERROR}\n${DEBUG_LINE}\`\`\``);
    const sent = await sendEvent(h.eventsUrl, eventEnvelope(event));
    expect(sent.status).toBe(200);
    await h.settle(1);
    const [post] = h.fake.posts();
    expect(h.fake.posts()).toHaveLength(1);
    expect(post?.args).toMatchObject({ channel: 'C1', thread_ts: event.ts });
    expect(post?.authorization).toBe('Bearer xoxb-test-token');
    expect(footer(post)).toBe('cause: `protocol-too-old`');
    expect(String(post?.args.text)).toMatch(/cause: protocol-too-old$/);
    const blocks = blocksOf(post);
    expect(blocks[0]).toMatchObject({ type: 'header' });
    // Who acts carries the configured user group as a live mention.
    expect(allText(post)).toContain('*Who acts:* the client team (<!subteam^S123>), for the client at 192.168.1.46.');
    // …and so does the notification text, where everything else is escaped.
    expect(String(post?.args.text)).toContain('(<!subteam^S123>)');
    expect(allText(post)).toContain('```');
    expect(h.seen[0]).toMatchObject({ platform: 'slack', channel: 'C1', thread: event.ts, user: 'U1', addressed: false });
    expect(h.seen[0]?.text.startsWith('here is what prod says:\n')).toBe(true);
    expect(h.seen[0]?.text).not.toContain('```');
    // Logged: ids and sizes, never the token or what was pasted.
    const logged = JSON.stringify(h.logs);
    expect(h.logs.length).toBeGreaterThan(0);
    expect(logged).not.toContain('xoxb-test-token');
    expect(logged).not.toContain('SSL23_GET_CLIENT_HELLO');
    expect(logged).not.toContain('what prod says');
  });

  it('stays silent on a message with no TLS evidence', async () => {
    await sendEvent(h.eventsUrl, eventEnvelope(message('anyone up for lunch? <https://example.com|menu>')));
    await h.settle(1);
    expect(h.fake.posts()).toEqual([]);
    expect(h.seen[0]?.text).toBe('anyone up for lunch? menu');
  });

  it('rejects a forged signature: 401, the bot never sees it, nothing is posted', async () => {
    const sent = await sendEvent(h.eventsUrl, eventEnvelope(message(CURL_EXPIRED)), { secret: 'not-the-secret' });
    expect(sent.status).toBe(401);
    const stale = await sendEvent(h.eventsUrl, eventEnvelope(message(CURL_EXPIRED)), { headers: { 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000) - 600) } });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.seen).toEqual([]);
    expect(h.fake.posts()).toEqual([]);
  });

  it('answers a redelivered event (same event_id, x-slack-retry-num) once', async () => {
    const envelope = eventEnvelope(message(CURL_EXPIRED));
    const first = await sendEvent(h.eventsUrl, envelope);
    const retry = await sendEvent(h.eventsUrl, envelope, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await h.settle(2);
    expect(h.seen.map((m) => m.eventId)).toEqual([envelope.event_id, envelope.event_id]);
    expect(h.fake.posts()).toHaveLength(1);
  });

  it('answers a message that mentions the bot once, though Slack sends it as app_mention and as message', async () => {
    const ts = newTs();
    const text = `<@${BOT_USER_ID}> ${CURL_EXPIRED}`;
    await sendEvent(h.eventsUrl, eventEnvelope(message(text, { ts })));
    await sendEvent(h.eventsUrl, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text, ts }));
    await h.settle(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.seen).toHaveLength(1);
    expect(h.seen[0]).toMatchObject({ addressed: true, text: CURL_EXPIRED, thread: ts });
    expect(h.fake.posts()).toHaveLength(1);
  });

  it("ignores other bots' messages and its own", async () => {
    await sendEvent(h.eventsUrl, eventEnvelope(message(CURL_EXPIRED, { subtype: 'bot_message', bot_id: 'BALERTS', user: undefined })));
    await h.settle(1);
    expect(h.seen[0]).toMatchObject({ fromBot: true, user: 'BALERTS' });
    // Its own replies come back as message events too; Bolt drops them before any listener.
    await sendEvent(h.eventsUrl, eventEnvelope(message(CURL_EXPIRED, { user: BOT_USER_ID, bot_id: 'BBOT' })));
    await new Promise((r) => setTimeout(r, 200));
    await h.settle(1);
    expect(h.seen).toHaveLength(1);
    expect(h.fake.posts()).toEqual([]);
  });

  it('ignores edits and joins', async () => {
    await sendEvent(h.eventsUrl, eventEnvelope(message(CURL_EXPIRED, { subtype: 'message_changed' })));
    await sendEvent(h.eventsUrl, eventEnvelope(message('<@U9> has joined the channel', { subtype: 'channel_join' })));
    await new Promise((r) => setTimeout(r, 200));
    expect(h.seen).toEqual([]);
  });

  it('keeps a thread as one incident: a change is a follow-up, the first reply is edited, then a note', async () => {
    const root = message(RED_HERRING);
    await sendEvent(h.eventsUrl, eventEnvelope(root));
    await h.settle(1);
    const first = h.fake.posts()[0];
    expect(allText(first)).toContain('RED HERRING');
    expect(blocksOf(first)[0]).toMatchObject({ type: 'header', text: { text: ':rotating_light: RED HERRING: not the root cause' } });
    expect(footer(first)).toBe('cause: `red-herring-only`');

    await sendEvent(h.eventsUrl, eventEnvelope(message(`${LIBRARY_ERROR}\n${DEBUG_LINE}`, { user: 'U2', thread_ts: root.ts })));
    await h.settle(2);
    const change = h.fake.posts()[1];
    expect(change?.args.thread_ts).toBe(root.ts);
    expect(allText(change)).toContain('Diagnosis changed.');
    expect(footer(change)).toBe('cause: `protocol-too-old`');
    const [update] = h.fake.updates();
    expect(update?.args).toMatchObject({ channel: 'C1', ts: first?.result?.ts });
    expect(typeof first?.result?.ts).toBe('string');
    expect(footer(update)).toBe('cause: `protocol-too-old`');

    await sendEvent(h.eventsUrl, eventEnvelope(message(RED_HERRING, { user: 'U3', thread_ts: root.ts })));
    await h.settle(3);
    const noted = h.fake.posts()[2];
    expect(allText(noted)).toContain('Diagnosis unchanged');
    expect(noted?.args.thread_ts).toBe(root.ts);
    expect(h.fake.updates()).toHaveLength(1);
  });

  it('answers status in the thread when addressed', async () => {
    const root = message(CURL_EXPIRED);
    await sendEvent(h.eventsUrl, eventEnvelope(root));
    await h.settle(1);
    await sendEvent(h.eventsUrl, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@${BOT_USER_ID}> status`, ts: newTs(), thread_ts: root.ts }));
    await h.settle(2);
    const status = h.fake.posts()[1];
    expect(blocksOf(status)[0]).toMatchObject({ type: 'header', text: { text: 'Incident status' } });
    expect(status?.args.thread_ts).toBe(root.ts);
    expect(footer(status)).toMatch(/^cause: `server-cert-/);
  });

  it('does not lose a reply that Slack rate-limits (HTTP 429): it is sent after Retry-After', async () => {
    h.fake.rateLimit('chat.postMessage', 1, 1);
    const event = message(CURL_EXPIRED);
    const started = performance.now();
    await sendEvent(h.eventsUrl, eventEnvelope(event));
    await until(() => h.fake.posts().length === 1, 20_000, 'the retried post');
    const attempts = h.fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(attempts[1]?.args).toMatchObject({ channel: 'C1', thread_ts: event.ts });
    expect(footer(attempts[1])).toMatch(/^cause: /);
  });

  it('sends the reply as text when Slack refuses its blocks', async () => {
    let ts = 0;
    h.fake.handle('chat.postMessage', (args) => (args.blocks ? { ok: false, error: 'invalid_blocks' } : { ok: true, ts: `1800000000.${++ts}` }));
    await sendEvent(h.eventsUrl, eventEnvelope(message(CURL_EXPIRED)));
    await h.settle(1);
    const attempts = h.fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.args.blocks).toBeDefined();
    expect(attempts[1]?.args.blocks).toBeUndefined();
    expect(String(attempts[1]?.args.text)).toMatch(/cause: server-cert-expired$/);
  });

  it('answers a direct message without a mention, addressed', async () => {
    const event = message('help', { channel: 'D1', channel_type: 'im' });
    await sendEvent(h.eventsUrl, eventEnvelope(event));
    await h.settle(1);
    expect(h.seen[0]).toMatchObject({ addressed: true, channel: 'D1' });
    expect(h.fake.posts()[0]?.args).toMatchObject({ channel: 'D1', thread_ts: event.ts });
    expect(blocksOf(h.fake.posts()[0])[0]?.type).toBe('header');
  });
});
