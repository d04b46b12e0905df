import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generatePki, type TestPki } from '../../bot/probe/helpers/certs.js';
import { freePort, startSServer, type Peer } from '../../bot/probe/helpers/servers.js';
import { startStartTlsServer } from '../../bot/probe/helpers/starttls-servers.js';
import { sClient } from '../../bot/listen/helpers.js';
import { BOT_USER_ID, type ApiCall } from './helpers/fake-slack.js';
import { startHarness, until, type Harness } from './helpers/harness.js';
import { eventEnvelope, newTs, sendEvent } from './helpers/signed.js';

// The live checks of the issue through the real Bolt stack: "probe smtp://h:25" as Slack sends it
// (an auto-linked URL), "probe host:port as java-8", and "listen" in an incident thread with the
// client's handshake joining the incident.

let pki: TestPki;
const peers: Peer[] = [];
let h: Harness | undefined;
beforeAll(() => {
  pki = generatePki();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  pki.cleanup();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Block = { type: string; text?: { text: string }; elements?: { text: string }[] };
const footer = (call: ApiCall | undefined): string => {
  const last = ((call?.args.blocks as Block[] | undefined) ?? []).at(-1);
  return last?.type === 'context' ? (last.elements?.[0]?.text ?? '') : '';
};
// A message that mentions the bot is answered from its app_mention event (Slack sends both).
const mention = (text: string, ts = newTs(), extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@${BOT_USER_ID}> ${text}`, ts, ...extra });

describe('slack: STARTTLS, --as and listen', () => {
  it('"probe <smtp://…|smtp://…>" (Slack\'s link markup) probes the TLS behind SMTP STARTTLS', async () => {
    h = await startHarness();
    const peer = await startStartTlsServer('smtp', { cert: readFileSync(pki.leafCert, 'utf8') + readFileSync(pki.interFile, 'utf8'), key: readFileSync(pki.leafKey, 'utf8') });
    peers.push(peer);
    const url = `smtp://127.0.0.1:${peer.port}`;
    await sendEvent(h.eventsUrl, eventEnvelope(mention(`probe <${url}|${url}>`)));
    await until(() => (h?.fake.posts().length ?? 0) > 0, 20_000, 'the probe result');
    expect(h.seen[0]?.text).toBe(`probe ${url}`);
    // Behind the upgrade, a chain up to a root the bot does not hold: a TLS verdict, not "speaks SMTP".
    expect(footer(h.fake.posts()[0])).toBe('cause: `server-cert-untrusted`');
  }, 60_000);

  it('"probe host:port as java-8" answers for that client', async () => {
    h = await startHarness();
    const peer = await startSServer(['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-tls1_3']);
    peers.push(peer);
    await sendEvent(h.eventsUrl, eventEnvelope(mention(`probe 127.0.0.1:${peer.port} as java-8`)));
    await until(() => (h?.fake.posts().length ?? 0) > 0, 20_000, 'the probe result');
    expect(footer(h.fake.posts()[0])).toBe('cause: `protocol-too-old`');
    expect(String(h.fake.posts()[0]?.args.text)).toContain('Java 8 (JDK 8u161) would not connect');
  }, 60_000);

  it('"listen" in a thread: where to point the client, then its handshake joins the incident', async () => {
    const port = await freePort();
    h = await startHarness({ config: { listen: { ports: `${port}-${port}`, advertise: 'triage.example.test', host: '127.0.0.1', seconds: 30, maxConnections: 1 } } });
    const thread = newTs();
    await sendEvent(h.eventsUrl, eventEnvelope(mention('listen', newTs(), { thread_ts: thread })));
    await until(() => (h?.fake.posts().length ?? 0) > 0, 20_000, 'where to point the client');
    expect(String(h.fake.posts()[0]?.args.text)).toContain(`Listening on triage.example.test:${port}`);
    expect(h.fake.posts()[0]?.args).toMatchObject({ channel: 'C1', thread_ts: thread });
    await sClient(port, ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    await until(() => (h?.fake.posts().length ?? 0) > 1, 20_000, 'the listener result');
    expect(h.fake.posts()[1]?.args).toMatchObject({ channel: 'C1', thread_ts: thread });
    expect(footer(h.fake.posts()[1])).toBe('cause: `protocol-too-old`');
    const audit = h.logs.filter((l) => l.event === 'listen-audit').map((l) => l.verdict);
    expect(audit).toEqual(['allowed', 'ended']);
  }, 60_000);
});
