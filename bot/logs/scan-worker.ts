import { parentPort, workerData } from 'node:worker_threads';
// The scanner's own modules, not rules/index.js: that would load zod and the rule engine, and the
// worker is started to be ready by the time the file is opened.
import { createScanner, type JoinKeys } from '../../rules/logs/scan.js';
import { scanRulesFrom } from '../../rules/logs/scan-rules.js';
import { readRange } from './read-range.js';
import type { FromScanWorker, LaterPartJob, ToScanWorker } from './split-log.js';

// Worker thread of split-log.ts. It says it is ready, waits for a job (bytes [from, to) of a log
// file, a part that starts just after a line break), scans it, then waits for the first part's
// join keys to know which of its connections to hand back whole, and posts its part's scan.

const port = parentPort;
if (!port) throw new Error('scan-worker.ts runs as a worker thread');

let job: ((job: LaterPartJob) => void) | undefined;
let join: ((keys: JoinKeys) => void) | undefined;
const jobGiven = new Promise<LaterPartJob>((resolve) => (job = resolve));
const joinGiven = new Promise<JoinKeys>((resolve) => (join = resolve));
// One listener for both messages: the join keys may come before the scan is done.
port.on('message', (message: ToScanWorker) => (message.kind === 'scan' ? job?.(message.job) : join?.(message.keys)));

Atomics.store(workerData as Int32Array, 0, 1);
port.postMessage({ kind: 'ready' } satisfies FromScanWorker);
const { path, from, to, tables } = await jobGiven;
const scanner = createScanner(scanRulesFrom(tables), { later: true });
await readRange(path, { at: from, end: to }, scanner, false);
port.postMessage({ kind: 'part', part: scanner.endPart(await joinGiven) } satisfies FromScanWorker);
port.close();
