import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attackReport, describeAttacks, saveAttacks } from './attacks/report.js';
import { runDiagnoseBench } from './diagnose-bench.js';

// `npm run bench`: every benchmark, each against a peer measured in the same run. Results are
// printed and written to bench/out/*.json. Peers that take minutes (sslscan, testssl.sh) live here,
// not in `npm test`.
const HERE = dirname(fileURLToPath(import.meta.url));
mkdirSync(join(HERE, 'out'), { recursive: true });

const diagnose = await runDiagnoseBench();
writeFileSync(join(HERE, 'out', 'diagnose.json'), `${JSON.stringify(diagnose, null, 2)}\n`);
const { paste, bigLog } = diagnose;
process.stdout.write(
  [
    `typical paste (${paste.fixtures} real fixtures of 1-50 lines): median ${paste.medianMs.toFixed(3)} ms, p99 ${paste.p99Ms.toFixed(3)} ms in-process`,
    `${bigLog.mb.toFixed(0)} MB DataPower-style log (${bigLog.lines} lines), grep -E -i on the same literals: ${bigLog.grep.ms.toFixed(0)} ms (${bigLog.grep.mbPerSec.toFixed(0)} MB/s, ${bigLog.grep.cpuMs.toFixed(0)} ms CPU)`,
    `  tls-triage diagnose FILE (two threads): ${bigLog.ours.ms.toFixed(0)} ms (${bigLog.ours.mbPerSec.toFixed(0)} MB/s, ${bigLog.ours.cpuMs.toFixed(0)} ms CPU, peak RSS ${bigLog.ours.maxRssMB.toFixed(0)} MB, second part scanned by: ${bigLog.ours.scannedBy}); throughput ratio ours/grep = ${bigLog.ratioOfGrepThroughput.toFixed(2)}`,
    `  tls-triage diagnose - (a stream, one thread): ${bigLog.oursOneThread.ms.toFixed(0)} ms (${bigLog.oursOneThread.mbPerSec.toFixed(0)} MB/s, ${bigLog.oursOneThread.cpuMs.toFixed(0)} ms CPU, peak RSS ${bigLog.oursOneThread.maxRssMB.toFixed(0)} MB); throughput ratio ours/grep = ${bigLog.ratioOneThread.toFixed(2)}`,
    '',
  ].join('\n'),
);

// The attack pass (issue 16): hostile inputs through the bot, unauthenticated Slack bodies, a gzip
// bomb for the CLI. BENCH_BEFORE=/path/to/an/older/built/checkout adds the same figures for that code.
const root = join(HERE, '..');
const after = await attackReport(root);
const before = process.env.BENCH_BEFORE ? await attackReport(process.env.BENCH_BEFORE) : undefined;
saveAttacks(join(HERE, 'out'), after, before);
process.stdout.write(`${describeAttacks(after, before).join('\n')}\n`);

// The probe benchmark starts its own loopback servers and peers (sslscan, testssl.sh, s_client).
const probe = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'probe', 'probe-bench.ts')], { stdio: 'inherit' });
// Slack acknowledgement latency under 200 concurrent requests, against a bare Express route.
const slack = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'slack', 'ack-bench.ts')], { stdio: 'inherit' });
process.exitCode = [probe.status, slack.status].some((s) => s !== 0) ? 1 : 0;
