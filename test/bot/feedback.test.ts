import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { createBot, type Message, type Reply } from '../../bot/index.js';
import { parseIntent } from '../../bot/intent.js';
import { createLogger } from '../../bot/logger.js';
import type { IncidentStore } from '../../bot/store/types.js';
import { createDiagnoser } from '../../rules/index.js';
import { ask, recordingThread, tempSqliteStore } from '../helpers/bot.js';
import { readFixture } from '../helpers/fixtures.js';

// Details and feedback through the bot layer with the real SQLite store: the first reply is
// chat-sized, 'details' gives the whole diagnosis, a verdict is kept with the incident and shown.

const diagnoser = createDiagnoser();
const config = configSchema.parse({});
const logger = createLogger('silent');
const JAVA = readFixture('java/server-cert-untrusted.txt');

let store: IncidentStore;
let cleanup: () => Promise<void>;
beforeEach(() => ({ store, cleanup } = tempSqliteStore()));
afterEach(async () => cleanup());

const bot = () => createBot({ diagnoser, config, logger, store });
const inThread = (text: string, extra: Partial<Message> = {}): Message => ({ platform: 'slack', channel: 'C1', thread: 'T1', user: 'U1', text, addressed: false, ...extra });
const key = { platform: 'slack', channel: 'C1', thread: 'T1' };

describe('details and feedback in an incident thread', () => {
  it("answers 'details' with the whole diagnosis, unaddressed in a thread that holds an incident", async () => {
    const b = bot();
    const thread = recordingThread();
    await b.handle(inThread(JAVA), thread);
    expect(thread.posts[0]).toMatchObject({ kind: 'diagnosis', diagnosis: { cause: 'server-cert-untrusted' } });
    expect(thread.posts[0]).not.toHaveProperty('full');
    const [details] = await ask(b, inThread('details'));
    expect(details).toMatchObject({ kind: 'diagnosis', full: true, diagnosis: { cause: 'server-cert-untrusted' }, incident: { evidenceCount: 1 } });
    // Elsewhere the word is chatter: no incident, no mention, no answer.
    expect(await ask(b, inThread('details', { thread: 'T-other' }))).toEqual([]);
    expect(await ask(b, inThread('details', { thread: 'T-other', addressed: true }))).toMatchObject([{ kind: 'notice', text: expect.stringMatching(/no incident/) }]);
  });

  it('keeps a verdict with who, when, the cause and a comment, and shows it in status and summary', async () => {
    const b = bot();
    await b.handle(inThread(JAVA), recordingThread());
    const [wrong] = await ask(b, inThread('feedback wrong it was the proxy', { user: 'U7' }));
    expect(wrong).toMatchObject({ kind: 'notice', text: expect.stringMatching(/^Thanks: recorded that server-cert-untrusted was the wrong cause \("it was the proxy"\)/) });
    // A button says which cause its reply showed; an unknown id falls back to the incident's.
    await b.handle(inThread('feedback right', { user: 'U8', addressed: true, clickedCause: 'server-chain-incomplete' }), recordingThread());
    await b.handle(inThread('feedback right', { user: 'U9', addressed: true, clickedCause: 'not-a-cause' }), recordingThread());
    const incident = await store.load(key);
    expect(incident?.feedback.map((f) => [f.user, f.verdict, f.cause, f.comment])).toEqual([
      ['U7', 'wrong', 'server-cert-untrusted', 'it was the proxy'],
      ['U8', 'right', 'server-chain-incomplete', undefined],
      ['U9', 'right', 'server-cert-untrusted', undefined],
    ]);
    expect(Date.parse(incident?.feedback[0]?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const [status] = await ask(b, inThread('status', { addressed: true }));
    const [summary] = await ask(b, inThread('summary', { addressed: true }));
    for (const reply of [status, summary] as Reply[]) {
      expect(reply.kind === 'incident' && reply.report.feedback.map((f) => f.user)).toEqual(['U7', 'U8', 'U9']);
    }
    expect((await store.listFeedback()).map((f) => [f.key.thread, f.user])).toEqual([['T1', 'U7'], ['T1', 'U8'], ['T1', 'U9']]);
  });

  it('asks how when the verdict is missing, and keeps nothing without a diagnosis', async () => {
    const b = bot();
    expect(await ask(b, inThread('feedback', { addressed: true }))).toMatchObject([{ kind: 'notice', text: expect.stringMatching(/feedback right.*feedback wrong <what it was>/) }]);
    expect(await ask(b, inThread('feedback wrong', { addressed: true }))).toMatchObject([{ kind: 'notice', text: expect.stringMatching(/no diagnosis in this thread/) }]);
    // Unaddressed outside an incident: chatter, no answer.
    expect(await ask(b, inThread('feedback wrong'))).toEqual([]);
    expect(await store.listFeedback()).toEqual([]);
  });
});

describe('feedback and details as the bot reads them', () => {
  it('parses the verdict and the comment, and never takes a paste for feedback', () => {
    expect(parseIntent('feedback wrong it was the proxy')).toEqual({ kind: 'feedback', verdict: 'wrong', comment: 'it was the proxy' });
    expect(parseIntent('Feedback RIGHT')).toEqual({ kind: 'feedback', verdict: 'right' });
    expect(parseIntent('feedback maybe')).toEqual({ kind: 'feedback' });
    expect(parseIntent(`feedback wrong ${'x'.repeat(900)}`)).toMatchObject({ comment: 'x'.repeat(500) });
    expect(parseIntent('feedback wrong\nline two of a paste').kind).toBe('diagnose');
    expect(parseIntent('details')).toEqual({ kind: 'command', command: 'details' });
    expect(parseIntent('details of the handshake').kind).toBe('diagnose');
  });
});
