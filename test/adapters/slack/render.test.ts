import { describe, expect, it } from 'vitest';
import type { IncidentReport, Reply } from '../../../bot/types.js';
import { LIMITS, type SlackBlock } from '../../../adapters/slack/blocks.js';
import { renderSlack } from '../../../adapters/slack/render.js';
import { createDiagnoser, type Diagnosis } from '../../../rules/index.js';
import { readFixture } from '../../helpers/fixtures.js';

// Block Kit rendering of every Reply kind, and Slack's limits however large the reply.

const diagnoser = createDiagnoser();
const [, RED_HERRING] = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt').split('\n') as [string, string];
const note = { evidenceCount: 2, asks: [{ id: 'debug-log', title: 'Debug log of the SSL proxy profile', how: ['Set the log level to debug & reproduce'] }] };
const route = { role: 'client' as const, targets: ['<!subteam^S123>'] };

const texts = (b: SlackBlock): string[] =>
  b.type === 'section' ? [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)] : b.type === 'header' ? [b.text.text] : b.type === 'context' ? b.elements.map((e) => e.text) : [];
const joined = (blocks: SlackBlock[]): string => blocks.flatMap(texts).join('\n');

function withinLimits(reply: Reply): void {
  const { text, blocks } = renderSlack(reply);
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThanOrEqual(LIMITS.messageText);
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  expect(blocks.flatMap(texts).join('').length).toBeLessThanOrEqual(LIMITS.blockText);
  for (const b of blocks) {
    if (b.type === 'section') {
      expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(b.text === undefined ? (b.fields?.length ?? 0) > 0 : b.text.text.length > 0).toBe(true);
    }
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
  }
}

async function diagnosis(text: string): Promise<Diagnosis> {
  return diagnoser.diagnoseText(text);
}

type Button = { action_id: string; value?: string; text: { text: string } };
const buttons = (blocks: SlackBlock[]): Button[] => blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Button[]) : []));

describe('slack Block Kit rendering', () => {
  it('offers Details, Probe (when allowed) and Right / Wrong cause under a diagnosis, above the cause footer', async () => {
    const d = await diagnosis('curl: (60) SSL certificate problem: certificate has expired');
    const first = renderSlack({ kind: 'diagnosis', diagnosis: d, route, incident: note, probeTarget: 'payments.internal:8443' });
    expect(buttons(first.blocks).map((b) => [b.action_id, b.text.text, b.value])).toEqual([
      ['details', 'Details', 'server-cert-expired'],
      ['probe', 'Probe payments.internal:8443', 'payments.internal:8443'],
      ['feedback-right', 'Right cause', 'server-cert-expired'],
      ['feedback-wrong', 'Wrong cause', 'server-cert-expired'],
    ]);
    expect(first.blocks.at(-2)?.type).toBe('actions');
    // The whole diagnosis has no Details button, and no Probe button without an allowed endpoint.
    const whole = renderSlack({ kind: 'diagnosis', diagnosis: d, full: true });
    expect(buttons(whole.blocks).map((b) => b.action_id)).toEqual(['feedback-right', 'feedback-wrong']);
    // The notification text is as short as the first reply.
    expect(first.text.split('\n').length).toBeLessThan(20);
    expect(first.text).toMatch(/cause: server-cert-expired$/);
  });

  it('puts the red herring first, unmistakably, and the cause id in the footer', async () => {
    const d = await diagnosis(RED_HERRING);
    const { blocks, text } = renderSlack({ kind: 'diagnosis', diagnosis: d, incident: note });
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':rotating_light: RED HERRING: not the root cause', emoji: true } });
    expect(joined(blocks.slice(1, 2))).toContain('Do not send the client team after their certificate yet.');
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'cause: `red-herring-only`' }] });
    expect(text).toMatch(/^!!! RED HERRING/);
    expect(joined(blocks)).toContain('*Who acts:* nobody yet');
    expect(joined(blocks)).toContain('Incident: 2 evidence item(s)');
    // Config text with "&" is escaped for mrkdwn.
    expect(joined(blocks)).toContain('Set the log level to debug &amp; reproduce');
    withinLimits({ kind: 'diagnosis', diagnosis: d, incident: note });
  });

  it('shows log text literally: no mention, link or code-block escape out of a log line', async () => {
    const d = await diagnosis('curl: (60) SSL certificate problem: certificate has expired');
    const hostile = { ...d, evidence: [{ line: 1, text: '<!channel> ``` <https://evil.test|click> a & b' }] };
    const { blocks, text } = renderSlack({ kind: 'diagnosis', diagnosis: hostile, route });
    const all = joined(blocks);
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;https://evil.test|click&gt; a &amp; b');
    // The only fences are the evidence block's own two.
    const evidence = blocks.flatMap(texts).find((t) => t.startsWith('```')) ?? '';
    expect(evidence.match(/```/g)).toHaveLength(2);
    expect(text).not.toContain('<!channel>');
    // The configured route stays a live mention in both the blocks and the notification text.
    expect(all).toContain('(<!subteam^S123>)');
    expect(text).toContain('(<!subteam^S123>)');
  });

  it('keeps an oversized diagnosis inside every Slack limit and says it was shortened', async () => {
    const d = await diagnosis('curl: (60) SSL certificate problem: certificate has expired');
    const huge: Diagnosis = {
      ...d,
      title: 'T'.repeat(400),
      explanation: 'x'.repeat(9000),
      evidence: Array.from({ length: 600 }, (_, i) => ({ line: i + 1, text: `line ${i} ${'e'.repeat(1000)}` })),
      nextSteps: Array.from({ length: 80 }, (_, i) => `step ${i} ${'s'.repeat(200)}`),
      warnings: Array.from({ length: 70 }, () => ({ id: 'weak-certificate' as const, text: 'w'.repeat(500) })),
    };
    // The first reply is chat-sized whatever the diagnosis holds: three evidence lines, three steps.
    const first = renderSlack({ kind: 'diagnosis', diagnosis: huge, route, incident: note });
    withinLimits({ kind: 'diagnosis', diagnosis: huge, route, incident: note });
    expect(joined(first.blocks).match(/line \d+: line \d+ e+/g)?.length).toBe(3);
    expect(joined(first.blocks)).toContain('3. step 2');
    expect(joined(first.blocks)).not.toContain('4. step 3');
    expect(joined(first.blocks)).toContain('597 more evidence lines, 77 more next steps and 70 warnings');
    // The whole of it ('details') is cut to Slack's limits instead, and says so.
    const reply: Reply = { kind: 'diagnosis', diagnosis: huge, route, incident: note, full: true };
    withinLimits(reply);
    const { blocks } = renderSlack(reply);
    expect(joined(blocks)).toContain('shortened for Slack');
    expect(joined(blocks)).toContain("This reply was shortened to fit Slack's message limits");
    expect(blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: `cause: \`${d.cause}\`` }] });
    // Without the long explanation, evidence is cut by count and the rest is counted.
    const many = renderSlack({ kind: 'diagnosis', diagnosis: { ...huge, explanation: 'short', title: 't', nextSteps: [], warnings: [] }, full: true });
    expect(joined(many.blocks)).toContain('… and 588 more evidence lines not shown');
  });

  it('renders a change with what it was, what it is now and why, then the new diagnosis', async () => {
    const d = await diagnosis('curl: (60) SSL certificate problem: certificate has expired');
    const reply: Reply = {
      kind: 'change',
      was: { cause: 'red-herring-only', team: 'none', title: 'Only the red herring', redHerringOnly: true, basedOn: 1, at: '2026-11-22T10:00:00Z' },
      diagnosis: d,
      route,
      because: { line: 1, text: 'curl: (60) SSL certificate problem: certificate has expired', document: 2 },
      incident: note,
    };
    const { blocks } = renderSlack(reply);
    expect(joined(blocks.slice(0, 1))).toMatch(/Diagnosis changed\.\*\n\*Was:\* red herring only \(red-herring-only\)\n\*Now:\* server-cert-expired/);
    expect(joined(blocks.slice(1, 2))).toContain('#2 line 1: curl: (60)');
    expect(blocks.at(-1)).toMatchObject({ elements: [{ text: 'cause: `server-cert-expired`' }] });
    withinLimits(reply);
  });

  it('renders noted, status, summary, warning, help, notice and error replies within limits', () => {
    const current = { cause: 'protocol-too-old', team: 'client', title: 'Client protocol too old', redHerringOnly: false, basedOn: 2, at: '2026-11-22T10:00:00Z' };
    const noted: Reply = { kind: 'noted', current, added: 'file a.log', incident: note };
    expect(joined(renderSlack(noted).blocks)).toContain('Added file a.log to the incident.');
    expect(renderSlack(noted).blocks.at(-1)).toMatchObject({ elements: [{ text: 'cause: `protocol-too-old`' }] });

    const report: IncidentReport = {
      key: { platform: 'slack', channel: 'C1', thread: '1.1' },
      status: 'open',
      createdAt: '2026-11-22T10:00:00Z',
      updatedAt: '2026-11-22T10:05:00Z',
      evidence: Array.from({ length: 40 }, (_, i) => ({ seq: i + 1, kind: 'paste' as const, user: 'U1', at: `2026-11-22T10:0${i % 10}:00Z`, bytes: 100, gathered: ['debug-log'] })),
      checklist: [
        { id: 'debug-log', title: 'Debug log', how: ['set debug'], scope: 'datapower', held: true },
        { id: 'pcap', title: 'Packet trace', how: ['capture'], scope: 'any', held: false },
      ],
      timeline: [{ at: '2026-11-22T10:01:00Z', what: 'diagnosis', cause: 'protocol-too-old', team: 'client', basedOn: 1 }],
      feedback: [{ user: 'U2', at: '2026-11-22T10:06:00Z', verdict: 'wrong', cause: 'protocol-too-old', comment: 'it was the <proxy>' }],
    };
    const status = renderSlack({ kind: 'incident', view: 'status', report });
    expect(status.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Incident status' } });
    expect(joined(status.blocks)).toContain(':white_check_mark: Debug log');
    expect(joined(status.blocks)).toContain(':white_large_square: Packet trace — capture');
    expect(joined(status.blocks)).toContain('… and 20 more evidence items not shown');
    expect(joined(status.blocks)).toContain('2026-11-22T10:06:00Z U2: wrong cause (protocol-too-old): it was the &lt;proxy&gt;');
    expect(joined(status.blocks)).toContain('*Evidence checklist (IBM MustGather for DataPower SSL handshake failures)*');
    // A user id is shown, not pinged.
    expect(joined(status.blocks)).not.toContain('<@U1>');
    const summary = renderSlack({ kind: 'incident', view: 'summary', report });
    expect(joined(summary.blocks)).toContain('*Timeline*');

    const replies: Reply[] = [
      noted,
      { kind: 'incident', view: 'status', report },
      { kind: 'incident', view: 'summary', report },
      { kind: 'warning', warning: { id: 'private-key-pasted', text: 'A private key was posted here <script>.' } },
      { kind: 'help', title: 'tls-triage help', lines: ['probe host:port: connect', 'a < b'] },
      { kind: 'notice', text: 'No incident in this thread.' },
      { kind: 'error', code: 'PROBE_REFUSED', text: 'refused: 10.0.0.0/8 is private' },
    ];
    for (const reply of replies) withinLimits(reply);
    const warning = renderSlack(replies[3] as Reply);
    expect(warning.blocks[0]).toMatchObject({ type: 'header', text: { text: ':rotating_light: WARNING' } });
    expect(joined(warning.blocks)).toContain('&lt;script&gt;');
    expect(warning.blocks.at(-1)).toMatchObject({ elements: [{ text: 'warning: `private-key-pasted`' }] });
    expect(renderSlack(replies[6] as Reply).blocks.at(-1)).toMatchObject({ elements: [{ text: 'error: `PROBE_REFUSED`' }] });
    expect(renderSlack(replies[6] as Reply).text).toBe('error (PROBE_REFUSED): refused: 10.0.0.0/8 is private');
  });
});
