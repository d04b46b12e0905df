import { afterEach, describe, expect, it } from 'vitest';
import { sClient } from '../../bot/listen/helpers.js';
import { freePort } from '../../bot/probe/helpers/servers.js';
import { message } from './helpers/activities.js';
import { cardOf, cardText, footerOf } from './helpers/cards.js';
import { startHarness, type TeamsHarness } from './helpers/harness.js';

// `listen` through the real CloudAdapter: where to point the client is answered in the turn's
// continuation; the result, minutes later in real use, comes from a proactive turn of its own into
// the same reply chain.

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Teams: listen', () => {
  it('answers where to point the client, then posts what arrived into the same reply chain', async () => {
    const port = await freePort();
    const h = (harness = await startHarness({ config: { listen: { ports: `${port}-${port}`, advertise: 'triage.example.test', host: '127.0.0.1', seconds: 30, maxConnections: 1 } } }));
    const activity = message({ serviceUrl: h.connector.url, text: 'listen', mention: true });
    await h.send(activity);
    await h.adapter.idle();
    expect(cardText(cardOf(h.connector.calls[0]))).toContain(`Listening on triage.example.test:${port}`);
    await sClient(port, ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    for (const end = Date.now() + 20_000; Date.now() < end && h.connector.calls.length < 2; ) await new Promise((r) => setTimeout(r, 50));
    const result = h.connector.calls[1];
    expect(result).toMatchObject({ method: 'POST', conversation: (activity.conversation as { id: string }).id });
    expect(footerOf(cardOf(result))).toBe('cause: protocol-too-old');
  }, 60_000);
});
