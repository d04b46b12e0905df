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

interface OursRun {
  ms: number;
  cpuMs: number;
  maxRssMB: number;
  mbPerSec: number;
  cause: string;
  scannedBy: string;
}

export interface DiagnoseBench {
  paste: { fixtures: number; medianMs: number; p99Ms: number };
  bigLog: {
    mb: number;
    lines: number;
    /** A file, as `tls-triage diagnose FILE` reads it: two threads. */
    ours: OursRun;
    /** The same bytes as a stream in one thread, as `tls-triage diagnose -` reads standard input. */
    oursOneThread: OursRun;
    grep: { ms: number; cpuMs: number; mbPerSec: number; matches: number };
    /** Wall-clock throughput of `ours` over grep's. */
    ratioOfGrepThroughput: number;
    ratioOneThread: number;
  };
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
  // grep's CPU time, from one more run under bash's `times` (the wall-clock runs above have no shell
  // in the way). Its output goes to a pipe: grep writing to /dev/null stops at the first match.
  const timed = spawnSync('bash', ['-c', 'count=$(LC_ALL=C grep -E -i -c -- "$1" "$2"); times', 'bench', pattern, file], { encoding: 'utf8' });
  const grepCpuMs = cpuOfTimes(timed.stdout.trim().split('\n')[1] ?? '');
  const oursOf = (oneThread: boolean): OursRun => {
    const runs: Omit<OursRun, 'mbPerSec'>[] = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync(process.execPath, [join(HERE, 'diagnose-file.mjs'), file], { encoding: 'utf8', env: { ...process.env, BENCH_ONE_THREAD: oneThread ? '1' : '0' } });
      if (r.status !== 0) throw new Error(`diagnose-file failed: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout));
    }
    const mid = [...runs].sort((a, b) => a.ms - b.ms)[1] as Omit<OursRun, 'mbPerSec'>;
    return { ...mid, maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)), mbPerSec: mb / (mid.ms / 1000) };
  };
  const ours = oursOf(false);
  const oursOneThread = oursOf(true);
  const grep = { ms: median(grepRuns), cpuMs: grepCpuMs };
  rmSync(file);
  return {
    paste,
    bigLog: {
      mb,
      lines,
      ours,
      oursOneThread,
      grep: { ...grep, mbPerSec: mb / (grep.ms / 1000), matches },
      ratioOfGrepThroughput: grep.ms / ours.ms,
      ratioOneThread: grep.ms / oursOneThread.ms,
    },
  };
}

/** CPU seconds of a shell's children from the second line of `times` ("0m0.180s 0m0.020s"), in ms. */
function cpuOfTimes(line: string): number {
  return line
    .trim()
    .split(/\s+/)
    .map((t) => /^(\d+)m([\d.]+)s$/.exec(t))
    .reduce((sum, m) => sum + (m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : 0), 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runDiagnoseBench();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
