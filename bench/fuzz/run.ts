import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TARGETS } from './targets.js';
import type { Finding, ItemDone, WorkItem } from './worker.js';

// `npm run fuzz`: every parser of untrusted input driven with generated inputs (over a million),
// on as many threads as there are cores (at most 2 by default: the machine is shared), and a
// report of crashes, hangs (a thread silent for HANG_MS), slow inputs and peak memory. Not part of
// `npm test`. FUZZ_SCALE scales the number of inputs (0.01 for a smoke run); FUZZ_SEED picks
// another set of inputs. Writes bench/out/fuzz.json; exits 1 on any crash, violation or hang.

const HERE = dirname(fileURLToPath(import.meta.url));
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 16);
const THREADS = Math.max(1, Math.min(Number(process.env.FUZZ_THREADS ?? 2), availableParallelism()));
/** Inputs per work item handed to a thread. */
const ITEM = 5000;
/** A thread that reports nothing for this long is stuck on one input: a hang. */
const HANG_MS = 60_000;

interface TargetReport {
  name: string;
  inputs: number;
  refused: number;
  crashed: number;
  maxMsPerInput: number;
  runMs: number;
}

const queue: WorkItem[] = [];
TARGETS.forEach((target, index) => {
  const runs = Math.max(1, Math.round(target.runs * SCALE));
  for (let done = 0; done < runs; done += ITEM) queue.push({ target: index, seed: SEED * 1_000_003 + index * 10_007 + done, runs: Math.min(ITEM, runs - done) });
});
// Interleave targets so that both threads share the expensive ones.
queue.sort((a, b) => a.seed % 7 - (b.seed % 7) || a.target - b.target);

const reports: TargetReport[] = TARGETS.map((t) => ({ name: t.name, inputs: 0, refused: 0, crashed: 0, maxMsPerInput: 0, runMs: 0 }));
const findings: Finding[] = [];
const hangs: string[] = [];
let peakHeapMB = 0;
let peakRssMB = 0;
const started = performance.now();
const memory = setInterval(() => (peakRssMB = Math.max(peakRssMB, Math.round(process.memoryUsage().rss / 2 ** 20))), 100);

function runThread(): Promise<void> {
  return new Promise((resolve) => {
    // The thread loads TypeScript as this one does.
    const worker = new Worker(new URL('./thread.mjs', import.meta.url));
    let current: WorkItem | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const alive = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        hangs.push(`${current ? TARGETS[current.target]?.name : 'start-up'}: no progress for ${HANG_MS} ms (work item seed ${current?.seed})`);
        void worker.terminate();
      }, HANG_MS);
    };
    const next = (): void => {
      current = queue.shift();
      if (!current) {
        clearTimeout(watchdog);
        void worker.terminate().then(() => resolve());
        return;
      }
      alive();
      worker.postMessage(current);
    };
    worker.on('message', (message: { readonly type: string }) => {
      if (message.type === 'alive') return alive();
      if (message.type === 'ready') return next();
      if (message.type === 'done') {
        const done = message as unknown as ItemDone;
        const report = reports[done.target] as TargetReport;
        report.inputs += done.runs;
        report.refused += done.refused;
        report.crashed += done.crashed;
        report.maxMsPerInput = Math.max(report.maxMsPerInput, Math.round(done.maxMs));
        report.runMs += Math.round(done.totalMs);
        peakHeapMB = Math.max(peakHeapMB, done.heapMB);
        findings.push(...done.findings);
        return next();
      }
      hangs.push(`worker failed: ${JSON.stringify(message)}`);
      next();
    });
    worker.on('error', (error) => {
      findings.push({ target: current ? (TARGETS[current.target]?.name ?? '?') : 'start-up', kind: 'crash', seed: current?.seed ?? 0, index: -1, message: `the thread died: ${error.stack?.split('\n').slice(0, 3).join(' | ')}`, input: '(see seed)' });
      clearTimeout(watchdog);
      resolve();
    });
    worker.on('exit', () => {
      clearTimeout(watchdog);
      resolve();
    });
  });
}

await Promise.all(Array.from({ length: THREADS }, () => runThread()));
clearInterval(memory);
const seconds = (performance.now() - started) / 1000;
const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const inputs = reports.reduce((n, r) => n + r.inputs, 0);
const crashes = findings.filter((f) => f.kind !== 'slow');
const crashed = reports.reduce((n, r) => n + r.crashed, 0) + crashes.filter((f) => f.index === -1).length;
const summary = { inputs, seconds: Math.round(seconds), threads: THREADS, seed: SEED, crashes: crashed, hangs: hangs.length, slowInputs: findings.length - crashes.length, peakRssMB: Math.round(Math.max(hwm, peakRssMB)), peakHeapMBPerThread: peakHeapMB, targets: reports, findings, hangDetails: hangs };
mkdirSync(join(HERE, '..', 'out'), { recursive: true });
writeFileSync(join(HERE, '..', 'out', 'fuzz.json'), `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(
  [
    `fuzz: ${inputs} generated inputs in ${summary.seconds} s on ${THREADS} thread(s) (seed ${SEED})`,
    `  crashes ${crashed}, hangs ${hangs.length}, slow inputs (> 1 s) ${summary.slowInputs}; peak RSS ${summary.peakRssMB} MB, peak heap per thread ${peakHeapMB} MB`,
    ...reports.map((r) => `  ${r.name}: ${r.inputs} inputs (${Math.round(r.runMs / 1000)} s), ${r.refused} refused with a message, ${r.crashed} crashed, slowest ${r.maxMsPerInput} ms`),
    ...[...crashes, ...findings.filter((f) => f.kind === 'slow')].slice(0, 20).map((f) => `  ${f.kind.toUpperCase()} ${f.target} (seed ${f.seed} #${f.index}): ${f.message}\n    input ${f.input}`),
    ...hangs.map((h) => `  HANG ${h}`),
    '',
  ].join('\n'),
);
process.exitCode = crashed > 0 || hangs.length > 0 ? 1 : 0;
