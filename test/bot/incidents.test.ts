import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { createBot, type Message, type Reply } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { openSqliteStore } from '../../bot/store/sqlite.js';
import type { IncidentStore } from '../../bot/store/types.js';
import { createDiagnoser } from '../../rules/index.js';
import { ask, recordingThread, tempSqliteStore } from '../helpers/bot.js';
import { readFixture } from '../helpers/fixtures.js';
import { generateKeys, pemBody } from '../helpers/keys.js';

// Threaded incidents through the bot layer with the real SQLite store: what a thread sees as
// evidence accumulates, and what the store keeps.
const diagnoser = createDiagnoser();
const config = configSchema.parse({ chat: { allowBots: ['B-alerts'] } });
const logger = createLogger('silent');
const [LIBRARY_ERROR, RED_HERRING, , DEBUG_LINE] = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt').split('\n') as [string, string, string, string];
const NGINX_NO_SHARED = '2026/11/22 10:00:01 [info] 123#0: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.1.2.3, server: 0.0.0.0:443';

let store: IncidentStore;
let path: string;
let cleanup: () => Promise<void>;
beforeEach(() => ({ store, path, cleanup } = tempSqliteStore()));
afterEach(async () => cleanup());

const newBot = (s: IncidentStore = store) => createBot({ diagnoser, config, logger, store: s });
const inThread = (text: string, extra: Partial<Message> = {}): Message => ({ platform: 'slack', channel: 'C1', thread: 'T1', user: 'U1', text, addressed: false, ...extra });
const key = { platform: 'slack', channel: 'C1', thread: 'T1' };
const causeOf = (r: Reply | undefined): string | undefined => (r && 'diagnosis' in r ? r.diagnosis.cause : r?.kind === 'incident' ? r.report.diagnosis?.cause : undefined);

describe('a thread is an incident', () => {
  it('warns on the red herring, then re-diagnoses on all evidence, says what changed and edits the first reply', async () => {
    const bot = newBot();
    const thread = recordingThread();
    await bot.handle(inThread(RED_HERRING), thread);
    const [first] = thread.posts;
    expect(first?.kind).toBe('diagnosis');
    expect(first?.kind === 'diagnosis' && first.diagnosis.redHerringOnly).toBe(true);
    expect(first?.kind === 'diagnosis' && first.incident?.asks[0]?.id).toBe('debug-log');

    await bot.handle(inThread(`${LIBRARY_ERROR}\n${DEBUG_LINE}`, { user: 'U2' }), thread);
    const change = thread.posts[1];
    expect(change?.kind).toBe('change');
    if (change?.kind !== 'change') return;
    expect(change.was).toMatchObject({ cause: 'red-herring-only', redHerringOnly: true });
    expect(change.diagnosis).toMatchObject({ cause: 'protocol-too-old', team: 'client' });
    expect(change.because).toMatchObject({ document: 2, line: 1 });
    expect(change.because?.text).toContain('unknown protocol');
    // The red herring from paste 1 and the library error from paste 2 are one DataPower transaction;
    // the library error (the causal line) leads the evidence.
    expect(change.diagnosis.evidence.map((e) => `${e.document}:${e.line}`)).toEqual(['2:1', '1:1', '2:2']);
    expect(thread.updates).toEqual([{ ref: 'ref-1', reply: expect.objectContaining({ kind: 'diagnosis' }) }]);
    expect(causeOf(thread.updates[0]?.reply)).toBe('protocol-too-old');

    await bot.handle(inThread(RED_HERRING, { user: 'U3' }), thread);
    expect(thread.posts[2]).toMatchObject({ kind: 'noted', current: { cause: 'protocol-too-old' }, incident: { evidenceCount: 3 } });
    expect(thread.updates).toHaveLength(1);

    const [status] = await ask(bot, inThread('status', { addressed: true }));
    expect(status?.kind === 'incident' && status.report.evidence.map((e) => [e.seq, e.user])).toEqual([[1, 'U1'], [2, 'U2'], [3, 'U3']]);
    expect(status?.kind === 'incident' && status.report.checklist.find((c) => c.id === 'debug-log')?.held).toBe(true);
    const [summary] = await ask(bot, inThread('summary', { addressed: true }));
    expect(summary?.kind === 'incident' && summary.report.timeline.map((t) => (t.what === 'diagnosis' ? t.cause : t.what))).toEqual(['red-herring-only', 'protocol-too-old']);
  });

  it('gives human chatter and other bots no reply and stores nothing from them', async () => {
    const bot = newBot();
    await ask(bot, inThread(NGINX_NO_SHARED));
    expect(await ask(bot, inThread('is anyone looking at this?'))).toEqual([]);
    expect(await ask(bot, inThread(RED_HERRING, { user: 'B-other', fromBot: true }))).toEqual([]);
    expect(await ask(bot, inThread('status'))).toEqual([]); // a command must be addressed
    expect((await store.load(key))?.evidence).toHaveLength(1);
    const fromAllowedBot = await ask(bot, inThread(RED_HERRING, { user: 'B-alerts', fromBot: true }));
    expect(fromAllowedBot[0]?.kind).toBe('noted');
    const [addressed] = await ask(bot, inThread('what do you think?', { addressed: true }));
    expect(addressed).toMatchObject({ kind: 'notice', text: expect.stringMatching(/nothing was added/) });
  });

  it('never stores or echoes a pasted private key, warns first, and diagnoses the rest', async () => {
    const keys = generateKeys();
    const bot = newBot();
    const replies = await ask(bot, inThread(`${NGINX_NO_SHARED}\n${keys.pkcs8}`));
    expect(replies.map((r) => r.kind)).toEqual(['warning', 'diagnosis']);
    expect(replies[0]).toMatchObject({ kind: 'warning', warning: { id: 'private-key-pasted' } });
    expect(causeOf(replies[1])).toBe('no-shared-cipher');
    const body = pemBody(keys.pkcs8);
    expect(JSON.stringify(replies)).not.toContain(body.slice(0, 32));
    const stored = await store.load(key);
    expect(stored?.evidence[0]?.text).toContain(NGINX_NO_SHARED);
    expect(JSON.stringify(stored)).not.toMatch(/PRIVATE KEY-----/);
    // Nor anywhere in the database file (WAL included): read it raw.
    await store.close();
    const raw = new Database(path, { readonly: true });
    const rows = JSON.stringify(raw.prepare('SELECT * FROM evidence').all());
    raw.close();
    expect(rows).toContain('no shared cipher');
    expect(rows).not.toContain(body.slice(0, 32));
    store = openSqliteStore(path, { retentionMs: 86_400_000 });
  });

  it('answers a key-only paste with the warning alone, even when spoken to', async () => {
    const keys = generateKeys();
    const replies = await ask(newBot(), inThread(keys.rsaTraditional, { addressed: true }));
    expect(replies.map((r) => r.kind)).toEqual(['warning']);
    expect(await store.load(key)).toBeUndefined();
  });

  it('warns about a key file upload even when nobody spoke to it, and keeps nothing of it', async () => {
    const keys = generateKeys();
    const bot = newBot();
    const replies = await ask(bot, inThread('', { files: [{ name: 'server.p12', bytes: keys.pkcs12 }, { name: 'key.der', bytes: keys.keyDer }] }));
    expect(replies).toEqual([expect.objectContaining({ kind: 'warning', warning: expect.objectContaining({ id: 'private-key-pasted', text: expect.stringMatching(/2 blocks/) }) })]);
    expect(await store.load(key)).toBeUndefined();
  });

  it('keeps uploaded certificates, compressed logs and refuses unknown binaries only when addressed', async () => {
    const keys = generateKeys();
    const bot = newBot();
    const cert = await ask(bot, inThread('', { files: [{ name: 'leaf.der', bytes: keys.certificateDer }] }));
    expect(cert[0]?.kind).toBe('diagnosis');
    const log = await ask(bot, inThread('', { files: [{ name: 'error.log.gz', bytes: gzipSync(`${NGINX_NO_SHARED}\n`) }] }));
    expect(log[0]).toMatchObject({ kind: 'change', diagnosis: { cause: 'no-shared-cipher' } });
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect(await ask(bot, inThread('', { files: [{ name: 'cat.bin', bytes: garbage }] }))).toEqual([]);
    const refused = await ask(bot, inThread('', { addressed: true, files: [{ name: 'cat.bin', bytes: garbage }] }));
    expect(refused[0]).toMatchObject({ kind: 'error', code: 'INPUT_UNREADABLE', text: expect.stringMatching(/^cat\.bin: a binary file/) });
    const stored = await store.load(key);
    expect(stored?.evidence.map((e) => [e.kind, e.name, e.gathered])).toEqual([
      // A certificate is DataPower's MustGather item and the chain file of other stacks; an nginx
      // error log is the server's error log of the evidence checklist.
      ['file', 'leaf.der', ['chain-file', 'certificates']],
      ['file', 'error.log.gz', ['server-error-log']],
    ]);
    expect(Buffer.from(stored?.evidence[0]?.base64 ?? '', 'base64').equals(keys.certificateDer)).toBe(true);
    expect(stored?.evidence[0]?.sha256).toBe(createHash('sha256').update(keys.certificateDer).digest('hex'));
  });

  it('answers a redelivered event once, also after a restart on the same store file', async () => {
    const first = await ask(newBot(), inThread(NGINX_NO_SHARED, { eventId: 'Ev1' }));
    expect(first).toHaveLength(1);
    expect(await ask(newBot(), inThread(NGINX_NO_SHARED, { eventId: 'Ev1' }))).toEqual([]);
    await store.close();
    store = openSqliteStore(path, { retentionMs: 86_400_000 });
    expect(await ask(newBot(store), inThread(NGINX_NO_SHARED, { eventId: 'Ev1' }))).toEqual([]);
    expect((await store.load(key))?.evidence).toHaveLength(1);
  });

  it('takes 50 concurrent pastes into one thread: all land, one first reply, no duplicate change notices', async () => {
    const bot = newBot();
    const thread = recordingThread();
    const pastes = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? RED_HERRING : NGINX_NO_SHARED).replace('tid(24017)', `tid(${30000 + i})`));
    await Promise.all(pastes.map((text, i) => bot.handle(inThread(text, { user: `U${i}`, eventId: `E${i}` }), thread)));
    const incident = await store.load(key);
    expect(incident?.evidence.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(incident?.evidence.map((e) => e.user)).size).toBe(50);
    expect(thread.posts).toHaveLength(50);
    expect(thread.posts.filter((p) => p.kind === 'diagnosis')).toHaveLength(1);
    expect(thread.posts.filter((p) => p.kind === 'change').length).toBeLessThanOrEqual(1);
    expect(incident?.state.diagnosis).toMatchObject({ cause: 'no-shared-cipher', basedOn: 50 });
  });

  it('resolve closes, new evidence reopens, forget deletes everything', async () => {
    const bot = newBot();
    await ask(bot, inThread(NGINX_NO_SHARED));
    expect((await ask(bot, inThread('resolve', { addressed: true, user: 'U9' })))[0]).toMatchObject({ kind: 'notice', text: expect.stringMatching(/resolved by U9/) });
    expect((await store.load(key))?.state.status).toBe('resolved');
    const reopened = await ask(bot, inThread(RED_HERRING));
    expect(reopened[0]).toMatchObject({ kind: 'noted', incident: { reopened: true } });
    const [forgot] = await ask(bot, inThread('forget', { addressed: true }));
    expect(forgot).toMatchObject({ kind: 'notice', text: expect.stringMatching(/2 evidence item/) });
    expect(await store.load(key)).toBeUndefined();
    const [status] = await ask(bot, inThread('status', { addressed: true }));
    expect(status).toMatchObject({ kind: 'notice', text: expect.stringMatching(/no incident in this thread/) });
  });

  it('forgets incidents past their retention', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const s = openSqliteStore(path.replace(/\.db$/, '-ret.db'), { retentionMs: 30 * 86_400_000, now: () => now });
    const bot = newBot(s);
    await ask(bot, inThread(NGINX_NO_SHARED));
    now += 29 * 86_400_000;
    expect((await ask(bot, inThread('status', { addressed: true })))[0]?.kind).toBe('incident');
    now += 31 * 86_400_000;
    expect((await ask(bot, inThread('status', { addressed: true })))[0]).toMatchObject({ kind: 'notice' });
    expect(await s.purgeExpired()).toBe(1);
    await s.close();
  });

  it('answers outside a thread without keeping anything', async () => {
    const bot = newBot();
    const replies = await ask(bot, { platform: 'slack', channel: 'C1', user: 'U1', text: NGINX_NO_SHARED, addressed: true });
    expect(causeOf(replies[0])).toBe('no-shared-cipher');
    const [status] = await ask(bot, { platform: 'slack', channel: 'C1', user: 'U1', text: 'status', addressed: true });
    expect(status).toMatchObject({ kind: 'notice', text: expect.stringMatching(/inside an incident thread/) });
  });
});

describe('what a message asks for', () => {
  it('reads a lone host:port as a probe request, and leaves log lines with ports alone', async () => {
    const { parseIntent } = await import('../../bot/intent.js');
    expect(parseIntent('payments-gw.internal:8443')).toEqual({ kind: 'probe', target: 'payments-gw.internal:8443' });
    expect(parseIntent('[2001:db8::1]:443')).toEqual({ kind: 'probe', target: '[2001:db8::1]:443' });
    expect(parseIntent('probe 10.0.0.1:443')).toEqual({ kind: 'probe', target: '10.0.0.1:443' });
    expect(parseIntent('connect to 10.0.0.1:443 failed').kind).toBe('diagnose');
    expect(parseIntent('Status').kind).toBe('command');
    expect(parseIntent('status of the cert?').kind).toBe('diagnose');
  });
});
