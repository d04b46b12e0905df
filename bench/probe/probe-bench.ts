// `npm run bench` (probe part): tls-triage probe against sslscan and testssl.sh on a loopback suite
// (endpoints.ts), every tool as a process, interleaved round by round so that the machine's load
// falls on all of them alike. Reports fields right / wrong / not reported per tool, the median time
// per endpoint, ours --ciphers against sslscan, a many-target run against one process per target,
// and start-up figures. Writes bench/out/probe.json.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProbeEngine } from '../../bot/probe/engine.js';
import { FIELDS, startSuite, type Endpoint, type Truth } from './endpoints.js';
import { readOurs, readSslscan, readTestssl } from './readings.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', '..', 'bin', 'tls-triage.js');
const ROUNDS = Number(process.env.BENCH_PROBE_ROUNDS ?? 5);
/** testssl.sh takes minutes per endpoint: only the first N endpoints (0: none). */
const TESTSSL_ENDPOINTS = Number(process.env.BENCH_TESTSSL_ENDPOINTS ?? 2);

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
}

function run(cmd: string, args: string[], timeoutMs = 300_000): Promise<Run> {
  const t = performance.now();
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } }, (err, stdout) =>
      resolve({ ms: performance.now() - t, code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
    child.stdin?.end();
  });
}

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const say = (line: string): void => void process.stdout.write(`${line}\n`);

function oursArgs(e: Endpoint, rootFile: string, extra: string[] = []): string[] {
  return [BIN, 'probe', `127.0.0.1:${e.port}`, '--servername', 'localhost', '--json', '--allow', '127.0.0.1', ...(e.withCa ? ['--ca', rootFile] : []), ...extra];
}

interface Score {
  right: number;
  wrong: number;
  notReported: number;
  wrongFields: string[];
}

function score(truth: Truth, seen: Truth, label: string, into: Score): void {
  for (const f of FIELDS) {
    const want = truth[f];
    if (want === undefined) continue;
    const got = seen[f];
    if (got === undefined) into.notReported++;
    else if (got === want) into.right++;
    else {
      into.wrong++;
      into.wrongFields.push(`${label}.${f}`);
    }
  }
}

async function main(): Promise<void> {
  const suite = await startSuite();
  const tmp = mkdtempSync(join(tmpdir(), 'probe-bench-'));
  const haveSslscan = has('sslscan');
  const testssl = has('testssl.sh') ? 'testssl.sh' : has('testssl') ? 'testssl' : undefined;
  if (!haveSslscan) say('# sslscan not installed: skipped (apt-get install -y sslscan)');
  if (!testssl) say('# testssl.sh not installed: skipped (apt-get install -y testssl.sh)');
  const times = { ours: [] as number[], oursCiphers: [] as number[], sslscan: [] as number[], testssl: [] as number[], bare: [] as number[], startup: [] as number[] };
  const scores: Record<string, Score> = {};
  const scoreOf = (tool: string): Score => (scores[tool] ??= { right: 0, wrong: 0, notReported: 0, wrongFields: [] });
  const { rootFile } = suite.pki;
  const closed = suite.endpoints.find((e) => e.name === 'closed-port') as Endpoint;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Start-up: a bare Node process and tls-triage probing a closed port (start-up + one refused connect).
      times.bare.push((await run(process.execPath, ['-e', '0'])).ms);
      times.startup.push((await run(process.execPath, oursArgs(closed, rootFile))).ms);
      for (const e of suite.endpoints) {
        const ours = await run(process.execPath, oursArgs(e, rootFile));
        times.ours.push(ours.ms);
        const ciphers = await run(process.execPath, oursArgs(e, rootFile, ['--ciphers']));
        times.oursCiphers.push(ciphers.ms);
        if (round === 0) score(e.truth, readOurs(JSON.parse(ours.stdout) as Record<string, unknown>), e.name, scoreOf('tls-triage'));
        if (haveSslscan) {
          const xmlFile = join(tmp, `sslscan-${e.port}.xml`);
          const s = await run('sslscan', ['--no-colour', `--xml=${xmlFile}`, '--sni-name=localhost', `127.0.0.1:${e.port}`]);
          times.sslscan.push(s.ms);
          if (round === 0) score(e.truth, readSslscan(readFileSync(xmlFile, 'utf8'), s.stdout), e.name, scoreOf('sslscan'));
        }
      }
    }
    if (testssl) {
      for (const e of suite.endpoints.slice(0, TESTSSL_ENDPOINTS)) {
        const jsonFile = join(tmp, `testssl-${e.port}.json`);
        const r = await run(testssl, ['--quiet', '--color', '0', '--warnings', 'off', '--sneaky', '-p', '-s', '-S', ...(e.withCa ? ['--add-ca', rootFile] : []), '--jsonfile', jsonFile, `127.0.0.1:${e.port}`], 1_800_000);
        times.testssl.push(r.ms);
        score(e.truth, readTestssl(JSON.parse(readFileSync(jsonFile, 'utf8')) as { id: string; finding: string }[]), e.name, scoreOf(`testssl (${TESTSSL_ENDPOINTS} endpoints)`));
      }
    }
    // Many targets: one process for the whole suite against the sum of one process per target.
    const targets = suite.endpoints.map((e) => `127.0.0.1:${e.port}`);
    const many: number[] = [];
    for (let i = 0; i < 3; i++) many.push((await run(process.execPath, [BIN, 'probe', ...targets, '--servername', 'localhost', '--json', '--allow', '127.0.0.1', '--ca', rootFile])).ms);
    const perTargetSum = median(times.ours) * targets.length;
    // In-process engine, warm: what the probe itself costs once Node and the modules are loaded.
    const modern = suite.endpoints[0] as Endpoint;
    const inProcess: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await runProbeEngine({ address: '127.0.0.1', port: modern.port, servername: 'localhost', extraCaPem: [suite.pki.rootPem], ciphers: false, deadline: Date.now() + 30_000 });
      inProcess.push(performance.now() - t);
    }
    const result = {
      generatedAt: new Date().toISOString(),
      node: process.version,
      endpoints: suite.endpoints.map((e) => e.name),
      rounds: ROUNDS,
      medianMsPerEndpoint: {
        tlsTriageDefault: median(times.ours),
        tlsTriageCiphers: median(times.oursCiphers),
        sslscan: median(times.sslscan),
        testssl: median(times.testssl),
      },
      ratios: {
        oursCiphersOverSslscan: median(times.oursCiphers) / median(times.sslscan),
        oursDefaultOverSslscan: median(times.ours) / median(times.sslscan),
        manyTargetsOverOneProcessEach: median(many) / perTargetSum,
      },
      startup: { bareNodeMs: median(times.bare), probeOfClosedPortMs: median(times.startup), inProcessProbeWarmMs: median(inProcess) },
      manyTargets: { targets: targets.length, wholeRunMs: median(many), oneProcessEachMs: perTargetSum },
      fields: scores,
    };
    say('');
    say(`probe suite: ${suite.endpoints.length} loopback endpoints, ${ROUNDS} interleaved rounds`);
    for (const [tool, s] of Object.entries(scores)) say(`  ${tool.padEnd(28)} right ${s.right}  wrong ${s.wrong}  not reported ${s.notReported}${s.wrongFields.length ? `  (wrong: ${s.wrongFields.join(', ')})` : ''}`);
    const m = result.medianMsPerEndpoint;
    say(`  median ms per endpoint (whole process): tls-triage ${m.tlsTriageDefault.toFixed(0)}, --ciphers ${m.tlsTriageCiphers.toFixed(0)}, sslscan ${m.sslscan.toFixed(0)}, testssl.sh ${Number.isNaN(m.testssl) ? '-' : m.testssl.toFixed(0)}`);
    say(`  ratios: tls-triage --ciphers / sslscan = ${result.ratios.oursCiphersOverSslscan.toFixed(2)} (target <= 0.3); default / sslscan = ${result.ratios.oursDefaultOverSslscan.toFixed(2)}`);
    say(`  many targets: ${targets.length} in one run ${result.manyTargets.wholeRunMs.toFixed(0)} ms vs one process each ${perTargetSum.toFixed(0)} ms: ratio ${result.ratios.manyTargetsOverOneProcessEach.toFixed(2)} (target <= 0.5)`);
    say(`  start-up: bare node ${result.startup.bareNodeMs.toFixed(0)} ms, tls-triage probe of a closed port ${result.startup.probeOfClosedPortMs.toFixed(0)} ms, in-process probe (warm) ${result.startup.inProcessProbeWarmMs.toFixed(0)} ms`);
    const file = join(HERE, '..', 'out', 'probe.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    say(`  written ${file}`);
  } finally {
    await suite.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
