import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

// `tls-triage diagnose BOMB.gz` (issue 16: a 22 MB .gz of 10 GB of text took 45 s): the wall time
// and peak RSS of the CLI of ROOT on a .gz of `inflated` bytes of one repeated log line, written
// by streaming (the bench never holds it whole).

export interface CliBombResult {
  readonly inflatedBytes: number;
  readonly gzipBytes: number;
  readonly ms: number;
  readonly exitCode: number | null;
  readonly peakRssMB: number;
  readonly message: string;
  readonly timedOut: boolean;
}

async function writeBomb(path: string, inflated: number): Promise<number> {
  const chunk = Buffer.alloc(4 * 1024 * 1024, 'ssl error handshake failure\n');
  async function* text(): AsyncGenerator<Buffer> {
    for (let left = inflated; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  await pipeline(Readable.from(text()), createGzip({ level: 9 }), createWriteStream(path));
  return statSync(path).size;
}

export async function runCliBomb(root: string, inflated: number, timeoutMs = 120_000): Promise<CliBombResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tls-triage-bomb-'));
  try {
    const file = join(dir, 'bomb.log.gz');
    const gzipBytes = await writeBomb(file, inflated);
    // /usr/bin/time would be another dependency: the child reports its own VmHWM on exit.
    const probe = `process.on('exit',()=>{const m=/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','utf8'));process.stderr.write('\\nPEAK '+(m?m[1]:0)+'\\n')})`;
    const started = performance.now();
    const run = spawnSync(process.execPath, ['-e', `${probe};process.argv.splice(1,0,'tls-triage');import(${JSON.stringify(join(resolve(root), 'bin', 'tls-triage.js'))})`, 'diagnose', file], { encoding: 'utf8', timeout: timeoutMs, cwd: dir });
    const ms = performance.now() - started;
    const peak = Number(/PEAK (\d+)/.exec(run.stderr ?? '')?.[1] ?? 0) / 1024;
    return { inflatedBytes: inflated, gzipBytes, ms: Math.round(ms), exitCode: run.status, peakRssMB: Math.round(peak), message: (run.stderr ?? '').split('\n').find((l) => l.startsWith('tls-triage')) ?? '', timedOut: run.error !== undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
