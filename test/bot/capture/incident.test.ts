import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderReplyText } from '../../../adapters/text/render.js';
import { configSchema } from '../../../bot/config.js';
import { createBot, type Message, type Reply } from '../../../bot/index.js';
import { createLogger } from '../../../bot/logger.js';
import type { IncidentStore } from '../../../bot/store/types.js';
import { createDiagnoser, type CaptureDiagnosis } from '../../../rules/index.js';
import { ask, recordingThread, tempSqliteStore } from '../../helpers/bot.js';
import { readFixture } from '../../helpers/fixtures.js';
import { captureLab, type Lab } from './helpers/lab.js';

// A capture uploaded into a thread is incident evidence like a log or a certificate: read when it
// arrives, kept on the evidence record, and diagnosed with everything else in the thread.

const diagnoser = createDiagnoser();
const logger = createLogger('silent');
const key = { platform: 'slack', channel: 'C1', thread: 'T1' };
const NGINX_NO_SHARED = '2026/11/22 10:00:01 [info] 123#0: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.1.2.3, server: 0.0.0.0:443';
const inThread = (text: string, extra: Partial<Message> = {}): Message => ({ platform: 'slack', channel: 'C1', thread: 'T1', user: 'U1', text, addressed: false, ...extra });
const diagnosisOf = (r: Reply | undefined): CaptureDiagnosis | undefined => (r && 'diagnosis' in r ? (r.diagnosis as CaptureDiagnosis) : undefined);

let lab: Lab;
let store: IncidentStore;
let cleanup: () => Promise<void>;
beforeAll(async () => void (lab = await captureLab()), 120_000);
beforeEach(() => ({ store, cleanup } = tempSqliteStore()));
afterEach(async () => cleanup());

const newBot = () => createBot({ diagnoser, logger, store, config: configSchema.parse({}) });
const upload = (scenario: string, name = `${scenario}.pcap`): Message => inThread('', { files: [{ name, bytes: readFileSync(lab.scenarios[scenario]?.file as string) }] });

describe('captures as incident evidence', () => {
  it('an upload starts an incident whose reply carries the ladder; the observation is stored', async () => {
    const replies = await ask(newBot(), upload('client-cert-missing'));
    expect(replies.map((r) => r.kind)).toEqual(['diagnosis']);
    const d = diagnosisOf(replies[0]);
    expect({ cause: d?.cause, team: d?.team }).toEqual({ cause: 'client-cert-missing', team: 'client' });
    expect(d?.ladder[0]?.steps.map((s) => s.line)).toContain('client -> server  Certificate (empty: no certificate)');
    // Details (and the text fallback of that reply) shows the ladder; the first reply is chat-sized.
    const text = renderReplyText({ ...(replies[0] as Extract<Reply, { kind: 'diagnosis' }>), full: true });
    expect(renderReplyText(replies[0] as Reply)).toMatch(/^More: 'details' shows /m);
    // A live capture's packet count depends on when the kernel sends its ACKs (12 or 14 seen): not asserted.
    expect(text).toMatch(/^Capture client-cert-missing\.pcap \(pcap\): \d+ packets, 1 TCP connection, 1 with TLS: 0 completed, 1 failing\n/);
    expect(text).toContain('server -> client  CertificateRequest (CAs: CN=server.test)');
    const [evidence] = (await store.load(key))?.evidence ?? [];
    expect(evidence).toMatchObject({ kind: 'file', name: 'client-cert-missing.pcap', gathered: ['packet-trace'], capture: { format: 'pcap', connections: 1 } });
    expect(evidence?.capture?.groups[0]?.example.steps.some((s) => s.kind === 'certificate-request')).toBe(true);
  });

  it("a capture after the red herring changes the diagnosis, and says it is because of the capture", async () => {
    const bot = newBot();
    const thread = recordingThread();
    await bot.handle(inThread(readFixture('datapower/red-herring-only-reconstructed.txt')), thread);
    await bot.handle(upload('server-cert-untrusted', 'backend.pcap'), thread);
    expect(thread.posts.map((p) => p.kind)).toEqual(['diagnosis', 'change']);
    expect(thread.posts[1]).toMatchObject({
      kind: 'change',
      was: { cause: 'red-herring-only' },
      diagnosis: { cause: 'server-cert-untrusted', redHerringPresent: true, redHerringOnly: false },
      because: { document: 2, text: expect.stringMatching(/^capture backend\.pcap: 127\.0\.0\.1:\d+ does not trust the certificate of 127\.0\.0\.1:\d+ \(unknown_ca\)$/) },
    });
  });

  it('log lines lead among failures; the capture finding stays among the others', async () => {
    const bot = newBot();
    const thread = recordingThread();
    await bot.handle(inThread(NGINX_NO_SHARED), thread);
    await bot.handle(upload('protocol-too-old'), thread);
    const status = await ask(bot, inThread('status', { addressed: true }));
    const report = status[0]?.kind === 'incident' ? status[0].report : undefined;
    expect(report?.diagnosis?.cause).toBe('no-shared-cipher');
    expect(report?.diagnosis?.others.map((o) => [o.cause, o.count])).toContainEqual(['protocol-too-old', 3]);
    expect(report?.evidence.map((e) => e.name ?? e.kind)).toEqual(['paste', 'protocol-too-old.pcap']);
  });

  it('an unreadable capture is said when the bot is addressed, and not kept', async () => {
    const damaged = Buffer.concat([readFileSync(lab.all).subarray(0, 24), Buffer.from('deadbeefdeadbeefdeadbeefdeadbeef', 'hex')]);
    const replies = await ask(newBot(), inThread('', { addressed: true, files: [{ name: 'broken.pcap', bytes: damaged }] }));
    expect(replies).toEqual([{ kind: 'error', code: 'INPUT_UNREADABLE', text: expect.stringMatching(/^broken\.pcap starts like a pcap capture but holds no readable packet: packet record 1 at byte 24 claims \d+ bytes/) }]);
    expect(await store.load(key)).toBeUndefined();
  });
});
