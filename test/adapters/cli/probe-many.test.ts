// `tls-triage probe T1 T2 ... --targets FILE` as a process: JSON Lines in the order given, a line
// for every refused or invalid target, the exit code's order (1 over 3 over 2), the concurrency cap.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { generatePki, type TestPki } from '../../bot/probe/helpers/certs.js';
import { closedPort, startHttpServer, startSServer, type Peer } from '../../bot/probe/helpers/servers.js';

let pki: TestPki;
let dir: string;
const peers: Peer[] = [];
let tls: Peer;
let http: Peer;
beforeAll(async () => {
  pki = generatePki();
  dir = mkdtempSync(join(tmpdir(), 'probe-many-'));
  tls = await startSServer(['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile]);
  http = await startHttpServer();
  peers.push(tls, http);
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (stdout: string): Record<string, unknown>[] => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('tls-triage probe with several targets', () => {
  it('prints one JSON line per target in the order given, refused and invalid ones included; exit 3 over 2', async () => {
    const closed = await closedPort();
    const file = join(dir, 'targets.txt');
    writeFileSync(file, `# on-call list\n\n127.0.0.1:${closed}   # nothing listens\n0.0.0.0:443\n  localhost:${tls.port}\n`);
    const r = await runCli(['probe', `127.0.0.1:${http.port}`, 'host:70000', '--targets', file, '--json', '--ca', pki.rootFile, '--allow', '127.0.0.1', '--allow', '::1']);
    const out = lines(r.stdout);
    expect(out.map((o) => o.target)).toEqual([`127.0.0.1:${http.port}`, 'host:70000', `127.0.0.1:${closed}`, '0.0.0.0:443', `localhost:${tls.port}`]);
    expect(out[0]).toMatchObject({ cause: 'tls-on-plain-port' });
    expect(out[1]).toEqual({ target: 'host:70000', error: { code: 'USAGE', message: expect.stringMatching(/70000/) } });
    expect(out[2]).toMatchObject({ cause: 'connection-refused' });
    expect(out[3]).toEqual({ target: '0.0.0.0:443', error: { code: 'PROBE_REFUSED', message: expect.stringMatching(/unspecified/) } });
    expect(out[4]).toMatchObject({ cause: 'healthy', reachable: true });
    expect(r.code).toBe(3);
  });

  it('refused beats invalid: exit 3, and each refusal names its rule', async () => {
    const r = await runCli(['probe', '127.0.0.1:443', 'host:0', '--json']);
    const out = lines(r.stdout);
    expect(out).toEqual([
      { target: '127.0.0.1:443', error: { code: 'PROBE_REFUSED', message: expect.stringMatching(/loopback/) } },
      { target: 'host:0', error: { code: 'USAGE', message: expect.any(String) } },
    ]);
    expect(r.code).toBe(3);
    const invalidOnly = await runCli(['probe', 'host:0', `127.0.0.1:${http.port}`, '--json', '--allow', '127.0.0.1']);
    expect(lines(invalidOnly.stdout).map((o) => o.target)).toEqual(['host:0', `127.0.0.1:${http.port}`]);
    expect(invalidOnly.code).toBe(2);
  });

  it('exit 0 when every target was probed; text mode prints each probe in order', async () => {
    const r = await runCli(['probe', `localhost:${tls.port}`, `127.0.0.1:${http.port}`, '--ca', pki.rootFile, '--allow', '127.0.0.1', '--allow', '::1']);
    expect(r.code, r.stderr).toBe(0);
    const first = r.stdout.indexOf(`Probe of localhost:${tls.port}`);
    const second = r.stdout.indexOf(`Probe of 127.0.0.1:${http.port}`);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
  });

  it('keeps --concurrency under the policy cap and says so', async () => {
    const r = await runCli(['probe', `127.0.0.1:${http.port}`, '--concurrency', '50', '--json', '--allow', '127.0.0.1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/--concurrency 50 lowered to 4/);
    const bad = await runCli(['probe', `127.0.0.1:${http.port}`, '--concurrency', 'many']);
    expect(bad.code).toBe(2);
  });

  it('refuses a target list over its limits with a message naming the limit', async () => {
    const file = join(dir, 'many.txt');
    writeFileSync(file, Array.from({ length: 4097 }, (_, i) => `10.0.${i >> 8}.${i & 255}:443`).join('\n'));
    const r = await runCli(['probe', '--targets', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at most 4096/);
    const missing = await runCli(['probe', '--targets', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --targets/);
  });
});
