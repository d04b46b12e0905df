import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDiagnoser } from '../rules/index.js';
import { LOG_FIXTURES, loadLogFixtures, readFixture } from '../test/helpers/fixtures.js';
import { writeDataPowerLog } from './make-datapower-log.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'out');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export interface DiagnoseBench {
  paste: { fixtures: number; medianMs: number; p99Ms: number };
  bigLog: { mb: number; lines: number; ours: { ms: number; maxRssMB: number; mbPerSec: number; cause: string }; grep: { ms: number; mbPerSec: number; matches: number }; ratioOfGrepThroughput: number };
}

export async function runDiagnoseBench(sizeMb = Number(process.env.BENCH_LOG_MB ?? 100)): Promise<DiagnoseBench> {
  mkdirSync(OUT, { recursive: true });
  // 1. Typical pastes: every fixture, in-process, after warm-up.
  const diagnoser = createDiagnoser();
  const texts = loadLogFixtures().filter((f) => existsSync(join(LOG_FIXTURES, f.file))).map((f) => readFixture(f.file)).filter((t) => t.split('\n').length <= 50);
  for (const t of texts) await diagnoser.diagnoseText(t);
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const t of texts) {
      const s = performance.now();
      await diagnoser.diagnoseText(t);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const paste = { fixtures: texts.length, medianMs: median(times), p99Ms: times[Math.floor(times.length * 0.99)] as number };

  // 2. A big DataPower-style log: our streaming diagnosis vs grep -E -i for the same literals.
  const file = join(OUT, `datapower-${sizeMb}mb.log`);
  const { lines } = await writeDataPowerLog(file, sizeMb * 1024 * 1024);
  const mb = statSync(file).size / (1024 * 1024);
  const pattern = diagnoser.rules.literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] }); // same page-cache state for both
  const grepRuns: number[] = [];
  let matches = 0;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const r = spawnSync('grep', ['-E', '-i', '-c', pattern, file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    grepRuns.push(performance.now() - s);
    matches = Number(r.stdout.trim());
  }
  const oursRuns: { ms: number; maxRssMB: number; cause: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, [join(HERE, 'diagnose-file.mjs'), file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`diagnose-file failed: ${r.stderr}`);
    oursRuns.push(JSON.parse(r.stdout));
  }
  const oursMs = median(oursRuns.map((r) => r.ms));
  const grepMs = median(grepRuns);
  rmSync(file);
  return {
    paste,
    bigLog: {
      mb,
      lines,
      ours: { ms: oursMs, maxRssMB: Math.max(...oursRuns.map((r) => r.maxRssMB)), mbPerSec: mb / (oursMs / 1000), cause: oursRuns[0]?.cause ?? '' },
      grep: { ms: grepMs, mbPerSec: mb / (grepMs / 1000), matches },
      ratioOfGrepThroughput: grepMs / oursMs,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runDiagnoseBench();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
