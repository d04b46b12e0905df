import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runNode } from '../../helpers/cli.js';
import { readFixture } from '../../helpers/fixtures.js';

// `npm start` without Slack/Teams credentials: the local console, scripted through standard input,
// with its incident store in a temporary SQLite file.
const dir = mkdtempSync(join(tmpdir(), 'tls-triage-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MAIN = join(ROOT, 'dist', 'adapters', 'main.js');
const DATAPOWER = 'datapower/protocol-too-old-osmd-reconstructed.txt';

describe('local console (npm start without credentials)', () => {
  it('keeps one incident per session: diagnoses, ignores chatter, notes evidence that changes nothing', async () => {
    const script = ['help', '', readFixture('datapower/no-shared-cipher-osmd.txt'), '', 'nothing to see here', '', readFixture('datapower/red-herring-only-osmd.txt'), '', 'status'].join('\n');
    const r = await runNode([MAIN], { input: script, env: { TLS_TRIAGE_DB: join(dir, 'a.db') } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/paste TLS error lines/);
    expect(r.stdout).toMatch(/No TLS evidence in that message, so nothing was added/);
    expect(r.stdout).toMatch(/Added paste to the incident\. Diagnosis unchanged: no-shared-cipher/);
    expect(r.stdout).toMatch(/^Evidence \(2\):$/m);
    const causes = [...r.stdout.matchAll(/^cause: (.+)$/gm)].map((m) => m[1]);
    expect(causes).toEqual(['no-shared-cipher', 'no-shared-cipher']);
  });

  it('quit ends the session', async () => {
    const r = await runNode([MAIN], { input: 'quit\ncurl: (60) SSL certificate problem: certificate has expired\n\n', env: { TLS_TRIAGE_DB: join(dir, 'b.db') } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bye/);
    expect(r.stdout).not.toMatch(/cause:/);
  });

  it('loses nothing when the process is killed with SIGKILL between two messages of a thread', async () => {
    const [libraryError, redHerring, , debugLine] = readFixture(DATAPOWER).split('\n').filter(Boolean) as string[];
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TLS_TRIAGE_DB: join(dir, 'killed.db') };
    const first = spawn(process.execPath, [MAIN, '--thread', 'INC-9'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const answered = new Promise<void>((resolve) =>
      first.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/^cause: red-herring-only$/m.test(out)) resolve();
      }),
    );
    first.stdin.write(`${redHerring}\n\n`);
    await answered;
    const exited = new Promise((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const second = await runNode([MAIN, '--thread', 'INC-9'], { input: `${libraryError}\n${debugLine}\n\nstatus\n`, env: { TLS_TRIAGE_DB: env.TLS_TRIAGE_DB } });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Diagnosis changed\. Was: red herring only \(red-herring-only\)\. Now: protocol-too-old, client team to act, because of #2 line 1: .*unknown protocol/);
    expect(second.stdout).toMatch(/^Evidence \(2\):$/m);
    expect(second.stdout).toMatch(/^ {2}#1 .* paste \(\d+ bytes\) from local$/m);
  });

  it('answers chat-sized, gives the whole diagnosis on details, and keeps feedback shown by status', async () => {
    const java = readFixture('java/server-cert-untrusted.txt');
    const script = [java, '', 'details', 'feedback wrong it was the proxy', 'feedback right', 'status'].join('\n');
    const r = await runNode([MAIN, '--thread', 'INC-FB'], { input: script, env: { TLS_TRIAGE_DB: join(dir, 'fb.db') } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [first = '', whole = ''] = r.stdout.split(/^cause: server-cert-untrusted$/m);
    // First reply: the cause, who acts, at most 3 evidence lines and 3 next steps, what 'details' holds.
    expect(first).toContain('Who acts: the client team, for the Java client that wrote this log.');
    expect(first.match(/^ {2}#1 line \d+: /gm)?.length).toBeLessThanOrEqual(3);
    expect(first).not.toMatch(/^\s*at java\.base/m);
    expect(first.match(/^ {2}\d\. /gm)).toHaveLength(3);
    expect(first).toMatch(/^Could also be: server-chain-incomplete \(server team\), check: /m);
    expect(first).toMatch(/^More: 'details' shows the explanation and \d+ more next steps?\./m);
    expect(first.split('\n').filter(Boolean).length).toBeLessThan(20);
    // 'details': the explanation and every step.
    expect(whole).toContain('The client could not build a trusted chain');
    expect(whole.match(/^ {2}\d\. /gm)?.length).toBeGreaterThan(3);
    expect(r.stdout).toContain('Thanks: recorded that server-cert-untrusted was the wrong cause ("it was the proxy").');
    expect(r.stdout).toContain('Thanks: recorded that server-cert-untrusted was the right cause.');
    expect(r.stdout).toMatch(/^Feedback \(2\):\n {2}\S+ local: wrong cause \(server-cert-untrusted\): it was the proxy\n {2}\S+ local: right cause \(server-cert-untrusted\)$/m);
    // A pure Java incident's checklist asks for the JVM's debug log, never for DataPower's steps.
    const status = r.stdout.slice(r.stdout.lastIndexOf('Incident status'));
    expect(status).toMatch(/^Evidence checklist:$/m);
    expect(status).toContain('-Djavax.net.debug');
    expect(status).not.toMatch(/DataPower|MustGather/);
  });

  it('takes --allow like probe: npm start -- --allow 127.0.0.1 lets the console probe loopback', async () => {
    const refused = await runNode([MAIN], { input: 'probe 127.0.0.1:1\n', env: { TLS_TRIAGE_DB: join(dir, 'allow.db') } });
    expect(refused.stdout).toMatch(/refused by built-in deny "loopback".*add an allow entry \(--allow 127\.0\.0\.1 or PROBE_ALLOW\)/);
    const allowed = await runNode([MAIN, '--allow', '127.0.0.1'], { input: 'probe 127.0.0.1:1\n', env: { TLS_TRIAGE_DB: join(dir, 'allow.db') } });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).not.toMatch(/refused by/);
    // A probe alone is no DataPower incident: its checklist asks for the generic items.
    expect(allowed.stdout).toMatch(/Still needed: Packet trace of the failing handshake: tcpdump/);
    expect(allowed.stdout).toMatch(/^cause: connection-refused$/m);
    const bad = await runNode([MAIN, '--allow', '10.0.0.1/8'], { env: { TLS_TRIAGE_DB: join(dir, 'allow.db') } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--allow: allow entry "10\.0\.0\.1\/8"/);
  });

  it('stops start-up on a variable that looks like a chat setting, with what it probably meant', async () => {
    const r = await runNode([MAIN], { input: 'quit\n', env: { SLACK_TOKEN: 'xoxb-1-misspelt', TEAMS_APP_ID: 'abc', TLS_TRIAGE_DB: join(dir, 'env.db') } });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('tls-triage console');
    expect(r.stderr).toContain('environment variable SLACK_TOKEN is not a tls-triage setting: did you mean SLACK_BOT_TOKEN?');
    expect(r.stderr).toContain('environment variable TEAMS_APP_ID is not a tls-triage setting: did you mean MicrosoftAppId?');
    expect(r.stderr).not.toContain('xoxb-1-misspelt');
  });

  it('refuses a console option it does not know, with exit code 2', async () => {
    const r = await runNode([MAIN, '--thred', 'x'], { env: { TLS_TRIAGE_DB: join(dir, 'c.db') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --thred/);
  });
});
