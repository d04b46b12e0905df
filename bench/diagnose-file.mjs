// Child process of the benchmark: diagnoses one file with the compiled code, the way the CLI does,
// and reports its own time, CPU time and peak memory (maxRSS is per process, so it runs alone).
import { createReadStream, statSync } from 'node:fs';
import { canSplit, LogScanWorker } from '../dist/bot/logs/split-log.js';

const file = process.argv[2];
// As the CLI does for a big regular file (adapters/cli/bin.ts): a worker thread is started before the
// rest of the program and the rules are loaded, and takes the second half of the file.
// BENCH_ONE_THREAD=1 reads it as a stream in one thread, as the CLI does for standard input.
const logFile = { path: file, size: statSync(file).size };
const split = process.env.BENCH_ONE_THREAD !== '1' && canSplit(logFile);
const worker = split ? new LogScanWorker() : undefined;
const { diagnoseStream } = await import('../dist/bot/logs/read-log.js');
const { createDiagnoser } = await import('../dist/rules/index.js');
const diagnoser = createDiagnoser();
const cpu = process.cpuUsage();
const started = performance.now();
let scannedBy = 'one thread';
const options = split ? { file: logFile, worker, onSplit: (r) => (scannedBy = r.scannedBy) } : {};
const diagnosis = await diagnoseStream(createReadStream(file, { highWaterMark: 1024 * 1024 }), diagnoser, file, options);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (used.user + used.system) / 1000,
    scannedBy,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    cause: diagnosis.cause,
    count: diagnosis.count,
    others: diagnosis.others.map((o) => [o.cause, o.count]),
  }),
);
