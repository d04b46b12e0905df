import { afterEach, describe, expect, it } from 'vitest';
import { readFixture } from '../../helpers/fixtures.js';
import { CHANNEL, message, nextId } from './helpers/activities.js';
import { cardOf, cardText, footerOf } from './helpers/cards.js';
import { startHarness, type TeamsHarness } from './helpers/harness.js';

// The first card's buttons end to end without Azure: the real CloudAdapter on 127.0.0.1, a click on
// an Action.Submit arriving as the message activity Teams sends (its `value` is the button's data),
// the verdict kept in the incident store and shown by `status`.

const JAVA_PKIX = readFixture('java/server-cert-untrusted.txt');

type Action = { type: string; title: string; data?: Record<string, unknown>; card?: { body: unknown[] } };

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Teams: a chat-sized card with Details, and feedback buttons that are stored', () => {
  it('a Java PKIX trace: 3 evidence lines at most, no frames, Details in the card; Wrong cause is stored and shown by status', async () => {
    const h = (harness = await startHarness({ config: { routing: { roles: { client: '<at id="tag-7c1e" type="tag">TLS Client Team</at>' } } } }));
    const url = h.connector.url;
    const root = nextId();
    await h.send(message({ serviceUrl: url, id: root, text: JAVA_PKIX, mention: true }));
    await h.adapter.idle();
    const card = cardOf(h.connector.calls[0]);
    const text = cardText(card);
    expect(footerOf(card)).toBe('cause: server-cert-untrusted');
    expect(text.match(/^#1 line \d+: /gm)?.length).toBeLessThanOrEqual(3);
    expect(text).toMatch(/^#1 line 1: Exception in thread "main" javax\.net\.ssl\.SSLHandshakeException: PKIX/m);
    expect(text).not.toMatch(/^\s*at |\.\.\. \d+ more/m);
    expect(text).toContain('Who acts: the client team (@TLS Client Team), for the Java client that wrote this log.');
    expect(card.msteams?.entities?.map((e) => e.mentioned.id)).toEqual(['tag-7c1e']);
    const actions = card.actions as unknown as Action[];
    expect(actions.map((a) => `${a.type}:${a.title}`)).toEqual(['Action.ShowCard:Details', 'Action.Submit:Right cause', 'Action.Submit:Wrong cause']);
    expect(cardText({ ...card, body: actions[0]?.card?.body ?? [] })).toContain('The client could not build a trusted chain');

    // The click: Teams posts a message activity in the reply chain, its value the button's data.
    const wrong = actions[2]?.data;
    expect(wrong).toEqual({ tlsTriage: 'feedback', verdict: 'wrong', cause: 'server-cert-untrusted' });
    const click = { ...message({ serviceUrl: url, text: '', root, from: { id: '29:1user-bob', name: 'Bob', aadObjectId: 'bob-aad' } }), text: undefined, value: wrong, replyToId: h.connector.calls[0]?.id };
    expect((await h.send(click)).status).toBe(200);
    await h.adapter.idle();
    expect(cardText(cardOf(h.connector.calls[1]))).toContain('recorded that server-cert-untrusted was the wrong cause');
    expect(h.connector.calls[1]?.conversation).toBe(`${CHANNEL};messageid=${root}`);
    const key = { platform: 'teams', channel: CHANNEL, thread: `${CHANNEL};messageid=${root}` };
    expect((await h.store.load(key))?.feedback).toEqual([{ user: 'bob-aad', at: expect.any(String), verdict: 'wrong', cause: 'server-cert-untrusted' }]);

    await h.send(message({ serviceUrl: url, text: 'status', root, mention: true }));
    await h.adapter.idle();
    const status = cardText(cardOf(h.connector.calls[2]));
    expect(status).toMatch(/^Feedback \(1\)$/m);
    expect(status).toMatch(/bob-aad: wrong cause \(server-cert-untrusted\)/);
  });

  it('a Probe submit runs the probe under the policy; a forged value is not a command', async () => {
    const h = (harness = await startHarness());
    const root = nextId();
    await h.send({ ...message({ serviceUrl: h.connector.url, text: '', root }), value: { tlsTriage: 'probe', target: '127.0.0.1:1' } });
    await h.adapter.idle();
    // The default policy refuses loopback: the refusal names the rule, as for a typed probe.
    const refused = h.connector.calls.map((c) => cardText(cardOf(c))).join('\n');
    expect(refused).toMatch(/refused by built-in deny "loopback"/);
    const before = h.connector.calls.length;
    await h.send({ ...message({ serviceUrl: h.connector.url, text: '', root }), value: { tlsTriage: 'forget' } });
    await h.adapter.idle();
    expect(h.connector.calls.length).toBe(before);
  });
});
