import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../bot/config.js';
import { createBot, type Message, type Reply } from '../../../bot/index.js';
import { createLiveChecks } from '../../../bot/live-checks.js';
import { createLogger } from '../../../bot/logger.js';
import type { IncidentStore } from '../../../bot/store/types.js';
import { createDiagnoser } from '../../../rules/index.js';
import { recordingThread, tempSqliteStore } from '../../helpers/bot.js';
import { freePort } from '../probe/helpers/servers.js';
import { sClient } from './helpers.js';

// `listen` in an incident thread, through the bot layer with the real store: where to point the
// client, then what arrived as evidence of the incident, diagnosed with the rest; off unless
// configured; one listener per thread; the probe's limits; a shutdown ends it early.

const diagnoser = createDiagnoser();
const logger = createLogger('silent');
let store: IncidentStore;
let cleanup: () => Promise<void>;
beforeEach(() => ({ store, cleanup } = tempSqliteStore()));
afterEach(async () => cleanup());

const inThread = (text: string, extra: Partial<Message> = {}): Message => ({ platform: 'slack', channel: 'C1', thread: 'T1', user: 'U1', text, addressed: true, ...extra });

async function listeningBot(listen: Record<string, unknown>, probe: Record<string, unknown> = {}) {
  const port = await freePort();
  const config = configSchema.parse({ listen: { ports: `${port}-${port + 1}`, advertise: 'triage.example.test', host: '127.0.0.1', seconds: 20, ...listen }, probe });
  return { port, bot: createBot({ diagnoser, config, logger, store, ...createLiveChecks(config, diagnoser, logger) }) };
}

const text = (r: Reply | undefined): string => (r && 'text' in r ? r.text : '');

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end && !check(); ) await new Promise((r) => setTimeout(r, 50));
}

describe('listen in chat', () => {
  it('says where to point the client, then adds what arrived to the incident and diagnoses it', async () => {
    const { port, bot } = await listeningBot({ maxConnections: 1 });
    const thread = recordingThread();
    await bot.handle(inThread('listen'), thread);
    expect(text(thread.posts[0])).toMatch(new RegExp(`^Listening on triage\\.example\\.test:${port} for 20 s or 1 connections \\(TLSv1\\.2, TLSv1\\.3; a throw-away self-signed certificate; client certificates requested\\)`));
    await sClient(port, ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    await until(() => thread.posts.length > 1);
    await bot.drain();
    const diagnosis = thread.posts[1];
    expect(diagnosis?.kind).toBe('diagnosis');
    expect(diagnosis?.kind === 'diagnosis' && [diagnosis.diagnosis.cause, diagnosis.diagnosis.team]).toEqual(['protocol-too-old', 'client']);
    const incident = await store.load({ platform: 'slack', channel: 'C1', thread: 'T1' });
    expect(incident?.evidence.map((e) => [e.kind, e.name])).toEqual([['listen', `listener on triage.example.test:${port}, 1 connection(s)`]]);
    expect(incident?.evidence[0]?.listen?.connections[0]).toMatchObject({ highest: 'TLSv1', outcome: 'no-shared-version' });
  }, 60_000);

  it('one listener per incident; a second incident gets the next port; a shutdown ends them early and still reports', async () => {
    const { port, bot } = await listeningBot({});
    const a = recordingThread();
    const b = recordingThread();
    await bot.handle(inThread('listen'), a);
    await bot.handle(inThread('listen'), a);
    await bot.handle(inThread('listen', { thread: 'T2' }), b);
    expect(text(a.posts[1])).toMatch(/A listener is already running for this incident/);
    expect(text(b.posts[0])).toContain(`triage.example.test:${port + 1}`);
    const c = recordingThread();
    await bot.handle(inThread('listen', { thread: 'T3' }), c);
    expect(c.posts[0]).toMatchObject({ kind: 'error', code: 'LISTEN_BUSY' });
    await bot.drain();
    expect(a.posts[2]?.kind).toBe('diagnosis');
    expect(a.posts[2]?.kind === 'diagnosis' && a.posts[2].diagnosis.title).toMatch(/^No client connected to triage\.example\.test:\d+ in/);
  }, 60_000);

  it('off unless configured, only in a thread, and under the probe\'s limits', async () => {
    const config = configSchema.parse({});
    const off = createBot({ diagnoser, config, logger, store, ...createLiveChecks(config, diagnoser, logger) });
    const t = recordingThread();
    await off.handle(inThread('listen'), t);
    expect(t.posts[0]).toMatchObject({ kind: 'error', code: 'LISTEN_DISABLED' });
    const { bot } = await listeningBot({}, { users: ['U9'] });
    const refused = recordingThread();
    await bot.handle(inThread('listen'), refused);
    expect(refused.posts[0]).toMatchObject({ kind: 'error', code: 'LISTEN_REFUSED' });
    const noThread = recordingThread();
    await bot.handle(inThread('listen', { thread: undefined }), noThread);
    expect(text(noThread.posts[0])).toMatch(/works inside an incident thread/);
    expect(() => configSchema.parse({ listen: { ports: '45000-45010' } })).toThrow(/advertise/);
    expect(() => configSchema.parse({ listen: { ports: '80-90', advertise: 'x' } })).toThrow(/ports from 1024 to 65535/);
  }, 30_000);
});
