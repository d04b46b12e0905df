import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../../helpers/cli.js';
import { sClient } from '../../bot/listen/helpers.js';

// `tls-triage listen` as a process, as a user runs it: the port it reports on stderr, one JSON line
// per connection, the summary line last, exit 0 also when nobody came.

/** Starts the CLI, waits for "listening on 127.0.0.1:PORT", runs `clients`, returns its output. */
function listenCli(args: string[], clients: (port: number) => Promise<unknown>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'tls-triage.js'), 'listen', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } });
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
      if (port && !started) {
        started = true;
        clients(Number(port)).catch(reject);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('tls-triage listen', () => {
  it('JSON Lines: one object per connection, then the summary with its diagnosis', async () => {
    const r = await listenCli(['127.0.0.1:0', '--json', '--count', '2', '--for', '30', '--request-cert'], async (port) => {
      await sClient(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES256-GCM-SHA384', '-servername', 'orders.test', '-alpn', 'http/1.1']);
      await sClient(port, ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    // Lines come as connections end: the refused one may end before the one that completed.
    const summary = lines[2];
    const first = lines.find((l) => l.sni === 'orders.test');
    const second = lines.find((l) => l.sni === null && !l.summary);
    expect(first).toMatchObject({ sni: 'orders.test', alpn: ['http/1.1'], clientCertificate: null, outcome: 'handshake-completed' });
    expect(first.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(first.offered.versions).toEqual(['TLSv1.2']);
    expect(first.offered.ciphers[0]).toEqual({ iana: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', openssl: 'ECDHE-RSA-AES256-GCM-SHA384', hex: '0xC030' });
    expect(first.offered.groups.length).toBeGreaterThan(0);
    expect(first.offered.sigalgs.length).toBeGreaterThan(0);
    expect(second).toMatchObject({ outcome: 'no-shared-version', offered: { versions: ['TLSv1'] } });
    expect(summary).toMatchObject({ summary: true, connections: 2, distinctClients: 2, stoppedBy: 'count', offered: { highestVersion: 'TLSv1.2', lowestVersion: 'TLSv1' } });
    expect(summary.cause).toBe('protocol-too-old');
    expect(summary.team).toBe('client');
    expect(summary.findings.map((f: { cause: string }) => f.cause)).toEqual(['protocol-too-old', 'client-cert-missing']);
  }, 60_000);

  it('exits 0 when nobody came, and says so', async () => {
    const r = await runCli(['listen', '127.0.0.1:0', '--for', '1', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim());
    expect(summary).toMatchObject({ summary: true, connections: 0, cause: 'unknown', stoppedBy: 'time' });
    expect(summary.title).toMatch(/^No client connected to 127\.0\.0\.1:\d+ in 1 s$/);
  }, 30_000);

  it('--help, and bad usage named with exit 2', async () => {
    const help = await runCli(['listen', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--request-cert/);
    for (const [args, message] of [
      [['listen', '8443', '--for', '601'], /--for must be a whole number from 1 to 600/],
      [['listen', '70000'], /out of range/],
      [['listen', '8443', '--versions', 'ssl3'], /--versions: "ssl3"/],
      [['listen', '8443', '--cert', 'x.pem'], /--cert and --key go together/],
      [['listen'], /listen needs a \[HOST:\]PORT/],
    ] as const) {
      const r = await runCli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 30_000);
});
