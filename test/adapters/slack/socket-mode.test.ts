import { afterEach, describe, expect, it } from 'vitest';
import { slackMode } from '../../../adapters/slack/index.js';
import { startFakeSocketMode, type FakeSocketMode } from './helpers/fake-socket.js';
import { startHarness, until, type Harness } from './helpers/harness.js';
import { eventEnvelope, newTs, sendEvent } from './helpers/signed.js';

// Socket Mode: chosen when SLACK_APP_TOKEN is set, connected through apps.connections.open at the
// configured API URL, and the same answers as HTTP mode, acknowledged over the socket.

const APP_TOKEN = 'xapp-1-A1-123-test';
const CURL_EXPIRED = 'curl: (60) SSL certificate problem: certificate has expired';

let h: Harness | undefined;
let ws: FakeSocketMode | undefined;
afterEach(async () => {
  await h?.close();
  await ws?.close();
  h = undefined;
  ws = undefined;
});

describe('slack Socket Mode', () => {
  it('is chosen exactly when an app-level token is configured', () => {
    expect(slackMode({ botToken: 'xoxb-1', appToken: APP_TOKEN })).toBe('socket');
    expect(slackMode({ botToken: 'xoxb-1', appToken: APP_TOKEN, signingSecret: 's' })).toBe('socket');
    expect(slackMode({ botToken: 'xoxb-1', signingSecret: 's' })).toBe('http');
  });

  it('connects over the socket, acknowledges envelopes there and answers as in HTTP mode', async () => {
    const socket = await startFakeSocketMode();
    ws = socket;
    h = await startHarness({ appToken: APP_TOKEN, prepare: (fake) => fake.handle('apps.connections.open', () => ({ ok: true, url: socket.url })) });
    await socket.connected();
    expect(h.adapter.mode).toBe('socket');
    const open = h.fake.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.authorization).toBe(`Bearer ${APP_TOKEN}`);

    // No HTTP route in Socket Mode: /slack/events is not served.
    const post = await sendEvent(h.eventsUrl, eventEnvelope({ type: 'message', channel: 'C1', user: 'U1', text: CURL_EXPIRED, ts: newTs() }));
    expect(post.status).toBe(404);

    const ts = newTs();
    socket.send({ envelope_id: 'env-1', type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '', payload: eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: CURL_EXPIRED, ts }) });
    await until(() => socket.received.some((m) => m.envelope_id === 'env-1'), 5000, 'the event ack');
    await h.settle(1);
    expect(h.fake.posts()[0]?.args).toMatchObject({ channel: 'C1', thread_ts: ts });

    const responseUrl = h.fake.responseUrl();
    socket.send({
      envelope_id: 'env-2',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { command: '/tls', text: 'help', channel_id: 'C1', user_id: 'U1', team_id: 'T1', response_url: responseUrl, trigger_id: 't', api_app_id: 'A1' },
    });
    await until(() => socket.received.some((m) => m.envelope_id === 'env-2'), 5000, 'the command ack');
    await h.settle(2);
    expect(h.fake.responses[0]?.body).toMatchObject({ response_type: 'in_channel', blocks: [{ type: 'header' }, { type: 'section' }] });
  });
});
