import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Unauthenticated memory on /slack/events (issue 16): N requests at once, each with a body of the
// given size, a fresh timestamp and a wrong signature (the costliest kind: nothing in the headers
// gives them away). The server's peak RSS, and how many got which status. Run against this
// checkout and an older one for a before/after figure: `tsx bench/slack/unverified-bench.ts [ROOT]`.

const HERE = dirname(fileURLToPath(import.meta.url));

export interface UnverifiedResult {
  readonly requests: number;
  readonly bodyBytes: number;
  readonly peakRssMB: number;
  readonly statuses: Record<string, number>;
}

function send(port: number, body: Buffer): Promise<number> {
  return new Promise((done) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${'0'.repeat(64)}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0));
    req.end(body);
  });
}

export async function runUnverifiedBench(root: string, requests: number, bodyBytes: number): Promise<UnverifiedResult> {
  const child = spawn(process.execPath, [join(HERE, 'unverified-server.mjs'), root], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const { port } = JSON.parse((await lines.next()).value as string) as { port: number };
  const body = Buffer.alloc(bodyBytes, 'a');
  const statuses: Record<string, number> = {};
  for (const status of await Promise.all(Array.from({ length: requests }, () => send(port, body)))) statuses[status] = (statuses[status] ?? 0) + 1;
  child.stdin.write('peak\n');
  const { peakRssMB } = JSON.parse((await lines.next()).value as string) as { peakRssMB: number };
  return { requests, bodyBytes, peakRssMB, statuses };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(HERE, '..', '..'));
  for (const [requests, bytes] of [[400, 4 * 1024 * 1024], [800, 4 * 1024 * 1024], [400, 1024 * 1024 - 1024]] as const) {
    process.stdout.write(`${JSON.stringify(await runUnverifiedBench(root, requests, bytes))}\n`);
  }
}
