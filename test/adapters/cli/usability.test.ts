import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../bot/probe/helpers/servers.js';
import { runCli } from '../../helpers/cli.js';
import { readFixture } from '../../helpers/fixtures.js';
import { generateKeys } from '../../helpers/keys.js';

// What trips people up on the command line: help per command, log lines nobody asked for, a key in
// the input, missing folders and stores. The built CLI as a real process.

const dir = mkdtempSync(join(tmpdir(), 'tls-triage-usability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tls-triage on the command line', () => {
  it('explains every command with COMMAND --help (exit 0), and a usage error names its command', async () => {
    for (const [command, first] of [
      ['diagnose', /^usage: tls-triage diagnose \[FILE\|-\]/],
      ['probe', /^usage: tls-triage probe TARGET/],
      ['rules', /^usage: tls-triage rules check DIR\.\.\./],
      ['console', /^usage: tls-triage console/],
      ['feedback', /^usage: tls-triage feedback export \[--json\]/],
    ] as const) {
      const r = await runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(first);
      expect(r.stderr, command).toBe('');
    }
    expect((await runCli(['probe', '-h'])).stdout).toMatch(/--allow ENTRY/);
    const bad = await runCli(['probe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/probe needs a TARGET.*\nusage: tls-triage probe TARGET/);
  });

  it('prints no log line on standard error unless LOG_LEVEL or --verbose asks; the audit line goes there, or to the audit file', async () => {
    const port = await closedPort();
    const target = `127.0.0.1:${port}`;
    const quiet = await runCli(['probe', target, '--allow', '127.0.0.1']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/cause: connection-refused\n$/);
    const verbose = await runCli(['probe', target, '--allow', '127.0.0.1', '--verbose']);
    const audit = verbose.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit).toEqual([expect.objectContaining({ event: 'probe-audit', verdict: 'allowed', target, platform: 'cli', cause: 'connection-refused' })]);
    const byEnv = await runCli(['probe', target, '--allow', '127.0.0.1'], { env: { LOG_LEVEL: 'info' } });
    expect(byEnv.stderr).toMatch(/"event":"probe-audit"/);
    const file = join(dir, 'audit', 'probe.jsonl');
    const filed = await runCli(['probe', target, '--allow', '127.0.0.1'], { env: { PROBE_AUDIT_FILE: file } });
    expect(filed.stderr).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8').trim())).toMatchObject({ event: 'probe-audit', verdict: 'allowed', target });
    // A refusal is one readable line, no JSON log line before it.
    const refused = await runCli(['probe', target]);
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^tls-triage: refused by built-in deny "loopback"/);
  });

  it('warns about a private key in diagnose, in text and in JSON, and never prints it', async () => {
    const keys = generateKeys();
    const input = `${readFixture('curl/server-cert-expired.txt')}\n${keys.pkcs8}\n${keys.openssh}`;
    const text = await runCli(['diagnose', '-'], { input });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^!!! WARNING \[private-key-pasted\]: This input holds a private key \(2 blocks\)\..*rotate it/);
    expect(text.stdout).toMatch(/cause: server-cert-expired\n$/);
    const json = await runCli(['diagnose', '--json', '-'], { input });
    const parsed = JSON.parse(json.stdout) as { cause: string; warnings: { id: string }[] };
    expect(parsed.cause).toBe('server-cert-expired');
    expect(parsed.warnings[0]?.id).toBe('private-key-pasted');
    for (const key of [keys.pkcs8, keys.openssh]) {
      const line = key.split('\n')[1] as string;
      for (const out of [text.stdout, json.stdout, text.stderr, json.stderr]) expect(out).not.toContain(line);
    }
    // No key, no warning.
    expect((await runCli(['diagnose', '-'], { input: readFixture('curl/server-cert-expired.txt') })).stdout).not.toContain('private-key-pasted');
  });

  it('puts endpoint and alternatives in the JSON, with next steps the probe policy allows as they are', async () => {
    const port = 8443;
    const input = `* Connected to 127.0.0.1 (127.0.0.1) port ${port}\ncurl: (60) SSL certificate problem: unable to get local issuer certificate\n`;
    const r = await runCli(['diagnose', '--json', '-'], { input });
    const json = JSON.parse(r.stdout) as { endpoint: unknown; alternatives: { cause: string; check: string }[]; nextSteps: string[] };
    expect(json.endpoint).toEqual({ host: '127.0.0.1', port });
    expect(json.alternatives[0]?.cause).toBe('server-chain-incomplete');
    const everything = [...json.nextSteps, ...json.alternatives.map((a) => a.check)].join('\n');
    expect(everything).not.toMatch(/tls-triage probe 127\.0\.0\.1/);
    expect(everything).toContain(`openssl s_client -connect 127.0.0.1:${port}`);
  });

  it('says a missing folder is missing, in words', async () => {
    const r = await runCli(['rules', 'check', join(dir, 'no-such-rules')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tls-triage: rules directory ${join(dir, 'no-such-rules')} does not exist\n`);
    const file = await runCli(['diagnose', '--rules', join(dir, 'nope'), '-'], { input: 'x' });
    expect(file.stderr).toMatch(/rules directory .*nope does not exist/);
  });

  it('feedback export: an error for a missing store (no new empty database), a line per verdict otherwise', async () => {
    const missing = join(dir, 'nowhere', 'store.db');
    const r = await runCli(['feedback', 'export', '--json'], { env: { TLS_TRIAGE_DB: missing } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/there is no incident store at .*nowhere\/store\.db/);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    // A store with no verdict yet: nothing to print in JSON, a count in text.
    const db = join(dir, 'empty.db');
    await runCli(['console', '--thread', 'T'], { input: 'quit\n', env: { TLS_TRIAGE_DB: db } });
    expect((await runCli(['feedback', 'export', '--json'], { env: { TLS_TRIAGE_DB: db } })).stdout).toBe('');
    expect((await runCli(['feedback', 'export'], { env: { TLS_TRIAGE_DB: db } })).stdout).toMatch(/^0 verdict\(s\) in sqlite /);
    // One verdict given in the console, exported.
    await runCli(['console', '--thread', 'T'], { input: `${readFixture('curl/server-cert-expired.txt')}\n\nfeedback wrong the proxy\n`, env: { TLS_TRIAGE_DB: db } });
    const text = await runCli(['feedback', 'export'], { env: { TLS_TRIAGE_DB: db } });
    expect(text.stdout).toMatch(/^1 verdict\(s\) in sqlite .*:\n\S+ {2}wrong {2}server-cert-expired {2}console console T {2}local {2}"the proxy"\n$/);
  });
});
