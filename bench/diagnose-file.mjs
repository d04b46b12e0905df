// Child process of the benchmark: diagnoses one file with the compiled code, the way the CLI does,
// and reports its own time and peak memory (maxRSS is per process, so it runs alone).
import { createReadStream } from 'node:fs';
import { diagnoseStream } from '../dist/bot/read-log.js';
import { createDiagnoser } from '../dist/rules/index.js';

const file = process.argv[2];
const diagnoser = createDiagnoser();
const started = performance.now();
const diagnosis = await diagnoseStream(createReadStream(file, { highWaterMark: 1024 * 1024 }), diagnoser, file);
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, cause: diagnosis.cause, count: diagnosis.count, others: diagnosis.others.map((o) => [o.cause, o.count]) }),
);
