import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../bot/probe/helpers/servers.js';
import { runCli } from '../../helpers/cli.js';
import { readFixture } from '../../helpers/fixtures.js';
import type { ApiCall } from './helpers/fake-slack.js';
import { startFakeSocketMode, type FakeSocketMode } from './helpers/fake-socket.js';
import { startHarness, until, type Harness } from './helpers/harness.js';
import { blockAction, eventEnvelope, newTs, sendAction, sendEvent } from './helpers/signed.js';

// The first reply, its buttons and the feedback they give, through the real Bolt stack: signed
// Events API requests and interaction payloads on /slack/events (HTTP mode), envelopes over the
// socket (Socket Mode), replies read from the fake Slack API, feedback read back from the store
// and exported by the built CLI.

const JAVA_PKIX = readFixture('java/server-cert-untrusted.txt');
const FRAME = /^\s*at\s|\.\.\. \d+ more/m;

type Element = { type: string; action_id?: string; value?: string; text?: { text: string } | string };
type Block = { type: string; text?: { text: string }; elements?: Element[]; fields?: { text: string }[] };
const blocksOf = (call: ApiCall | undefined): Block[] => (call?.args.blocks as Block[] | undefined) ?? [];
const allText = (call: ApiCall | undefined): string =>
  blocksOf(call)
    .flatMap((b) => [b.text?.text ?? '', ...(b.type === 'actions' ? [] : (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))), ...(b.fields ?? []).map((f) => f.text)])
    .join('\n');
const buttons = (call: ApiCall | undefined): Element[] => blocksOf(call).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
/** Evidence lines of a reply: the lines of its ``` code sections. */
const evidenceLines = (call: ApiCall | undefined): string[] =>
  blocksOf(call)
    .flatMap((b) => (b.text?.text.startsWith('```') ? b.text.text.replace(/```/g, '').split('\n') : []))
    .filter(Boolean);

let h: Harness | undefined;
let socket: FakeSocketMode | undefined;
afterEach(async () => {
  await h?.close();
  await socket?.close();
  h = undefined;
  socket = undefined;
});

describe('slack: a chat-sized first reply with buttons, and feedback that reaches the rule authors', () => {
  it('a Java PKIX trace: 3 evidence lines at most, no stack frame, feedback buttons; a Wrong click is stored, shown by status and exported', async () => {
    const harness = (h = await startHarness());
    const root = newTs();
    await sendEvent(harness.eventsUrl, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: `prod payments is down:\n\`\`\`${JAVA_PKIX}\`\`\``, ts: root }));
    await harness.settle(1);
    const [first] = harness.fake.posts();
    expect(first?.args).toMatchObject({ channel: 'C1', thread_ts: root });
    const evidence = evidenceLines(first);
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.length).toBeLessThanOrEqual(3);
    expect(evidence[0]).toContain('PKIX path building failed');
    expect(allText(first)).not.toMatch(FRAME);
    expect(String(first?.args.text)).not.toMatch(FRAME);
    expect(allText(first)).toContain('*Who acts:* the client team (<!subteam^S123>), for the Java client that wrote this log.');
    expect(allText(first).match(/^\d\. /gm)?.length).toBeLessThanOrEqual(3);
    expect(buttons(first).map((b) => b.action_id)).toEqual(['details', 'feedback-right', 'feedback-wrong']);
    // The notification text is as short as the reply: no frames, a handful of lines.
    expect(String(first?.args.text).split('\n').length).toBeLessThanOrEqual(16);

    // Wrong cause, clicked by someone else: a signed interaction payload on /slack/events.
    const wrong = buttons(first).find((b) => b.action_id === 'feedback-wrong');
    const clicked = await sendAction(harness.eventsUrl, blockAction({ user: 'U2', channel: 'C1', messageTs: String(first?.result?.ts), threadTs: root, actionId: 'feedback-wrong', value: wrong?.value as string }));
    expect(clicked.status).toBe(200);
    await harness.settle(2);
    const thanks = harness.fake.posts()[1];
    expect(thanks?.args).toMatchObject({ channel: 'C1', thread_ts: root });
    expect(allText(thanks)).toContain('recorded that server-cert-untrusted was the wrong cause');
    const key = { platform: 'slack', channel: 'C1', thread: root };
    expect((await harness.store.load(key))?.feedback).toEqual([{ user: 'U2', at: expect.any(String), verdict: 'wrong', cause: 'server-cert-untrusted' }]);

    // What it was, typed in the thread without a mention.
    await sendEvent(harness.eventsUrl, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U3', text: 'feedback wrong it was the proxy', ts: newTs(), thread_ts: root }));
    await harness.settle(3);
    expect((await harness.store.load(key))?.feedback.map((f) => [f.user, f.comment])).toEqual([['U2', undefined], ['U3', 'it was the proxy']]);

    // `status` shows it.
    await sendEvent(harness.eventsUrl, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: '<@UBOT> status', ts: newTs(), thread_ts: root }));
    await harness.settle(4);
    const status = harness.fake.posts().at(-1);
    expect(allText(status)).toContain('*Feedback (2)*');
    expect(allText(status)).toMatch(/U2: wrong cause \(server-cert-untrusted\)/);
    expect(allText(status)).toMatch(/U3: wrong cause \(server-cert-untrusted\): it was the proxy/);

    // `tls-triage feedback export --json` reads the bot's store: JSON Lines for rule authors.
    const exported = await runCli(['feedback', 'export', '--json'], { env: { TLS_TRIAGE_DB: harness.storePath } });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { incident: `slack/C1/${root}`, platform: 'slack', channel: 'C1', thread: root, user: 'U2', verdict: 'wrong', cause: 'server-cert-untrusted', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      { incident: `slack/C1/${root}`, platform: 'slack', channel: 'C1', thread: root, user: 'U3', verdict: 'wrong', cause: 'server-cert-untrusted', at: expect.any(String), comment: 'it was the proxy' },
    ]);
  });

  it('Details posts the whole diagnosis as a reply in the thread', async () => {
    const harness = (h = await startHarness());
    const root = newTs();
    await sendEvent(harness.eventsUrl, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: JAVA_PKIX, ts: root }));
    await harness.settle(1);
    const [first] = harness.fake.posts();
    const details = await sendAction(harness.eventsUrl, blockAction({ user: 'U1', channel: 'C1', messageTs: String(first?.result?.ts), threadTs: root, actionId: 'details', value: 'server-cert-untrusted' }));
    expect(details.status).toBe(200);
    await harness.settle(2);
    const whole = harness.fake.posts()[1];
    expect(whole?.args).toMatchObject({ channel: 'C1', thread_ts: root });
    expect(allText(whole)).toContain('The client could not build a trusted chain');
    expect(allText(whole)).toContain('*Cause*\n`server-cert-untrusted`');
    expect(allText(whole).match(/^\d+\. /gm)?.length).toBeGreaterThan(3);
    expect(allText(whole)).not.toMatch(FRAME);
    expect(buttons(whole).map((b) => b.action_id)).toEqual(['feedback-right', 'feedback-wrong']);
  });

  it('offers Probe host:port for an endpoint the policy allows; the click probes under the same limits and audit as /tls probe', async () => {
    const harness = (h = await startHarness());
    const port = await closedPort();
    const root = newTs();
    await sendEvent(harness.eventsUrl, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: `* Connected to 127.0.0.1 (127.0.0.1) port ${port}\ncurl: (60) SSL certificate problem: unable to get local issuer certificate`, ts: root }));
    await harness.settle(1);
    const [first] = harness.fake.posts();
    const probe = buttons(first).find((b) => b.action_id === 'probe');
    expect(probe).toMatchObject({ value: `127.0.0.1:${port}`, text: { text: `Probe 127.0.0.1:${port}` } });
    await sendAction(harness.eventsUrl, blockAction({ user: 'U4', channel: 'C1', messageTs: String(first?.result?.ts), threadTs: root, actionId: 'probe', value: probe?.value as string }));
    await harness.settle(2);
    await until(() => harness.fake.posts().length >= 3, 10_000, 'the probe result and what it changed');
    expect(harness.fake.posts().slice(1).every((p) => p.args.thread_ts === root)).toBe(true);
    expect(harness.logs.find((l) => l.event === 'probe-audit')).toMatchObject({ verdict: 'allowed', user: 'U4', channel: 'C1', platform: 'slack', target: `127.0.0.1:${port}`, cause: 'connection-refused' });
  });

  it('takes a click over the socket in Socket Mode', async () => {
    const ws = (socket = await startFakeSocketMode());
    const harness = (h = await startHarness({ appToken: 'xapp-1-A1-123-test', prepare: (fake) => fake.handle('apps.connections.open', () => ({ ok: true, url: ws.url })) }));
    await ws.connected();
    const root = newTs();
    ws.send({ envelope_id: 'env-1', type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '', payload: eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: JAVA_PKIX, ts: root }) });
    await harness.settle(1);
    const [first] = harness.fake.posts();
    ws.send({ envelope_id: 'env-2', type: 'interactive', accepts_response_payload: false, payload: blockAction({ user: 'U5', channel: 'C1', messageTs: String(first?.result?.ts), threadTs: root, actionId: 'feedback-right', value: 'server-cert-untrusted' }) });
    await until(() => ws.received.some((m) => m.envelope_id === 'env-2'), 5000, 'the click ack');
    await harness.settle(2);
    expect((await harness.store.load({ platform: 'slack', channel: 'C1', thread: root }))?.feedback).toMatchObject([{ user: 'U5', verdict: 'right', cause: 'server-cert-untrusted' }]);
  });
});
