import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS } from './scenarios.js';

// Records every scenario once per test run with tcpdump on lo, into one capture, then splits it per
// scenario (tcpdump -r ... port N) and converts it to pcapng (tshark -F pcapng). The test files of
// one run share the result: the first to get here builds it under a lock directory, the others
// wait for its manifest. Keyed by the vitest parent process, so each run captures afresh.

export interface Lab {
  readonly dir: string;
  readonly scenarios: Readonly<Record<string, { readonly file: string; readonly port: number }>>;
  /** Every scenario's connections in one pcap, in the order they ran. */
  readonly all: string;
  /** The same capture converted to pcapng by tshark. */
  readonly allPcapng: string;
}

export const LAB_PREFIX = 'tls-triage-capture-lab-';
const PREFIX = LAB_PREFIX;
const STALE_MS = 60 * 60 * 1000;

let cached: Promise<Lab> | undefined;

export function captureLab(): Promise<Lab> {
  cached ??= openLab();
  return cached;
}

async function openLab(): Promise<Lab> {
  const root = join(tmpdir(), `${PREFIX}${process.ppid}`);
  const manifest = join(root, 'lab.json');
  const fresh = (): boolean => existsSync(manifest) && Date.now() - statSync(manifest).mtimeMs < STALE_MS / 2;
  if (fresh()) return JSON.parse(readFileSync(manifest, 'utf8')) as Lab;
  try {
    mkdirSync(`${root}.lock`);
  } catch {
    for (let waited = 0; waited < 90_000; waited += 100) {
      if (fresh()) return JSON.parse(readFileSync(manifest, 'utf8')) as Lab;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the capture lab in ${root} was not built in time`);
  }
  try {
    removeStaleLabs();
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const lab = await build(root);
    writeFileSync(manifest, JSON.stringify(lab));
    return lab;
  } finally {
    rmSync(`${root}.lock`, { recursive: true, force: true });
  }
}

async function build(dir: string): Promise<Lab> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.pem', '-days', '30', '-subj', '/CN=server.test', '-addext', 'subjectAltName=DNS:server.test,IP:127.0.0.1'], { cwd: dir, stdio: 'ignore' });
  const base = await freePortRange(SCENARIOS.length);
  const all = join(dir, 'all.pcap');
  // Server ports below Linux's ephemeral range: no client port of another test can fall in the filter.
  const stopCapture = await startTcpdump(all, `tcp portrange ${base}-${base + SCENARIOS.length - 1}`);
  const scenarios: Record<string, { file: string; port: number }> = {};
  try {
    for (const [i, scenario] of SCENARIOS.entries()) {
      const port = base + i;
      await scenario.run(port, dir);
      scenarios[scenario.id] = { file: join(dir, `${scenario.id}.pcap`), port };
    }
  } finally {
    await stopCapture();
  }
  for (const { file, port } of Object.values(scenarios)) execFileSync('tcpdump', ['-r', all, '-w', file, `tcp port ${port}`], { stdio: 'ignore' });
  const allPcapng = join(dir, 'all.pcapng');
  execFileSync('tshark', ['-r', all, '-F', 'pcapng', '-w', allPcapng], { stdio: 'ignore' });
  return { dir, scenarios, all, allPcapng };
}

/** Starts tcpdump on lo, resolves once it listens; the returned function stops it with SIGINT and waits until the file is flushed. */
function startTcpdump(file: string, filter: string): Promise<() => Promise<void>> {
  // --immediate-mode: without it, packets still in the kernel's buffer block are lost at SIGINT.
  const child = spawn('tcpdump', ['-i', 'lo', '-n', '--immediate-mode', '-U', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 10_000);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!stderr.includes('listening on')) return;
      clearTimeout(timer);
      resolve(
        () =>
          new Promise((done) => {
            // Let the last packets of the last scenario reach the capture before stopping.
            setTimeout(() => {
              child.once('exit', () => done());
              child.kill('SIGINT');
            }, 200);
          }),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited (${code}): ${stderr}`));
    });
  });
}

async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 10_000);
    let free = true;
    for (let p = base; p < base + count && free; p++) free = await portFree(p);
    if (free) return base;
  }
  throw new Error('no free port range on 127.0.0.1');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function removeStaleLabs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const path = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}
