import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAT_ATTACKS } from './inputs.js';

// The attack pass of issue 16 as a benchmark: every hostile chat input, each in a child process
// (child.mjs) running the real bot from dist/, with its peak RSS, wall time and longest event-loop block.
// `tsx bench/attacks/run.ts [ROOT]` measures the built checkout at ROOT (default: this one), so the
// same inputs can be measured on the code before the hardening for a before/after figure.

export interface AttackResult {
  readonly attack: string;
  readonly ms?: number;
  readonly peakRssMB?: number;
  readonly startRssMB?: number;
  readonly maxBlockMs?: number;
  readonly replies?: string[];
  readonly failed?: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));

export function runAttacks(root: string, options: { only?: readonly string[]; timeoutMs?: number; heapMB?: number } = {}): AttackResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'tls-triage-attacks-'));
  const results: AttackResult[] = [];
  try {
    for (const [attack, make] of Object.entries(CHAT_ATTACKS)) {
      if (options.only && !options.only.includes(attack)) continue;
      const input = make();
      const file = join(dir, attack);
      writeFileSync(file, input.paste !== undefined ? Buffer.from(input.paste, 'latin1') : (input.file?.bytes as Buffer));
      const child = spawnSync(
        process.execPath,
        [`--max-old-space-size=${options.heapMB ?? 4096}`, '--expose-gc', join(HERE, 'child.mjs'), root, file, input.paste !== undefined ? 'paste' : 'upload', input.file?.name ?? 'paste'],
        { encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      );
      rmSync(file, { force: true });
      const line = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status === 0 && line.startsWith('{')) results.push({ attack, ...(JSON.parse(line) as Omit<AttackResult, 'attack'>) });
      else results.push({ attack, failed: child.error ? `${child.error.message}` : `exit ${child.status ?? child.signal}: ${child.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(HERE, '..', '..'));
  const only = process.argv.slice(3);
  for (const r of runAttacks(root, only.length > 0 ? { only } : {})) process.stdout.write(`${JSON.stringify(r)}\n`);
}
