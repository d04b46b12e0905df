import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderReplyText } from '../../../adapters/text/render.js';
import { configSchema } from '../../../bot/config.js';
import { createBot, type Message, type Reply } from '../../../bot/index.js';
import { createLogger } from '../../../bot/logger.js';
import type { IncidentStore } from '../../../bot/store/types.js';
import { createDiagnoser, type CertificateDiagnosis } from '../../../rules/index.js';
import { ask, recordingThread, tempSqliteStore } from '../../helpers/bot.js';
import { readFixture } from '../../helpers/fixtures.js';
import { pemBody } from '../../helpers/keys.js';
import { CERT_CASES } from './helpers/cases.js';
import { generateCertPki, opensslFacts, type CertPki } from './helpers/pki.js';

// Certificates pasted or uploaded into a thread are incident evidence: read and checked when they
// arrive, kept on the evidence record, and diagnosed with the logs and probes of the same incident.
const diagnoser = createDiagnoser();
const logger = createLogger('silent');
const NGINX_NO_SHARED = '2026/11/22 10:00:01 [info] 123#0: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.1.2.3, server: 0.0.0.0:443';
const key = { platform: 'slack', channel: 'C1', thread: 'T1' };
const inThread = (text: string, extra: Partial<Message> = {}): Message => ({ platform: 'slack', channel: 'C1', thread: 'T1', user: 'U1', text, addressed: false, ...extra });
const diagnosisOf = (r: Reply | undefined): CertificateDiagnosis | undefined => (r && 'diagnosis' in r ? (r.diagnosis as CertificateDiagnosis) : undefined);

let pki: CertPki;
let store: IncidentStore;
let cleanup: () => Promise<void>;
beforeAll(() => void (pki = generateCertPki()));
afterAll(() => pki.cleanup());
beforeEach(() => ({ store, cleanup } = tempSqliteStore()));
afterEach(async () => cleanup());

const botWith = (ca?: string) => createBot({ diagnoser, logger, store, config: configSchema.parse({ certificates: { caFiles: ca ? [pki.file(ca)] : [] } }) });

describe('certificates as incident evidence', () => {
  it.each(CERT_CASES.map((c) => [c.id, c] as const))('%s', async (_, c) => {
    const words = c.role === 'client' ? 'this is the client cert of the batch job' : '';
    const message = c.binary
      ? inThread(words, { files: [{ name: c.file, bytes: readFileSync(pki.file(c.file)) }] })
      : inThread(`${words}\n${pki.read(c.file)}`);
    const replies = await ask(botWith(c.ca), message);
    expect(replies).toHaveLength(1);
    const d = diagnosisOf(replies[0]);
    expect({ kind: replies[0]?.kind, cause: d?.cause, team: d?.team }).toEqual({ kind: 'diagnosis', cause: c.cause, team: c.team });
    expect(d?.warnings.map((w) => w.id).sort()).toEqual([...c.warnings].sort());

    const incident = await store.load(key);
    const [evidence] = incident?.evidence ?? [];
    // DataPower's MustGather item and the chain file of other stacks: the checklist shows the one that fits.
    expect(evidence).toMatchObject({ kind: c.binary ? 'file' : 'paste', gathered: ['chain-file', 'certificates'] });
    const observation = evidence?.certificates;
    if (c.chain) expect(observation?.chain).toMatchObject(c.chain);
    if (c.role) expect(observation?.declaredRole).toBe(c.role);
    const leaf = observation?.certificates.find((x) => x.position === observation.chain.leaf);
    const facts = opensslFacts(pki.file(c.leaf));
    expect(leaf).toMatchObject({ serial: facts.serial, subject: facts.subject, sans: facts.sans, daysLeft: facts.daysLeft });
  });

  it('a red herring, then an expired client certificate upload: the diagnosis changes because of the certificate', async () => {
    const bot = botWith('root.pem');
    const thread = recordingThread();
    await bot.handle(inThread(readFixture('datapower/red-herring-only-reconstructed.txt')), thread);
    const upload = readFileSync(pki.file('expired-client-chain.pem'));
    await bot.handle(inThread('', { files: [{ name: 'alice.pem', bytes: upload }] }), thread);
    expect(thread.posts.map((p) => p.kind)).toEqual(['diagnosis', 'change']);
    expect(thread.posts[1]).toMatchObject({
      kind: 'change',
      was: { cause: 'red-herring-only' },
      diagnosis: { cause: 'client-cert-expired', team: 'client', redHerringPresent: true, redHerringOnly: false },
      because: { document: 2, text: expect.stringMatching(/^certificate alice\.pem: The client certificate O=tls-triage tests, CN=alice is expired/) },
    });
    expect(thread.updates[0]?.reply).toMatchObject({ kind: 'diagnosis', diagnosis: { cause: 'client-cert-expired' } });
  });

  it('log lines lead among failures; the certificate finding stays among the others', async () => {
    const bot = botWith('root.pem');
    const replies = await ask(bot, inThread(`${NGINX_NO_SHARED}\n${pki.read('expired-server-chain.pem')}`));
    const d = diagnosisOf(replies[0]);
    expect(d?.cause).toBe('no-shared-cipher');
    expect(d?.others.map((o) => o.cause)).toContain('server-cert-expired');
    const stored = await store.load(key);
    expect(stored?.evidence[0]?.certificates?.certificates).toHaveLength(2);
    // The nginx line is the server's error log of the evidence checklist.
    expect([...(stored?.evidence[0]?.gathered ?? [])].sort()).toEqual(['certificates', 'chain-file', 'server-error-log']);
  });

  it('cuts a pasted private key out first, warns, and still reads the certificate next to it', async () => {
    const bot = botWith('root.pem');
    const leafKey = readFileSync(pki.file('leaf.key'), 'utf8');
    const replies = await ask(bot, inThread(`server.pem for api.test:\n${leafKey}\n${pki.read('expired-server-chain.pem')}`));
    expect(replies.map((r) => r.kind)).toEqual(['warning', 'diagnosis']);
    expect(replies[0]).toMatchObject({ warning: { id: 'private-key-pasted' } });
    expect(diagnosisOf(replies[1])?.cause).toBe('server-cert-expired');
    const stored = JSON.stringify(await store.load(key));
    expect(stored).not.toContain(pemBody(leafKey).slice(0, 60));
    expect(stored).toContain('"certificates":{');
  });

  it('answers a certificate pasted outside any thread with its own diagnosis and details', async () => {
    const bot = botWith('root.pem');
    const replies = await ask(bot, { platform: 'slack', channel: 'D1', user: 'U1', text: pki.read('soon-chain.pem'), addressed: true });
    const d = diagnosisOf(replies[0]);
    expect(d).toMatchObject({ cause: 'healthy', warnings: [{ id: 'cert-expiring-soon' }], certificateChain: { name: 'pasted.pem', trusted: true } });
    expect(d?.certificates[0]?.daysLeft).toBe(opensslFacts(pki.file('soon.pem')).daysLeft);
    // The text every adapter can fall back to lists the certificates before the diagnosis.
    const text = renderReplyText(replies[0] as Reply);
    expect(text).toMatch(/^Certificates in pasted\.pem: 2 \(pem\)/);
    expect(text).toContain(`serial: ${opensslFacts(pki.file('soon.pem')).serial}`);
    expect(text.trimEnd().split('\n').at(-1)).toBe('cause: healthy');
  });

  it('says which pasted block could not be read when spoken to', async () => {
    const bot = botWith('root.pem');
    const broken = `${pki.read('chain.pem')}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
    const replies = await ask(bot, inThread(broken, { addressed: true }));
    expect(replies[0]).toMatchObject({ kind: 'error', code: 'INPUT_UNREADABLE', text: 'paste: certificate block 3 is not a valid certificate (damaged base64?)' });
    expect(diagnosisOf(replies[1])?.cause).toBe('healthy');
  });
});
