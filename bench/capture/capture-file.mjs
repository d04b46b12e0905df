// Child process of the capture benchmark: reads and diagnoses one capture with the compiled code,
// streaming it as the CLI does, and reports its own time and peak memory (maxRSS is per process).
import { createReadStream } from 'node:fs';
import { readCaptureStream } from '../../dist/bot/capture/read-capture.js';
import { createDiagnoser } from '../../dist/rules/index.js';

const file = process.argv[2];
const diagnoser = createDiagnoser();
const started = performance.now();
const observation = await readCaptureStream(createReadStream(file, { highWaterMark: 256 * 1024 }), file);
const read = performance.now() - started;
const diagnosis = await diagnoser.diagnoseCapture(observation);
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({ ms, readMs: read, maxRssMB: process.resourceUsage().maxRSS / 1024, packets: observation.packets, groups: observation.groups.length, cause: diagnosis.cause, count: diagnosis.count, connections: diagnosis.connections }),
);
