import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureLab } from '../../test/bot/capture/helpers/lab.js';
import { bulkRecord, readTemplate, withBulk, writeBigCapture } from './make-capture.js';

// `npx tsx bench/capture/capture-bench.ts` (as root: it captures real handshakes with tcpdump on lo).
// Builds a ~200 MB capture with thousands of connections from real handshakes, then times
// `tls-triage diagnose --json` on it against `tshark -r FILE -Y tls.alert_message` on the same file,
// and writes bench/out/capture.json.

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const TARGET_BYTES = Number(process.env.CAPTURE_BENCH_MB ?? 200) * 1024 * 1024;
const OUR_RUNS = 3;

// Most connections of a busy TLS port are healthy and carry data; the failures are small.
const MIX = [
  { scenario: 'healthy', weight: 60, bulk: 48 * 1024 },
  { scenario: 'healthy-tls11', weight: 5, bulk: 16 * 1024 },
  { scenario: 'protocol-too-old', weight: 10, bulk: 0 },
  { scenario: 'no-shared-cipher', weight: 8, bulk: 0 },
  { scenario: 'client-cert-missing', weight: 6, bulk: 0 },
  { scenario: 'server-cert-untrusted', weight: 5, bulk: 0 },
  { scenario: 'plain-http', weight: 3, bulk: 0 },
  { scenario: 'reset', weight: 3, bulk: 0 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timed(command: string, args: string[]): { ms: number; stdout: string; status: number | null } {
  const started = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ms: performance.now() - started, stdout: r.stdout, status: r.status };
}

if (!existsSync(join(ROOT, 'dist', 'bot', 'capture', 'read-capture.js'))) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });

const lab = await captureLab();
const record = bulkRecord();
const templates = MIX.map((m) => ({ weight: m.weight, segments: withBulk(readTemplate(lab.scenarios[m.scenario]?.file as string), m.bulk, record) }));
const bytesPer = templates.reduce((sum, t) => sum + t.weight * t.segments.reduce((n, s) => n + 16 + 54 + s.tcpOptions.length + s.payload.length, 0), 0) / templates.reduce((n, t) => n + t.weight, 0);
const connections = Math.ceil(TARGET_BYTES / bytesPer);

const dir = mkdtempSync(join(tmpdir(), 'tls-triage-capture-bench-'));
const file = join(dir, 'big.pcap');
try {
  const built = performance.now();
  const packets = writeBigCapture(file, templates, connections);
  const mb = statSync(file).size / 1024 / 1024;
  process.stdout.write(`built ${file}: ${mb.toFixed(0)} MB, ${packets} packets, ${connections} connections (${((performance.now() - built) / 1000).toFixed(1)} s)\n`);

  const inProcess = Array.from({ length: OUR_RUNS }, () => JSON.parse(timed(process.execPath, [join(HERE, 'capture-file.mjs'), file]).stdout) as { ms: number; readMs: number; maxRssMB: number; cause: string; count: number; connections: { total: number; failing: number } });
  const cli = Array.from({ length: OUR_RUNS }, () => timed(process.execPath, [join(ROOT, 'bin', 'tls-triage.js'), 'diagnose', '--json', file]));
  const diagnosis = JSON.parse(cli[0]?.stdout ?? '{}') as { cause: string; count: number; connections: { total: number; failing: number; byCause: { cause: string; count: number }[] } };
  const tshark = timed('tshark', ['-r', file, '-Y', 'tls.alert_message']);
  // Both tools pay a start-up cost whatever the file (ours: Node and the CLI's modules): measured on a one-connection capture.
  const tiny = lab.scenarios.reset?.file as string;
  const oursStartup = median(Array.from({ length: OUR_RUNS }, () => timed(process.execPath, [join(ROOT, 'bin', 'tls-triage.js'), 'diagnose', '--json', tiny]).ms));
  const tsharkStartup = median(Array.from({ length: OUR_RUNS }, () => timed('tshark', ['-r', tiny, '-Y', 'tls.alert_message']).ms));
  const alertFrames = tshark.stdout.split('\n').filter((l) => l.trim() !== '').length;
  const oursMs = median(cli.map((r) => r.ms));
  const result = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    capture: { mb, packets, connections },
    ours: {
      cliMedianMs: oursMs,
      startupMs: oursStartup,
      inProcessMedianMs: median(inProcess.map((r) => r.ms)),
      readMedianMs: median(inProcess.map((r) => r.readMs)),
      maxRssMB: Math.max(...inProcess.map((r) => r.maxRssMB)),
      mbPerSec: mb / (oursMs / 1000),
      cause: diagnosis.cause,
      count: diagnosis.count,
      connections: diagnosis.connections,
    },
    tshark: { command: 'tshark -r FILE -Y tls.alert_message', ms: tshark.ms, startupMs: tsharkStartup, status: tshark.status, alertFrames },
    ratio: tshark.ms / oursMs,
    ratioWithoutStartup: (tshark.ms - tsharkStartup) / (oursMs - oursStartup),
  };
  mkdirSync(join(HERE, '..', 'out'), { recursive: true });
  writeFileSync(join(HERE, '..', 'out', 'capture.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    [
      `tls-triage diagnose --json: ${oursMs.toFixed(0)} ms median of ${OUR_RUNS} (in-process ${result.ours.inProcessMedianMs.toFixed(0)} ms, ${result.ours.mbPerSec.toFixed(0)} MB/s, peak RSS ${result.ours.maxRssMB.toFixed(0)} MB)`,
      `  cause ${diagnosis.cause} x${diagnosis.count}; ${diagnosis.connections.total} connections, ${diagnosis.connections.failing} failing: ${diagnosis.connections.byCause.map((b) => `${b.cause} x${b.count}`).join(', ')}`,
      `tshark -Y tls.alert_message: ${tshark.ms.toFixed(0)} ms (${alertFrames} alert frames)`,
      `start-up on a one-connection capture: ours ${oursStartup.toFixed(0)} ms, tshark ${tsharkStartup.toFixed(0)} ms`,
      `ratio tshark/ours: ${result.ratio.toFixed(1)}x wall clock, ${result.ratioWithoutStartup.toFixed(1)}x without start-up`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
