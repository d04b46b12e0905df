import { parentPort } from 'node:worker_threads';
import fc from 'fast-check';
import { loadSeeds } from './seeds.js';
import { isRefusal, TARGETS, Violation } from './targets.js';

// One fuzzing thread: takes work items (a target, a seed, a number of runs) from the parent,
// generates the inputs with fast-check, runs each, and reports what happened to every one:
// refused (fine), crashed (any other exception, or a broken property), or slow.

export interface WorkItem {
  readonly target: number;
  readonly seed: number;
  readonly runs: number;
}

export interface Finding {
  readonly target: string;
  readonly kind: 'crash' | 'violation' | 'slow';
  readonly seed: number;
  readonly index: number;
  readonly message: string;
  readonly input: string;
}

export interface ItemDone {
  readonly type: 'done';
  readonly target: number;
  readonly runs: number;
  readonly refused: number;
  /** Inputs that crashed or broke a property (only the first findings are kept in full). */
  readonly crashed: number;
  readonly maxMs: number;
  /** Time spent running the inputs (generation excluded). */
  readonly totalMs: number;
  readonly heapMB: number;
  readonly findings: Finding[];
}

/** One input taking this long is reported (a hang in the making). */
const SLOW_MS = 1000;
const BATCH = 250;

const port = parentPort;
if (!port) throw new Error('bench/fuzz/worker.ts runs as a worker thread');
const seeds = loadSeeds();
const arbitraries = TARGETS.map((t) => t.arbitrary(seeds));

function preview(input: unknown): string {
  if (Buffer.isBuffer(input)) return `${input.length} bytes: ${input.subarray(0, 96).toString('hex')}`;
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}...` : text);
}

async function work(item: WorkItem): Promise<ItemDone> {
  const target = TARGETS[item.target];
  const arbitrary = arbitraries[item.target];
  if (!target || !arbitrary) throw new Error(`no target ${item.target}`);
  const findings: Finding[] = [];
  let refused = 0;
  let crashed = 0;
  let maxMs = 0;
  let totalMs = 0;
  for (let batch = 0; batch * BATCH < item.runs; batch++) {
    const seed = item.seed + batch;
    const inputs = fc.sample(arbitrary, { numRuns: Math.min(BATCH, item.runs - batch * BATCH), seed });
    for (const [index, input] of inputs.entries()) {
      const started = performance.now();
      try {
        await target.run(input);
      } catch (error) {
        if (isRefusal(error)) refused += 1;
        else crashed += 1;
        if (!isRefusal(error) && findings.length < 20) findings.push({ target: target.name, kind: error instanceof Violation ? 'violation' : 'crash', seed, index, message: (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error), input: preview(input) });
      }
      const ms = performance.now() - started;
      maxMs = Math.max(maxMs, ms);
      totalMs += ms;
      if (ms > SLOW_MS && findings.length < 20) findings.push({ target: target.name, kind: 'slow', seed, index, message: `${Math.round(ms)} ms`, input: preview(input) });
    }
    port?.postMessage({ type: 'alive' });
  }
  return { type: 'done', target: item.target, runs: item.runs, refused, crashed, maxMs, totalMs, heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20), findings };
}

port.on('message', (item: WorkItem) => {
  void work(item).then((done) => port.postMessage(done), (error: unknown) => port.postMessage({ type: 'failed', message: String(error) }));
});
port.postMessage({ type: 'ready' });
