import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runUnverifiedBench, type UnverifiedResult } from '../slack/unverified-bench.js';
import { runCliBomb, type CliBombResult } from './cli-bomb.js';
import { REFERENCE } from './inputs.js';
import { runAttacks, type AttackResult } from './run.js';

// The attack pass of issue 16 in `npm run bench`: every hostile chat input through the real bot,
// unauthenticated Slack bodies, and a gzip bomb given to the CLI. Each figure is put next to a
// peer measured in the same run: the attacks next to an ordinary 20 MiB log upload, and, when
// BENCH_BEFORE names a built checkout of older code, next to the same input on that code.

export interface AttackReport {
  readonly root: string;
  readonly chat: AttackResult[];
  readonly slackUnverified: UnverifiedResult[];
  readonly cliBomb: CliBombResult;
}

const MIB = 1024 * 1024;

export async function attackReport(root: string): Promise<AttackReport> {
  const chat = runAttacks(root);
  const slackUnverified = [await runUnverifiedBench(root, 400, 4 * MIB), await runUnverifiedBench(root, 400, MIB - 1024)];
  const cliBomb = await runCliBomb(root, 2 * 1024 * MIB, 120_000);
  return { root, chat, slackUnverified, cliBomb };
}

export function describeAttacks(after: AttackReport, before?: AttackReport): string[] {
  const reference = after.chat.find((r) => r.attack === REFERENCE);
  const ratio = (a?: number, b?: number): string => (a !== undefined && b ? `${(a / b).toFixed(2)}x` : 'n/a');
  const lines = [`attack inputs through the bot (peak RSS of its process, longest event-loop block; peer: ${REFERENCE}, peak ${reference?.peakRssMB ?? '?'} MB, ${reference?.ms ?? '?'} ms)`];
  for (const r of after.chat) {
    const old = before?.chat.find((b) => b.attack === r.attack);
    const was = old ? `; before: ${old.failed ?? `${old.peakRssMB} MB, ${old.ms} ms, block ${old.maxBlockMs} ms`} (after/before peak ${ratio(r.peakRssMB, old.peakRssMB)})` : '';
    lines.push(`  ${r.attack}: ${r.failed ?? `${r.peakRssMB} MB (${ratio(r.peakRssMB, reference?.peakRssMB)} the peer), ${r.ms} ms, longest block ${r.maxBlockMs} ms; ${r.replies?.[0]?.slice(0, 110) ?? ''}`}${was}`);
  }
  after.slackUnverified.forEach((u, i) => {
    const old = before?.slackUnverified[i];
    lines.push(`  slack: ${u.requests} unsigned ${Math.round(u.bodyBytes / 1024)} KiB bodies at once: server peak ${u.peakRssMB} MB, statuses ${JSON.stringify(u.statuses)}${old ? `; before ${old.peakRssMB} MB (after/before ${ratio(u.peakRssMB, old.peakRssMB)})` : ''}`);
  });
  const b = after.cliBomb;
  const oldBomb = before?.cliBomb;
  lines.push(`  cli: diagnose a ${(b.gzipBytes / MIB).toFixed(1)} MB .gz of ${b.inflatedBytes / MIB / 1024} GiB: ${b.ms} ms, peak ${b.peakRssMB} MB, exit ${b.exitCode}${oldBomb ? `; before ${oldBomb.timedOut ? 'over 120 s' : `${oldBomb.ms} ms`} (after/before ${ratio(b.ms, oldBomb.ms)})` : ''}`);
  return lines;
}

export function saveAttacks(dir: string, after: AttackReport, before?: AttackReport): void {
  writeFileSync(join(dir, 'attacks.json'), `${JSON.stringify({ after, ...(before ? { before } : {}) }, null, 2)}\n`);
}
