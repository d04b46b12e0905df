import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../bot/config.js';
import { createBot, type Reply } from '../../../bot/index.js';
import { createLogger } from '../../../bot/logger.js';
import { parseTarget } from '../../../adapters/teams/mention.js';
import { CARD_LIMIT_BYTES, cardBytes, renderCard } from '../../../adapters/teams/render.js';
import { createDiagnoser, type Diagnosis } from '../../../rules/index.js';
import { recordingThread, tempSqliteStore } from '../../helpers/bot.js';
import { readFixture } from '../../helpers/fixtures.js';
import { cardText, footerOf, type SentCard } from './helpers/cards.js';

// Every Reply kind as an Adaptive Card: schema 1.5, the text rendering as fallback, the cause id
// (or error code / warning id) in the footer, and always under the size Teams accepts.

const [LIBRARY_ERROR, RED_HERRING, , DEBUG_LINE] = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt').split('\n') as [string, string, string, string];
const USER_MENTION = '<at id="8d1c2e3f-0000-4000-8000-00000000a11e">Alice Oncall</at>';
const { store, cleanup } = tempSqliteStore();
afterAll(cleanup);

function render(reply: Reply): SentCard {
  const card = renderCard(reply);
  expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
  expect(card.fallbackText?.length).toBeGreaterThan(0);
  expect(cardBytes(card)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
  return card as unknown as SentCard;
}

describe('Adaptive Card rendering', () => {
  it('renders each Reply kind the bot produces in an incident thread', async () => {
    const config = configSchema.parse({ routing: { roles: { client: USER_MENTION } } });
    const bot = createBot({ diagnoser: createDiagnoser(), config, logger: createLogger('silent'), store });
    const thread = recordingThread();
    const say = (text: string, addressed = false) => bot.handle({ platform: 'teams', channel: 'C', thread: 'T-render', user: 'u1', text, addressed }, thread);
    await say(RED_HERRING);
    await say(`${LIBRARY_ERROR}\n${DEBUG_LINE}`);
    await say(RED_HERRING);
    await say('status', true);
    await say('summary', true);
    await bot.handle({ platform: 'teams', channel: 'C', user: 'u1', text: 'status', addressed: true }, thread);
    await say('probe 10.0.0.1:443', true);
    expect(thread.posts.map((p) => (p.kind === 'incident' ? `incident:${p.view}` : p.kind))).toEqual(['diagnosis', 'change', 'noted', 'incident:status', 'incident:summary', 'notice', 'error']);
    const [redHerring, change, noted, status, summary, notice, error] = thread.posts.map(render) as SentCard[];

    expect(cardText(redHerring!)).toMatch(/^RED HERRING\nThe only evidence is/);
    expect(footerOf(redHerring!)).toBe('cause: red-herring-only');
    expect(cardText(change!)).toContain('Diagnosis changed');
    expect(cardText(change!)).toMatch(/Because of: #2 line 1: .*unknown protocol/);
    expect(change!.msteams?.entities).toEqual([{ type: 'mention', text: '<at>Alice Oncall</at>', mentioned: { id: '8d1c2e3f-0000-4000-8000-00000000a11e', name: 'Alice Oncall' } }]);
    expect(change!.fallbackText).toContain('(@Alice Oncall)');
    expect(change!.fallbackText).not.toContain('<at');
    expect(footerOf(change!)).toBe('cause: protocol-too-old');
    expect(cardText(noted!)).toMatch(/^Added .* to the incident\.\nDiagnosis unchanged: protocol-too-old/);
    expect(footerOf(noted!)).toBe('cause: protocol-too-old');
    expect(cardText(status!)).toMatch(/^Incident status\nState: open[\s\S]*MustGather[\s\S]*☑/);
    expect(footerOf(status!)).toBe('cause: protocol-too-old');
    expect(cardText(summary!)).toMatch(/^TLS incident hand-over[\s\S]*Next steps[\s\S]*Timeline\n.*evidence #1/);
    expect(footerOf(summary!)).toBe('cause: protocol-too-old');
    expect(cardText(notice!)).toContain("'status' works inside an incident thread");
    expect(footerOf(error!)).toBe('error: PROBE_DISABLED');
  });

  it('renders help, warning, and error replies', () => {
    const help = render({ kind: 'help', title: 'tls-triage', lines: ['probe host:port: check an endpoint', 'status'] });
    expect(cardText(help)).toBe('tls-triage\n• probe host:port: check an endpoint\n• status');
    const warning = render({ kind: 'warning', warning: { id: 'private-key-pasted', text: 'A private key was posted here; rotate it.' } });
    expect(cardText(warning)).toBe('WARNING\nA private key was posted here; rotate it.\nwarning: private-key-pasted');
    const error = render({ kind: 'error', code: 'INPUT_TOO_LARGE', text: 'That paste is too large.' });
    expect(footerOf(error)).toBe('error: INPUT_TOO_LARGE');
    expect(error.fallbackText).toBe('error (INPUT_TOO_LARGE): That paste is too large.');
  });

  it('shows log text literally (TextRuns, never Markdown) and a runbook as a link action', () => {
    const d = diagnosis({ evidence: [{ line: 3, text: 'SSL routines:ssl3_get_record:wrong_version_number **not bold** [x](http://evil.example)' }], runbook: 'https://runbooks.example/tls' });
    const card = render({ kind: 'diagnosis', diagnosis: d });
    const json = JSON.stringify(card.body);
    expect(json).toContain('{"type":"TextRun","text":"line 3: SSL routines:ssl3_get_record:wrong_version_number **not bold** [x](http://evil.example)","fontType":"Monospace","size":"Small"}');
    expect(JSON.stringify(card.body.filter((e) => (e as { type: string }).type === 'TextBlock'))).not.toContain('wrong_version');
    // Details (the whole diagnosis, shown in the card), Right / Wrong cause, then the runbook.
    const actions = card.actions as { type: string; title: string; url?: string; data?: unknown; card?: { body: unknown[] } }[];
    expect(actions.map((a) => [a.type, a.title])).toEqual([
      ['Action.ShowCard', 'Details'],
      ['Action.Submit', 'Right cause'],
      ['Action.Submit', 'Wrong cause'],
      ['Action.OpenUrl', 'Open the runbook'],
    ]);
    expect(actions[1]?.data).toEqual({ tlsTriage: 'feedback', verdict: 'right', cause: 'protocol-too-old' });
    expect(actions[2]?.data).toEqual({ tlsTriage: 'feedback', verdict: 'wrong', cause: 'protocol-too-old' });
    expect(actions[3]?.url).toBe('https://runbooks.example/tls');
    expect(cardText({ ...card, body: actions[0]?.card?.body ?? [] })).toContain('The server accepts only newer TLS versions.');
    // A Probe button when the policy allows the endpoint the evidence names; no Details in the whole diagnosis.
    const probe = render({ kind: 'diagnosis', diagnosis: d, probeTarget: 'payments.internal:8443', full: true }).actions as { type: string; title: string; data?: unknown }[];
    expect(probe.map((a) => a.title)).toEqual(['Probe payments.internal:8443', 'Right cause', 'Wrong cause', 'Open the runbook']);
    expect(probe[0]?.data).toEqual({ tlsTriage: 'probe', target: 'payments.internal:8443' });
  });

  it('keeps an oversized reply under the size limit, each cut saying what was left out', () => {
    const long = (n: number) => `${'x'.repeat(n - 10)} line-end`;
    const d = diagnosis({
      evidence: Array.from({ length: 20 }, (_, i) => ({ line: i + 1, text: long(500) })),
      others: Array.from({ length: 40 }, (_, i) => ({ cause: 'no-shared-cipher' as const, team: 'both' as const, count: i + 1, example: { line: 100 + i, text: long(500) } })),
      warnings: Array.from({ length: 12 }, () => ({ id: 'private-key-pasted' as const, text: long(2000) })),
      nextSteps: Array.from({ length: 15 }, () => long(600)),
      explanation: long(6000),
    });
    // The first reply: three evidence lines, three next steps, and what Details holds.
    const first = cardText(render({ kind: 'diagnosis', diagnosis: d, route: { role: 'client', targets: ['#tls-client'] } }));
    expect(first.match(/^line \d+: x/gm)).toHaveLength(3);
    expect(first).toMatch(/^3\. x/m);
    expect(first).not.toMatch(/^4\. x/m);
    expect(first).toContain('Details shows the explanation, 17 more evidence lines, 12 more next steps, 12 warnings and 40 other causes.');
    const reply: Reply = { kind: 'diagnosis', diagnosis: d, route: { role: 'client', targets: ['#tls-client'] }, full: true };
    expect(Buffer.byteLength(JSON.stringify(reply))).toBeGreaterThan(60_000);
    const card = render(reply);
    const text = cardText(card);
    expect(text).toMatch(/… and \d+ more evidence lines not shown here/);
    expect(text).toMatch(/… and \d+ more other causes not shown here/);
    expect(text).toMatch(/more characters not shown\]/);
    expect(text).toContain('Who acts: the client team (#tls-client).');
    expect(footerOf(card)).toBe('cause: protocol-too-old');
    expect(card.fallbackText!.length).toBeLessThanOrEqual(1500);
    expect(card.fallbackText).toMatch(/\n…\ncause: protocol-too-old$/);
  });
});

describe('routing targets in Teams', () => {
  it('reads Teams person and tag mentions, Slack labels and plain text', () => {
    expect(parseTarget(USER_MENTION)).toEqual({ kind: 'mention', id: '8d1c2e3f-0000-4000-8000-00000000a11e', name: 'Alice Oncall', tag: false });
    expect(parseTarget('<at id="tag-1" type="tag">SRE</at>')).toEqual({ kind: 'mention', id: 'tag-1', name: 'SRE', tag: true });
    expect(parseTarget('<!subteam^S0123|@tls-server>')).toEqual({ kind: 'text', text: '@tls-server' });
    expect(parseTarget(' server-oncall@example.com ')).toEqual({ kind: 'text', text: 'server-oncall@example.com' });
  });
});

function diagnosis(overrides: Partial<Diagnosis>): Diagnosis {
  return {
    cause: 'protocol-too-old',
    team: 'client',
    title: 'The client offered a protocol version the server refuses',
    explanation: 'The server accepts only newer TLS versions.',
    vantage: 'server',
    redHerringPresent: false,
    redHerringOnly: false,
    evidence: [],
    nextSteps: ['Enable TLS 1.2 on the client'],
    warnings: [],
    others: [],
    ...overrides,
  };
}
