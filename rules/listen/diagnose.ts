import type { RuleEngine } from '../engine/rule-engine.js';
import { warningsOf } from '../engine/verdict.js';
import type { GroupFacts } from '../logs/fact-buckets.js';
import type { DiagnosisEventParams, EvidenceLine, Warning } from '../types.js';
import { listenSignals, type ListenConnectionFacts, type ListenDiagnosis, type ListenObservation } from './signals.js';

// What the listener saw, judged connection by connection with the rules (rules/catalog/listen.json)
// and summed up: the cause with the highest priority leads, counted over the connections that
// showed it; the others are listed with their counts. Nobody connecting is said as such.

const MAX_EVIDENCE = 20;

function versionRange(versions: readonly string[]): { minimum: string; maximum: string } {
  return { minimum: versions[0] ?? 'none', maximum: versions[versions.length - 1] ?? 'none' };
}

function filler(c: ListenConnectionFacts, o: ListenObservation): (text: string) => string {
  const values: Record<string, string> = {
    // The client's address without its ephemeral port: what people recognise.
    client: c.client.replace(/:\d+$/, ''),
    highest: c.highest ?? 'nothing',
    lowest: c.lowest ?? c.highest ?? 'nothing',
    detail: c.detail ?? c.outcome,
    listener: o.listener.address,
    ...versionRange(o.listener.versions),
  };
  return (text) => text.replace(/\{(client|highest|lowest|detail|listener|minimum|maximum)\}/g, (_, key: string) => values[key] ?? key);
}

export function describeConnection(c: ListenConnectionFacts): string {
  const offered = c.highest === null ? 'no ClientHello' : c.lowest && c.lowest !== c.highest ? `offers ${c.lowest}-${c.highest}` : `offers ${c.highest}${c.lowest ? '' : ' at most'}`;
  const ended = c.negotiated ? `${c.outcome} (${c.negotiated.protocol} ${c.negotiated.cipher})` : `${c.outcome}${c.detail ? ` (${c.detail})` : ''}`;
  return `client ${c.client}: ${offered}; ${ended}`;
}

interface Tally {
  params: DiagnosisEventParams;
  priority: number;
  fill: (text: string) => string;
  count: number;
  lines: EvidenceLine[];
}

export async function diagnoseListen(o: ListenObservation, engine: RuleEngine): Promise<ListenDiagnosis> {
  const base = { vantage: 'server' as const, redHerringPresent: false, redHerringOnly: false };
  if (o.totalConnections === 0) {
    return {
      ...base,
      vantage: 'unknown',
      cause: 'unknown',
      team: 'none',
      title: `No client connected to ${o.listener.address} in ${o.listener.seconds} s`,
      explanation: 'The listener was up and nobody came: the client was not pointed at it, was not started in time, or a firewall or load balancer between them drops the connection.',
      evidence: [],
      nextSteps: [`From the client's host: nc -vz ${o.listener.address.replace(/:(\d+)$/, ' $1')}`, 'Check that the client was pointed at this host and port while the listener ran'],
      warnings: [],
      others: [],
      findings: [],
    };
  }
  const tallies = new Map<string, Tally>();
  const warnings = new Map<string, Warning>();
  let rejectedThrowaway = 0;
  for (const [i, c] of o.connections.entries()) {
    if (c.outcome === 'client-rejected-certificate' && o.listener.throwawayCertificate) rejectedThrowaway++;
    const signals = listenSignals(c, o.listener).sort();
    if (signals.length === 0) continue;
    const facts: GroupFacts = { signals, vantage: 'server', sources: ['listen'], causalSignals: signals.length };
    const verdict = await engine.evaluateAll(facts);
    const fill = filler(c, o);
    for (const w of warningsOf(verdict.warnings, fill)) if (!warnings.has(w.id)) warnings.set(w.id, w);
    const first = verdict.diagnoses[0];
    if (!first) continue;
    const tally = tallies.get(first.params.cause) ?? { params: first.params, priority: first.priority, fill, count: 0, lines: [] };
    tally.count++;
    if (tally.lines.length < MAX_EVIDENCE) tally.lines.push({ line: i + 1, text: describeConnection(c) });
    tallies.set(first.params.cause, tally);
  }
  const ranked = [...tallies.values()].sort((a, b) => b.priority - a.priority || b.count - a.count);
  const findings = ranked.map((t) => ({ cause: t.params.cause, team: t.params.team, title: t.fill(t.params.title), count: t.count }));
  const [lead, ...rest] = ranked;
  if (!lead) {
    const clients = new Set(o.connections.map((c) => c.client.replace(/:\d+$/, ''))).size;
    const rejected = rejectedThrowaway > 0 ? ` ${rejectedThrowaway} refused the listener's throw-away certificate, as expected of a client that verifies certificates (give the listener a certificate the client trusts with --cert/--key to see the rest of its handshake).` : '';
    return {
      ...base,
      cause: 'healthy',
      team: 'none',
      title: `${o.totalConnections} connection(s) from ${clients} client(s): what they offer fits the listener's ${versionRange(o.listener.versions).minimum}-${versionRange(o.listener.versions).maximum} profile`,
      explanation: `Every client offered a version and suites the server profile accepts.${rejected}`,
      evidence: o.connections.slice(0, MAX_EVIDENCE).map((c, i) => ({ line: i + 1, text: describeConnection(c) })),
      nextSteps: [],
      warnings: [...warnings.values()],
      others: [],
      findings: [{ cause: 'healthy', team: 'none', title: 'healthy', count: o.totalConnections }],
    };
  }
  return {
    ...base,
    cause: lead.params.cause,
    team: lead.params.team,
    title: lead.fill(lead.params.title),
    explanation: lead.fill(lead.params.explanation),
    evidence: lead.lines,
    keyLine: lead.lines[0] as EvidenceLine,
    nextSteps: lead.params.nextSteps.map(lead.fill),
    warnings: [...warnings.values()],
    others: rest.map((t) => ({ cause: t.params.cause, team: t.params.team, count: t.count, example: t.lines[0] ?? { line: 0, text: t.fill(t.params.title) } })),
    count: lead.count,
    findings,
  };
}
