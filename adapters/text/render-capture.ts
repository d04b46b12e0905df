import type { CaptureDiagnosis, Diagnosis, LadderEntry } from '../../rules/index.js';

// Text rendering of a capture's diagnosis: what the file held, then one handshake ladder per
// failing kind of connection (client and server as arrows, frame numbers to find each message in
// Wireshark). The CLI and chat replies put it above the diagnosis in its usual form; the ladder
// replaces the evidence lines there, as it shows the same steps with their frames.

export function hasCaptureLadder(d: Diagnosis): d is CaptureDiagnosis {
  return Array.isArray((d as { ladder?: unknown }).ladder) && typeof (d as { connections?: unknown }).connections === 'object';
}

export function renderCaptureDetails(d: CaptureDiagnosis): string {
  const c = d.connections;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const out = [
    `Capture ${d.capture.name} (${d.capture.format}): ${plural(d.capture.packets, 'packet')}, ${plural(c.total, 'TCP connection')}, ${c.tls} with TLS: ${c.completed} completed, ${c.failing} failing`,
  ];
  const causes = c.byCause.filter((b) => b.cause !== 'unknown' || c.byCause.length === 1);
  if (causes.length > 0) out.push(`  by cause: ${causes.map((b) => `${b.cause} x${b.count}`).join(', ')}`);
  if (c.incomplete > 0) out.push(`  ${plural(c.incomplete, 'connection')} with bytes missing from the capture: their ladders stop where the bytes do`);
  for (const problem of d.capture.problems) out.push(`  note: ${problem}`);
  for (const entry of d.ladder) out.push('', ...renderLadder(entry));
  return out.join('\n');
}

export function renderLadder(entry: LadderEntry): string[] {
  const like = entry.count > 1 ? `, ${entry.count} connections like it` : '';
  const out = [`Handshake ${entry.client} -> ${entry.server} (${entry.cause}${like}${entry.incomplete ? ', incomplete' : ''})`, `  ${entry.summary}`];
  const width = String(entry.steps.reduce((max, s) => Math.max(max, s.packet), 0)).length + 1;
  for (const s of entry.steps) out.push(`  ${`#${s.packet}`.padStart(width)}  ${s.line}`);
  if (entry.stepsOmitted > 0) out.push(`  ... ${entry.stepsOmitted} later steps not shown`);
  return out;
}

/** The diagnosis as the text below the ladder shows it: the capture's own frame lines are in the ladder. */
export function withoutFrameEvidence(d: CaptureDiagnosis): CaptureDiagnosis {
  return { ...d, evidence: d.evidence.filter((e) => e.document !== undefined) };
}
