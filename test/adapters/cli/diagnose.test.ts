import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { LOG_FIXTURES, readFixture } from '../../helpers/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'tls-triage-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tls-triage diagnose (the built CLI as a process)', () => {
  it('prints a readable reply ending with the cause line, exit 0', async () => {
    const r = await runCli(['diagnose', join(LOG_FIXTURES, 'datapower/protocol-too-old-osmd.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Who acts: the client team/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('cause: protocol-too-old');
  });

  it('--json prints the contract shape', async () => {
    const r = await runCli(['diagnose', '--json', '-'], { input: readFixture('datapower/no-shared-cipher-osmd.txt') });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['cause', 'team', 'title', 'explanation', 'vantage', 'redHerringPresent', 'redHerringOnly', 'evidence', 'nextSteps', 'warnings', 'others']));
    expect(json).toMatchObject({ cause: 'no-shared-cipher', team: 'both', vantage: 'server', redHerringPresent: true, redHerringOnly: false });
    expect(json.evidence[0]).toEqual({ line: 1, text: expect.stringContaining('no shared cipher') });
  });

  it('reads gzip files and stdin', async () => {
    const file = join(tmp, 'log.gz');
    writeFileSync(file, gzipSync(readFixture('datapower/legacy-ssl-osmd.txt')));
    const r = await runCli(['diagnose', '--json', file]);
    expect(JSON.parse(r.stdout).cause).toBe('legacy-ssl');
  });

  it('exits 0 with cause unknown for text without TLS failures', async () => {
    const r = await runCli(['diagnose', '--json'], { input: 'just chatting about lunch\n' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).cause).toBe('unknown');
  });

  it('exits 2 with a clear message for unreadable, binary or bad usage', async () => {
    const missing = await runCli(['diagnose', join(tmp, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.log: no such file/);
    const binary = await runCli(['diagnose'], { input: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]) });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/looks binary/);
    const usage = await runCli(['diagnose', '--frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown option --frobnicate/);
    const command = await runCli(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('--rules adds an ops file; a bad one stops with the file and field named', async () => {
    const dir = join(tmp, 'rules-ok');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lb.json'), JSON.stringify({
      family: 'ops-lb', description: 'F5',
      signatures: [{ id: 'f5-ssl-pool', signal: 'ops.f5-ssl-pool', contains: ['ssl pool member down'] }],
      rules: [{ name: 'f5-ssl-pool', priority: 60, conditions: { all: [{ fact: 'signals', operator: 'contains', value: 'ops.f5-ssl-pool' }] },
        event: { type: 'diagnosis', params: { cause: 'connection-refused', team: 'network', title: 'pool', explanation: 'x', nextSteps: [] } } }],
    }));
    const ok = await runCli(['diagnose', '--json', '--rules', dir], { input: 'ltm: SSL pool member down 10.0.0.1:443\n' });
    expect(JSON.parse(ok.stdout).cause).toBe('connection-refused');
    const check = await runCli(['rules', 'check', dir]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^ok: 1 file/);

    const badDir = join(tmp, 'rules-bad');
    mkdirSync(badDir, { recursive: true });
    writeFileSync(join(badDir, 'typo.json'), JSON.stringify({ family: 'ops-typo', description: 'x', rules: [{ name: 'r', priority: 5, conditions: { all: [{ fact: 'signals', operator: 'contains', value: 'tls.no-shared-ciphr' }] }, event: { type: 'diagnosis', params: { cause: 'no-shared-cipher', team: 'both', title: 't', explanation: 'e', nextSteps: [] } } }] }));
    const bad = await runCli(['rules', 'check', badDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/typo\.json: rules\[0\]\.conditions\.all\[0\]\.value: unknown signal "tls\.no-shared-ciphr"/);
    const refused = await runCli(['diagnose', '--rules', badDir], { input: 'x' });
    expect(refused.code).toBe(2);
  });

  it('a configuration error names the key', async () => {
    const config = join(tmp, 'bad-config.json');
    writeFileSync(config, JSON.stringify({ logging: { level: 'loud' }, probe: { allow: ['300.1.1.1/8'] }, runbooks: { 'no-such-cause': 'https://x' } }));
    const r = await runCli(['diagnose'], { input: 'x', env: { TLS_TRIAGE_CONFIG: config } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config key logging\.level/);
    expect(r.stderr).toMatch(/config key probe\.allow\[0\]/);
    expect(r.stderr).toMatch(/config key runbooks\.no-such-cause: unknown cause id/);
  });

  it('shows the runbook of the cause from the configuration', async () => {
    const config = join(tmp, 'runbooks.json');
    writeFileSync(config, JSON.stringify({ runbooks: { 'legacy-ssl': 'https://wiki.example/runbooks/legacy-ssl' } }));
    const r = await runCli(['diagnose', '--json'], { input: readFixture('datapower/legacy-ssl-osmd.txt'), env: { TLS_TRIAGE_CONFIG: config } });
    expect(JSON.parse(r.stdout).runbook).toBe('https://wiki.example/runbooks/legacy-ssl');
  });
});
