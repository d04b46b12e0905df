import type { RuleEngine } from '../engine/rule-engine.js';
import type { CaptureConnection, CaptureGroup, CaptureObservation } from './types.js';
import { connectionSignals, serverKnowledge, type ConnectionSignals } from './signals.js';
import { ladderSteps, type LadderEntry } from './ladder.js';
import { abortSentence, captureValues, fillWith } from './summary.js';
import { describeOwner } from '../owner.js';
import type { Diagnosis, DiagnosisEventParams, EvidenceLine, OtherCause, Warning } from '../types.js';
import { CAUSES, type CauseId } from '../vocabulary.js';

// A capture holds many connections. Each (group of identical ones) is diagnosed on its own with the
// same engine as a log's connection; the capture's primary cause is the most frequent failing one,
// the other failures are listed with their counts, as for logs. The reply carries a ladder per
// failing kind of connection: what each side sent, message by message.

/** How many ladders a diagnosis carries: the most frequent failures first. */
const LADDER_BOUND = 10;
const EVIDENCE_BOUND = 20;
const INCOMPLETE = ' Bytes of this connection are missing from the capture (lost, or cut by the snap length): nothing after the gap was decoded, so a later step may be missing.';

export interface CaptureCauseCount {
  readonly cause: CauseId;
  readonly count: number;
}

/** What the capture held, connection by connection (project addition to the JSON output). */
export interface CaptureSummary {
  readonly total: number;
  /** Connections where a ClientHello was seen. */
  readonly tls: number;
  readonly completed: number;
  readonly failing: number;
  /** Connections with bytes missing from the capture. */
  readonly incomplete: number;
  /** Every cause with its number of connections, failures first; `unknown` counts connections without TLS. */
  readonly byCause: readonly CaptureCauseCount[];
}

export type CaptureDiagnosis = Diagnosis & {
  ladder: LadderEntry[];
  connections: CaptureSummary;
  capture: Pick<CaptureObservation, 'name' | 'format' | 'packets' | 'truncated' | 'problems'>;
};

interface Judged {
  readonly group: CaptureGroup;
  readonly read: ConnectionSignals;
  readonly cause: CauseId;
  readonly params?: DiagnosisEventParams;
  readonly warnings: readonly { warning: Warning['id']; text: string }[];
  readonly fill: (text: string) => string;
  readonly sentence: string;
}

export async function diagnoseCapture(observation: CaptureObservation, engine: RuleEngine): Promise<CaptureDiagnosis> {
  const known = serverKnowledge(observation.groups.map((g) => g.example));
  const judged: Judged[] = [];
  for (const group of observation.groups) {
    const read = connectionSignals(group.example, known);
    const verdict = await engine.evaluate({ signals: read.signals, vantage: 'unknown', sources: ['capture'], causalSignals: read.causal });
    const fired = verdict.diagnosis?.params;
    const cause: CauseId = fired?.cause ?? (read.story.complete ? 'healthy' : 'unknown');
    const sentence = abortSentence(group.example, read.story);
    const fill = fillWith(captureValues(group.example, read.story, observation.name, sentence));
    judged.push({ group, read, cause, ...(fired ? { params: fired } : {}), warnings: verdict.warnings, fill, sentence });
  }
  const failing = judged.filter((j) => CAUSES[j.cause].kind === 'failure' && j.params);
  const counts = tally(judged);
  const warnings = new Map<string, Warning>();
  for (const j of judged) for (const w of j.warnings) if (!warnings.has(w.warning)) warnings.set(w.warning, { id: w.warning, text: j.fill(w.text) });
  const flags = { vantage: 'unknown' as const, redHerringPresent: false, redHerringOnly: false };
  // After the contract's fields, in the order other diagnoses print theirs.
  const extras = {
    connections: summary(observation, judged, counts),
    capture: { name: observation.name, format: observation.format, packets: observation.packets, truncated: observation.truncated, problems: [...observation.problems] },
  };
  const base: Base = { flags, warnings: [...warnings.values()], extras };
  const primaryCause = counts.find((c) => CAUSES[c.cause].kind === 'failure')?.cause;
  if (!primaryCause) return quiet(observation, judged, base);

  const ofPrimary = failing.filter((j) => j.cause === primaryCause).sort(byCount);
  const lead = ofPrimary[0] as Judged;
  const params = lead.params as DiagnosisEventParams;
  const example = lead.group.example;
  const others: OtherCause[] = counts
    .filter((c) => c.cause !== primaryCause && CAUSES[c.cause].kind === 'failure')
    .map((c) => {
      const j = failing.filter((x) => x.cause === c.cause).sort(byCount)[0] as Judged;
      return { cause: c.cause, team: j.params?.team ?? CAUSES[c.cause].team, count: c.count, example: { line: j.group.example.firstPacket, text: `${j.group.example.client} -> ${j.group.example.server}: ${j.sentence}` } };
    });
  const evidence = evidenceOf(example);
  const keyPacket = lead.read.story.abort?.step.packet;
  const keyLine = evidence.find((e) => e.line === keyPacket) ?? evidence[evidence.length - 1];
  const owner = describeOwner(params.team, 'unknown', { client: example.client, server: example.server, source: 'capture' });
  const ladder = [...ofPrimary, ...failing.filter((j) => j.cause !== primaryCause).sort(byCount)].slice(0, LADDER_BOUND).map(toLadder);
  return {
    cause: primaryCause,
    team: params.team,
    title: lead.fill(params.title),
    explanation: `${lead.sentence}. ${lead.fill(params.explanation)}${example.incomplete ? INCOMPLETE : ''}`,
    ...base.flags,
    evidence,
    nextSteps: params.nextSteps.map(lead.fill),
    warnings: base.warnings,
    others,
    count: counts.find((c) => c.cause === primaryCause)?.count ?? 1,
    ...(keyLine ? { keyLine } : {}),
    context: { source: 'capture', client: example.client, server: example.server },
    ...(owner ? { owner } : {}),
    ladder,
    ...base.extras,
  };
}

/** No failing connection: the capture is healthy if a handshake completed, else it shows no TLS at all. */
interface Base {
  readonly flags: Pick<CaptureDiagnosis, 'vantage' | 'redHerringPresent' | 'redHerringOnly'>;
  readonly warnings: CaptureDiagnosis['warnings'];
  readonly extras: Pick<CaptureDiagnosis, 'connections' | 'capture'>;
}

function quiet(observation: CaptureObservation, judged: readonly Judged[], base: Base): CaptureDiagnosis {
  const healthy = judged.filter((j) => j.cause === 'healthy').sort(byCount);
  const lead = healthy[0];
  const incomplete = judged.filter((j) => j.group.example.incomplete).reduce((n, j) => n + j.group.count, 0);
  const truncated = `${observation.truncated ? ' The file ends mid-packet (a capture cut short): the end of the last connections is missing.' : ''}${incomplete > 0 ? ` Bytes are missing from ${incomplete} connection(s) (a snap length cut the packets, or the capture dropped some): capture again with tcpdump -s 0.` : ''}`;
  if (lead) {
    const n = healthy.reduce((sum, j) => sum + j.group.count, 0);
    return {
      cause: 'healthy',
      team: 'none',
      title: `${n} TLS handshake${n === 1 ? '' : 's'} in ${observation.name} completed: nothing to fix`,
      explanation: `Every TLS connection in the capture finished its handshake (${lead.sentence.replace(/^The handshake completed: /, 'e.g. ')}).${truncated}`,
      ...base.flags,
      evidence: evidenceOf(lead.group.example),
      nextSteps: [],
      warnings: base.warnings,
      others: [],
      ladder: [toLadder(lead)],
      ...base.extras,
    };
  }
  const started = judged.filter((j) => j.read.story.hello).sort(byCount);
  const unfinished = started.length;
  return {
    cause: 'unknown',
    team: 'none',
    title: `No failing TLS handshake in ${observation.name}`,
    explanation: `The capture holds ${observation.packets} packets and ${observation.connections} TCP connection(s); ${unfinished > 0 ? `${unfinished} kind(s) of TLS connection started but neither completed nor failed within the capture.` : 'none of them carries a TLS handshake.'}${truncated}${observation.problems.length > 0 ? ` Not read: ${observation.problems.join('; ')}.` : ''}`,
    ...base.flags,
    evidence: [],
    nextSteps: ['Capture on the interface and port of the failing connection while reproducing it: tcpdump -i any -s 0 -w tls.pcap host <peer> and port <port>'],
    warnings: base.warnings,
    others: [],
    // Handshakes that started and neither finished nor failed: what they got to is the answer.
    ladder: started.slice(0, LADDER_BOUND).map(toLadder),
    ...base.extras,
  };
}

function tally(judged: readonly Judged[]): CaptureCauseCount[] {
  const counts = new Map<CauseId, number>();
  for (const j of judged) counts.set(j.cause, (counts.get(j.cause) ?? 0) + j.group.count);
  const rank = (cause: CauseId): number => (CAUSES[cause].kind === 'failure' ? 0 : 1);
  // Failures first, most frequent first; a tie goes to the cause seen first in the capture (Map order).
  return [...counts].map(([cause, count]) => ({ cause, count })).sort((a, b) => rank(a.cause) - rank(b.cause) || b.count - a.count);
}

function summary(o: CaptureObservation, judged: readonly Judged[], counts: readonly CaptureCauseCount[]): CaptureSummary {
  const sum = (pick: (j: Judged) => boolean): number => judged.filter(pick).reduce((n, j) => n + j.group.count, 0);
  return {
    total: o.connections,
    tls: sum((j) => j.read.story.hello !== undefined),
    completed: sum((j) => j.read.story.complete),
    failing: sum((j) => CAUSES[j.cause].kind === 'failure'),
    incomplete: sum((j) => j.group.example.incomplete),
    byCause: counts,
  };
}

function evidenceOf(c: CaptureConnection): EvidenceLine[] {
  return ladderSteps(c)
    .slice(0, EVIDENCE_BOUND)
    .map((s) => ({ line: s.packet, text: `frame ${s.packet}: ${s.line}` }));
}

function toLadder(j: Judged): LadderEntry {
  const c = j.group.example;
  return { client: c.client, server: c.server, cause: j.cause, count: j.group.count, incomplete: c.incomplete, summary: j.sentence, steps: ladderSteps(c), stepsOmitted: c.stepsOmitted };
}

function byCount(a: Judged, b: Judged): number {
  return b.group.count - a.group.count || a.group.example.firstPacket - b.group.example.firstPacket;
}
