// Benchmark of the probe engine on loopback against sslscan, testssl.sh and openssl s_client.
// Run: npx tsx bench/probe/probe-bench.ts   (writes bench/out/probe.json)
// Peers run as processes (their startup is part of what a user waits for); ours runs in-process,
// so the first, cold run (trust-store build, module warm-up) is reported separately.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProbeEngine } from '../../bot/probe/engine.js';
import { generatePki } from '../../test/bot/probe/helpers/certs.js';
import { startSServer, type Peer } from '../../test/bot/probe/helpers/servers.js';

interface Row {
  scenario: string;
  tool: string;
  mode: string;
  runs: number;
  medianMs: number | null;
  minMs: number | null;
  /** peer median / our median for the comparable mode (>1: ours is faster). */
  ratioVsOurs: number | null;
  note?: string;
}

const out: string[] = [];
const say = (line: string): void => {
  out.push(line);
  process.stdout.write(`${line}\n`);
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function runCmd(cmd: string, args: string[], timeoutMs: number): Promise<{ ms: number; ok: boolean }> {
  const t = performance.now();
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err) => resolve({ ms: performance.now() - t, ok: !err }));
    child.stdin?.end();
  });
}

async function times(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return xs;
}

async function main(): Promise<void> {
  const pki = generatePki();
  const rows: Row[] = [];
  const peers: Peer[] = [];
  const scenarios: Array<{ name: string; args: string[] }> = [
    { name: 'modern-1.2+1.3', args: ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile] },
    { name: 'legacy-1.0+1.1', args: ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-no_tls1_2', '-no_tls1_3', '-cipher', 'DEFAULT:@SECLEVEL=0'] },
  ];
  const haveSslscan = has('sslscan');
  const haveTestssl = has('testssl.sh') || has('testssl');
  const testsslCmd = has('testssl.sh') ? 'testssl.sh' : 'testssl';
  if (!haveSslscan) say('# sslscan not installed: skipped (apt-get install -y sslscan)');
  if (!haveTestssl) say('# testssl.sh not installed: skipped (apt-get install -y testssl.sh)');
  try {
    for (const sc of scenarios) {
      const peer = await startSServer(sc.args);
      peers.push(peer);
      const target = `127.0.0.1:${peer.port}`;
      const ours = (ciphers: boolean) => () =>
        runProbeEngine({ address: '127.0.0.1', port: peer.port, servername: 'localhost', extraCaPem: [pki.rootPem], ciphers, deadline: Date.now() + 30_000 });
      const cold = await times(1, ours(false));
      const def = await times(15, ours(false));
      const ciph = await times(9, ours(true));
      const ourDef = median(def);
      const ourCiph = median(ciph);
      rows.push({ scenario: sc.name, tool: 'tls-triage', mode: 'default (cold, first run)', runs: 1, medianMs: cold[0] ?? null, minMs: cold[0] ?? null, ratioVsOurs: null });
      rows.push({ scenario: sc.name, tool: 'tls-triage', mode: 'default', runs: def.length, medianMs: ourDef, minMs: Math.min(...def), ratioVsOurs: 1 });
      rows.push({ scenario: sc.name, tool: 'tls-triage', mode: 'ciphers', runs: ciph.length, medianMs: ourCiph, minMs: Math.min(...ciph), ratioVsOurs: 1 });

      const sclient = await Promise.all([0].map(async () => {
        const xs: number[] = [];
        const extra = sc.name.startsWith('legacy') ? ['-cipher', 'DEFAULT:@SECLEVEL=0', '-tls1_1'] : [];
        for (let i = 0; i < 10; i++) xs.push((await runCmd('openssl', ['s_client', '-connect', target, '-servername', 'localhost', ...extra], 10_000)).ms);
        return xs;
      }));
      const sc1 = sclient[0] ?? [];
      rows.push({ scenario: sc.name, tool: 'openssl s_client', mode: 'single handshake', runs: sc1.length, medianMs: median(sc1), minMs: Math.min(...sc1), ratioVsOurs: median(sc1) / ourDef, note: 'one handshake only; ratio vs our default probe' });

      if (haveSslscan) {
        const xs: number[] = [];
        let ok = true;
        for (let i = 0; i < 5; i++) {
          const r = await runCmd('sslscan', ['--no-colour', '--sni-name=localhost', target], 120_000);
          ok &&= r.ok;
          xs.push(r.ms);
        }
        rows.push({ scenario: sc.name, tool: 'sslscan', mode: 'default (protocols+ciphers+cert)', runs: xs.length, medianMs: median(xs), minMs: Math.min(...xs), ratioVsOurs: median(xs) / ourCiph, ...(ok ? {} : { note: 'non-zero exit' }) });
      }
      if (haveTestssl) {
        for (const [mode, args, ourMs] of [
          ['-p -S (protocols + cert)', ['-p', '-S'], ourDef],
          ['-p -E (ciphers per protocol)', ['-p', '-E'], ourCiph],
        ] as const) {
          const xs: number[] = [];
          let ok = true;
          for (let i = 0; i < 3; i++) {
            const r = await runCmd(testsslCmd, ['--quiet', '--color', '0', '--warnings', 'off', '--sneaky', ...args, target], 600_000);
            ok &&= r.ok;
            xs.push(r.ms);
          }
          rows.push({ scenario: sc.name, tool: 'testssl.sh', mode, runs: xs.length, medianMs: median(xs), minMs: Math.min(...xs), ratioVsOurs: median(xs) / ourMs, ...(ok ? {} : { note: 'non-zero exit' }) });
        }
      }
      await peer.stop();
    }
  } finally {
    for (const p of peers) await p.stop();
    pki.cleanup();
  }
  const fmt = (n: number | null, d = 1): string => (n === null ? '-' : n.toFixed(d));
  say('');
  say(`${'scenario'.padEnd(16)} ${'tool'.padEnd(17)} ${'mode'.padEnd(34)} ${'runs'.padStart(4)} ${'median ms'.padStart(10)} ${'min ms'.padStart(9)} ${'peer/ours'.padStart(9)}`);
  for (const r of rows) say(`${r.scenario.padEnd(16)} ${r.tool.padEnd(17)} ${r.mode.padEnd(34)} ${String(r.runs).padStart(4)} ${fmt(r.medianMs).padStart(10)} ${fmt(r.minMs).padStart(9)} ${(r.ratioVsOurs === null ? '-' : `${fmt(r.ratioVsOurs, 2)}x`).padStart(9)}`);
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'probe.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  say(`\nwritten ${file}`);
}

await main();
