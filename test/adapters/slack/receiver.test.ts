import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers/harness.js';
import { eventEnvelope, newTs, sendEvent, sign } from './helpers/signed.js';

// The HTTP side of /slack/events beyond events and commands: Slack's URL check, what is refused,
// the shared server's other routes, and shutdown.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

async function postRaw(body: string, contentType: string): Promise<Response> {
  return fetch(h.eventsUrl, { method: 'POST', headers: { 'content-type': contentType, ...sign(body) }, body });
}

describe('slack HTTP receiver', () => {
  it("answers Slack's url_verification challenge and ssl_check", async () => {
    const check = await postRaw(JSON.stringify({ type: 'url_verification', token: 't', challenge: 'c-123' }), 'application/json');
    expect(check.status).toBe(200);
    expect(await check.json()).toEqual({ challenge: 'c-123' });
    const ssl = await postRaw('ssl_check=1&token=t', 'application/x-www-form-urlencoded');
    expect(ssl.status).toBe(200);
    expect(h.seen).toEqual([]);
  });

  it('refuses a signed body that is not JSON or a form, and a request without signature headers', async () => {
    expect((await postRaw('{not json', 'application/json')).status).toBe(400);
    const unsigned = await fetch(h.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
  });

  it('shares the HTTP server: /healthz still answers', async () => {
    const health = await fetch(h.eventsUrl.replace('/slack/events', '/healthz'));
    expect(await health.json()).toEqual({ ok: true });
  });

  it('answers 503 after stop, so Slack delivers the event again later, and handles nothing', async () => {
    await h.adapter.stop();
    const sent = await sendEvent(h.eventsUrl, eventEnvelope({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'curl: (60) SSL certificate problem: certificate has expired', ts: newTs() }));
    expect(sent.status).toBe(503);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.seen).toEqual([]);
  });
});
