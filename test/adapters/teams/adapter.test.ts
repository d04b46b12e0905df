import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readFixture, loadLogFixtures } from '../../helpers/fixtures.js';
import { closedPort } from '../../bot/probe/helpers/servers.js';
import { message, nextId, TENANT } from './helpers/activities.js';
import { cardOf, cardText, footerOf } from './helpers/cards.js';
import { startHarness, type TeamsHarness } from './helpers/harness.js';

// End to end without Azure: the real CloudAdapter behind the shared Express host on 127.0.0.1,
// activities POSTed to /api/messages, replies recorded by a fake Bot Connector.

const [LIBRARY_ERROR, RED_HERRING, , DEBUG_LINE] = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt').split('\n') as [string, string, string, string];
const APP_ID = '4f1d5b7e-0c2a-4b8e-9a51-2f7c3d9e6b10';
const APP_PASSWORD = 'fake-app-password-for-tests-only';
const CLIENT_TEAM_TAG = '<at id="tag-7c1e" type="tag">TLS Client Team</at>';

let harness: TeamsHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<TeamsHarness> {
  harness = await startHarness(options);
  return harness;
}

describe('Teams adapter over HTTP', () => {
  it('refuses a request without credentials when an app id is configured (401) and sends nothing', async () => {
    const h = await start({ teams: { appId: APP_ID, appPassword: APP_PASSWORD } });
    const result = await h.send(message({ serviceUrl: h.connector.url, text: 'help', mention: true }));
    expect(result.status).toBe(401);
    const forged = await h.send(message({ serviceUrl: h.connector.url, text: 'help', mention: true }), { authorization: 'Bearer not-a-jwt' });
    expect(forged.status).toBe(401);
    await h.adapter.idle();
    expect(h.connector.calls).toEqual([]);
    expect(h.logs.filter((l) => l.msg === 'teams request refused').map((l) => l.status)).toEqual([401, 401]);
    expect(h.rawLogs()).not.toContain(APP_PASSWORD);
    expect(h.rawLogs()).not.toContain('not-a-jwt');
  });

  it('answers malformed requests with 400, and 503 once stopped', async () => {
    const h = await start();
    const post = (body: string) => fetch(`${h.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('{"type": ')).status).toBe(400);
    expect((await post('{"text": "no type"}')).status).toBe(400);
    expect((await post('[1, 2]')).status).toBe(400);
    await h.adapter.stop();
    expect((await h.send(message({ serviceUrl: h.connector.url, text: 'help', mention: true }))).status).toBe(503);
    expect(h.connector.calls).toEqual([]);
  });

  it('in a channel answers chatter only when mentioned; a personal chat is always addressed', async () => {
    const h = await start();
    const url = h.connector.url;
    expect((await h.send(message({ serviceUrl: url, text: 'lunch anyone?' }))).status).toBe(200);
    await h.send(message({ serviceUrl: url, text: 'help' }));
    await h.adapter.idle();
    expect(h.connector.calls).toEqual([]);

    await h.send(message({ serviceUrl: url, text: 'lunch anyone?', mention: true }));
    await h.adapter.idle();
    expect(h.connector.calls).toHaveLength(1);
    expect(cardText(cardOf(h.connector.calls[0]))).toContain('No TLS failure recognised');

    await h.send(message({ serviceUrl: url, text: 'help', conversationType: 'personal' }));
    await h.adapter.idle();
    expect(h.connector.calls).toHaveLength(2);
    expect(h.connector.calls[1]?.conversation).toMatch(/^a:1personal-/);
    expect(cardText(cardOf(h.connector.calls[1]))).toMatch(/probe host:port/);
    // Authentication off: the bot's outgoing calls carry no token.
    expect(h.connector.calls.every((c) => c.authorization === undefined)).toBe(true);
  });

  it('strips the @mention, posts "probing ..." within the turn, and replaces it with the probe result', async () => {
    const slow = await slowPlainHttpServer(1500);
    try {
      const h = await start({ config: { probe: { allow: ['127.0.0.1'] } } });
      const activity = message({ serviceUrl: h.connector.url, text: `probe 127.0.0.1:${slow.port}`, mention: true });
      expect(activity.text).toBe(`<at>tls-triage</at> probe 127.0.0.1:${slow.port}`);
      const answered = await h.send(activity);
      expect(answered.status).toBe(200);
      // The HTTP request is not held for the probe: the server only answers after 1.5 s.
      expect(answered.ms).toBeLessThan(1200);
      expect(h.connector.calls).toHaveLength(1);
      const [probing] = h.connector.calls;
      expect(probing).toMatchObject({ method: 'POST', activityId: activity.id });
      expect(cardText(cardOf(probing))).toContain(`Probing 127.0.0.1:${slow.port}`);

      await h.adapter.idle();
      const result = h.connector.calls[1];
      expect(result).toMatchObject({ method: 'PUT', activityId: probing?.id, conversation: (activity.conversation as { id: string }).id });
      expect(slow.firstAnswerAt()).toBeLessThan(result?.at ?? 0);
      const card = cardOf(result);
      expect(footerOf(card)).toBe('cause: tls-on-plain-port');
      expect(cardText(card)).toContain('Who acts:');
      expect(h.connector.calls).toHaveLength(2);
    } finally {
      await slow.stop();
    }
  });

  it('a red herring, then the SSL library error in the thread: a "changed" reply and the first card updated', async () => {
    const h = await start({ config: { routing: { roles: { client: CLIENT_TEAM_TAG } } } });
    const root = nextId();
    const first = message({ serviceUrl: h.connector.url, id: root, text: RED_HERRING });
    await h.send(first);
    await h.adapter.idle();
    expect(h.connector.calls).toHaveLength(1);
    const [firstReply] = h.connector.calls;
    const thread = `19:0a1b2c3d4e5f@thread.tacv2;messageid=${root}`;
    expect(firstReply).toMatchObject({ method: 'POST', conversation: thread, activityId: root });
    const firstCard = cardOf(firstReply);
    expect(cardText(firstCard)).toMatch(/^RED HERRING/);
    expect(footerOf(firstCard)).toBe('cause: red-herring-only');

    const reply = message({ serviceUrl: h.connector.url, root, text: `${LIBRARY_ERROR}\n${DEBUG_LINE}` });
    await h.send(reply);
    await h.adapter.idle();
    expect(h.connector.calls.map((c) => c.method)).toEqual(['POST', 'POST', 'PUT']);
    const [, change, update] = h.connector.calls;
    expect(change).toMatchObject({ conversation: thread, activityId: reply.id });
    const changeCard = cardOf(change);
    expect(cardText(changeCard)).toMatch(/Diagnosis changed[\s\S]*Was: red herring only/);
    expect(footerOf(changeCard)).toBe('cause: protocol-too-old');
    expect(update).toMatchObject({ conversation: thread, activityId: firstReply?.id });
    const updated = cardOf(update);
    expect(footerOf(updated)).toBe('cause: protocol-too-old');
    expect(cardText(updated)).not.toMatch(/RED HERRING/);
    // The routed team is a real Teams tag mention on both cards.
    for (const card of [changeCard, updated]) {
      expect(card.msteams?.entities).toEqual([{ type: 'mention', text: '<at>TLS Client Team</at>', mentioned: { id: 'tag-7c1e', name: 'TLS Client Team', type: 'tag' } }]);
      expect(cardText(card)).toContain('**Routed to:** <at>TLS Client Team</at>');
    }
    // Pasted text never reaches the log.
    expect(h.rawLogs()).not.toContain('unknown protocol');
    expect(h.rawLogs()).not.toContain('did not send a certificate');
  });

  it('a redelivered probe gets no second answer: its "probing" message is removed again', async () => {
    const h = await start({ config: { probe: { allow: ['127.0.0.1'] } } });
    const port = await closedPort();
    const activity = message({ serviceUrl: h.connector.url, text: `probe 127.0.0.1:${port}`, mention: true });
    await h.send(activity);
    await h.adapter.idle();
    await h.send(activity);
    await h.adapter.idle();
    const [probing, result, again, removed] = h.connector.calls;
    expect(h.connector.calls.map((c) => c.method)).toEqual(['POST', 'PUT', 'POST', 'DELETE']);
    expect(result?.activityId).toBe(probing?.id);
    expect(footerOf(cardOf(result))).toBe('cause: connection-refused');
    expect(removed?.activityId).toBe(again?.id);
  });

  it('answers a redelivered activity once', async () => {
    const h = await start();
    const activity = message({ serviceUrl: h.connector.url, text: LIBRARY_ERROR });
    await h.send(activity);
    await h.adapter.idle();
    await h.send(activity);
    await h.adapter.idle();
    expect(h.connector.calls).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === 'duplicate event skipped')).toBe(true);
  });

  it('ignores tenants outside TEAMS_ALLOWED_TENANTS', async () => {
    const h = await start({ teams: { allowUnauthenticated: true, allowedTenants: [TENANT] } });
    expect((await h.send(message({ serviceUrl: h.connector.url, text: 'help', mention: true, tenant: 'c0ffee00-0000-4000-8000-00000000e71l' }))).status).toBe(200);
    await h.adapter.idle();
    expect(h.connector.calls).toEqual([]);
    expect(h.logs.find((l) => l.msg?.toString().includes('outside TEAMS_ALLOWED_TENANTS'))).toMatchObject({ tenant: 'c0ffee00-0000-4000-8000-00000000e71l' });
    await h.send(message({ serviceUrl: h.connector.url, text: 'help', mention: true }));
    await h.adapter.idle();
    expect(h.connector.calls).toHaveLength(1);
  });

  it('keeps a long paste under the Teams message size, truncated with a note and the cause kept', async () => {
    const h = await start();
    const pad = ' padding'.repeat(80);
    const connections = Array.from({ length: 40 }, (_, i) => `${LIBRARY_ERROR.replace('tid(24017)', `tid(${30_000 + i})`)}${pad}`);
    // Other fixtures as they are (padding would break the PEM blocks some of them hold).
    const others = loadLogFixtures()
      .filter((f) => !f.file.startsWith('negative'))
      .map((f) => readFixture(f.file));
    const paste = [...connections, ...others].join('\n');
    expect(paste.length).toBeGreaterThan(100_000);
    await h.send(message({ serviceUrl: h.connector.url, text: paste, mention: true }));
    await h.adapter.idle();
    expect(h.connector.calls).toHaveLength(1);
    const [call] = h.connector.calls;
    expect(call?.bytes).toBeLessThan(28 * 1024);
    const card = cardOf(call);
    // The card shows three evidence lines; Details (in the card) holds the rest, cut to fit.
    expect(cardText(card).match(/^#1 line \d+: /gm)).toHaveLength(3);
    const details = (card.actions as { type: string; card?: { body: unknown[] } }[] | undefined)?.find((a) => a.type === 'Action.ShowCard');
    expect(cardText({ ...card, body: details?.card?.body ?? [] })).toMatch(/… and \d+ more evidence lines not shown here/);
    expect(footerOf(card)).toBe('cause: protocol-too-old');
    expect(card.fallbackText).toMatch(/\ncause: protocol-too-old$/);
  });

  it('downloads attached files (file download info and inline) without a token when authentication is off', async () => {
    const h = await start();
    h.connector.files.set('datapower.log', Buffer.from(`${LIBRARY_ERROR}\n${DEBUG_LINE}\n`));
    h.connector.files.set('nginx-error.log', Buffer.from('2026/11/22 10:00:01 [info] 123#0: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.1.2.3, server: 0.0.0.0:443\n'));
    const attachments = [
      { contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'datapower.log', content: { downloadUrl: `${h.connector.url}files/datapower.log`, uniqueId: 'u1', fileType: 'log' } },
      { contentType: 'text/plain', name: 'nginx-error.log', contentUrl: `${h.connector.url}files/nginx-error.log` },
      { contentType: 'text/html', content: '<p>see attached</p>' },
    ];
    await h.send(message({ serviceUrl: h.connector.url, text: '', conversationType: 'personal', attachments }));
    await h.adapter.idle();
    expect(h.connector.fileRequests.map((r) => r.name).sort()).toEqual(['datapower.log', 'nginx-error.log']);
    expect(h.connector.fileRequests.every((r) => r.authorization === undefined)).toBe(true);
    expect(h.connector.calls).toHaveLength(1);
    const card = cardOf(h.connector.calls[0]);
    // Both files are evidence of the chat's incident: one is the cause, the other "also in this input"
    // (behind Details). Which one leads is the rules' ranking, not this adapter's business.
    const causes = ['no-shared-cipher', 'protocol-too-old'];
    const lead = footerOf(card).replace('cause: ', '');
    expect(causes).toContain(lead);
    const other = causes.find((c) => c !== lead) as string;
    const details = (card.actions as { type: string; card?: { body: unknown[] } }[] | undefined)?.find((a) => a.type === 'Action.ShowCard');
    expect(cardText({ ...card, body: details?.card?.body ?? [] })).toMatch(new RegExp(`^${other} \\(.*\\), e\\.g\\. #\\d line 1`, 'm'));
    expect(cardText(card)).toContain('Incident: 2 evidence item(s).');

    await h.send(message({ serviceUrl: h.connector.url, text: 'here is the log', mention: true, attachments: [{ contentType: 'text/plain', name: 'gone.log', contentUrl: `${h.connector.url}files/gone.log` }] }));
    await h.adapter.idle();
    const problem = cardOf(h.connector.calls[1]);
    expect(footerOf(problem)).toBe('error: INPUT_UNREADABLE');
    expect(cardText(problem)).toContain('gone.log: download refused (HTTP 404)');
  });

  it('answers messages from other bots only when allowed (chat.allowBots)', async () => {
    const alerts = { id: '28:alerting-bot', name: 'Alerts', role: 'bot' };
    const h = await start({ config: { chat: { allowBots: ['28:other-bot'] } } });
    await h.send(message({ serviceUrl: h.connector.url, text: LIBRARY_ERROR, mention: true, from: alerts }));
    await h.adapter.idle();
    expect(h.connector.calls).toEqual([]);
    await h.close();
    const allowed = await start({ config: { chat: { allowBots: [alerts.id] } } });
    await allowed.send(message({ serviceUrl: allowed.connector.url, text: LIBRARY_ERROR, mention: true, from: alerts }));
    await allowed.adapter.idle();
    expect(footerOf(cardOf(allowed.connector.calls[0]))).toBe('cause: protocol-too-old');
  });
});

/** A TCP server on 127.0.0.1 that answers any bytes with an HTTP 400 after `delayMs` (plain HTTP on a TLS port, slowly). */
async function slowPlainHttpServer(delayMs: number): Promise<{ port: number; firstAnswerAt: () => number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let firstAnswer = Number.POSITIVE_INFINITY;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => {
      setTimeout(() => {
        firstAnswer = Math.min(firstAnswer, performance.now());
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    firstAnswerAt: () => firstAnswer,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
