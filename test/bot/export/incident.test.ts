import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderReplyText } from '../../../adapters/text/render.js';
import { configSchema } from '../../../bot/config.js';
import { createBot, type Message, type Reply } from '../../../bot/index.js';
import { createLogger } from '../../../bot/logger.js';
import type { IncidentStore } from '../../../bot/store/types.js';
import { createDiagnoser, type Diagnosis, type DiagnosisWithExport } from '../../../rules/index.js';
import { ask, recordingThread, tempSqliteStore } from '../../helpers/bot.js';
import { readFixture } from '../../helpers/fixtures.js';
import { exportZip, readExportFixture, tempDir } from './helpers.js';

// A thread with a pasted DataPower log and an uploaded domain export: the export is evidence of the
// same incident, stored with what was read, and the reply's next steps name the profile setting.

const diagnoser = createDiagnoser();
const logger = createLogger('silent');
const key = { platform: 'slack', channel: 'C1', thread: 'T1' };
const inThread = (text: string, extra: Partial<Message> = {}): Message => ({ platform: 'slack', channel: 'C1', thread: 'T1', user: 'U1', text, addressed: false, ...extra });
const diagnosisOf = (r: Reply | undefined): DiagnosisWithExport | undefined => (r && 'diagnosis' in r ? (r.diagnosis as Diagnosis) : undefined);
const SETTING = "In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer': Protocols > TLSv1d0 is off; the client offers at most TLS 1.0. Move the client to TLS 1.2 (preferred) or, with the security team's consent, switch TLSv1d0 on";

const files = tempDir();
afterAll(() => files.cleanup());
let store: IncidentStore;
let cleanup: () => Promise<void>;
beforeEach(() => ({ store, cleanup } = tempSqliteStore()));
afterEach(async () => cleanup());
const bot = () => createBot({ diagnoser, logger, store, config: configSchema.parse({}) });

describe('DataPower exports as incident evidence', () => {
  it('a pasted log, then the export zip of its domain: the reply names the exact setting', async () => {
    const b = bot();
    const thread = recordingThread();
    await b.handle(inThread(readFixture('datapower/protocol-too-old-osmd-reconstructed.txt')), thread);
    expect(diagnosisOf(thread.posts[0])?.nextSteps[0]).not.toContain('SSLError_SSLServer');
    const zip = exportZip(files, readExportFixture('osc-pd-sslerror.xml'));
    await b.handle(inThread('', { files: [{ name: 'OSC_PD_SSLError.zip', bytes: zip }] }), thread);

    expect(thread.posts.map((p) => p.kind)).toEqual(['diagnosis', 'diagnosis']);
    const d = diagnosisOf(thread.posts[1]);
    expect(d).toMatchObject({ cause: 'protocol-too-old', team: 'client' });
    expect(d?.nextSteps[0]).toBe(SETTING);
    expect(d?.exportSettings).toEqual([{ domain: 'OSC_PD_SSLError', class: 'SSLServerProfile', name: 'SSLError_SSLServer', setting: 'Protocols > TLSv1d0', value: 'off', agrees: true, document: 2 }]);
    // The first reply is kept current too.
    expect(diagnosisOf(thread.updates[0]?.reply)?.nextSteps[0]).toBe(SETTING);
    expect(renderReplyText(thread.posts[1] as Reply)).toContain(`  1. ${SETTING}`);

    const incident = await store.load(key);
    const upload = incident?.evidence[1];
    expect(upload).toMatchObject({ kind: 'file', name: 'OSC_PD_SSLError.zip', domainExport: { format: 'zip', domain: 'OSC_PD_SSLError', firmware: 'XI52.7.2.0.0' } });
    expect([...(upload?.gathered ?? [])].sort()).toEqual(['domain-export', 'firmware-version']);
  });

  it('the export first, then the log: the diagnosis changes to the failure, with the setting', async () => {
    const b = bot();
    const thread = recordingThread();
    await b.handle(inThread('', { files: [{ name: 'export.xml', bytes: Buffer.from(readExportFixture('osc-pd-sslerror.xml')) }] }), thread);
    const first = diagnosisOf(thread.posts[0]);
    expect(first).toMatchObject({ cause: 'unknown', evidence: [{ document: 1, text: expect.stringMatching(/^export export\.xml: DataPower export of domain OSC_PD_SSLError/) }] });
    // Details shows the export summary as a table above the diagnosis.
    expect(renderReplyText({ ...(thread.posts[0] as Extract<Reply, { kind: 'diagnosis' }>), full: true })).toMatch(/^DataPower export export\.xml \(xml\): domain OSC_PD_SSLError/);

    await b.handle(inThread(readFixture('datapower/protocol-too-old-osmd-reconstructed.txt')), thread);
    expect(thread.posts[1]).toMatchObject({ kind: 'change', was: { cause: 'unknown' }, diagnosis: { cause: 'protocol-too-old' } });
    expect(diagnosisOf(thread.posts[1])?.nextSteps[0]).toBe(SETTING);
  });

  it('a pasted export under some words, next to the log in the same message', async () => {
    const text = `${readFixture('datapower/client-cert-missing-osmd-reconstructed.txt')}\nhere is the domain export:\n${readExportFixture('osc-pd-sslerror.xml')}`;
    const replies = await ask(bot(), inThread(text));
    const d = diagnosisOf(replies[0]);
    expect(d).toMatchObject({ cause: 'client-cert-missing' });
    expect(d?.nextSteps[0]).toMatch(/^In domain OSC_PD_SSLError, SSLServerProfile 'SSLError_SSLServer': RequireClientAuth is on/);
    const stored = await store.load(key);
    expect(stored?.evidence[0]).toMatchObject({ kind: 'paste', domainExport: { format: 'xml', domain: 'OSC_PD_SSLError' } });
  });

  it('an export of another domain asks for the right one', async () => {
    const b = bot();
    const thread = recordingThread();
    await b.handle(inThread(readFixture('datapower/protocol-too-old-osmd-reconstructed.txt')), thread);
    await b.handle(inThread('', { files: [{ name: 'orders.zip', bytes: exportZip(files, readExportFixture('orders-multi-profile.xml')) }] }), thread);
    expect(diagnosisOf(thread.posts[1])?.nextSteps[0]).toBe('The log is from domain OSC_PD_SSLError, but this export holds domain(s) orders: export domain OSC_PD_SSLError to name the exact setting');
  });

  it('a damaged export upload is kept as a file and the reason is said when spoken to', async () => {
    const zip = exportZip(files, readExportFixture('osc-pd-sslerror.xml'), { stored: true });
    const broken = Buffer.from(zip);
    broken[broken.indexOf('SSLError_SSLServer')] = 0x58;
    const replies = await ask(bot(), inThread('@tls-triage our export', { addressed: true, files: [{ name: 'broken.zip', bytes: broken }] }));
    expect(replies[0]).toEqual({ kind: 'error', code: 'INPUT_UNREADABLE', text: 'broken.zip: export.xml: the file is damaged (CRC-32 mismatch)' });
    const stored = await store.load(key);
    expect(stored?.evidence[0]).toMatchObject({ kind: 'file', name: 'broken.zip', gathered: ['domain-export'] });
    expect(stored?.evidence[0]?.domainExport).toBeUndefined();
  });
});
