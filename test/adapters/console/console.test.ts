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

  it('refuses a console option it does not know, with exit code 2', async () => {
    const r = await runNode([MAIN, '--thred', 'x'], { env: { TLS_TRIAGE_DB: join(dir, 'c.db') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --thred/);
  });
});
