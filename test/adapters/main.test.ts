import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../bot/probe/helpers/servers.js';
import { ROOT, runNode } from '../helpers/cli.js';

// `npm start` with chat credentials: one HTTP server, /healthz, graceful SIGTERM; partial
// credentials stop start-up with the missing variable named.
const MAIN = join(ROOT, 'dist', 'adapters', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'tls-triage-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start with chat platforms', () => {
  it('serves /healthz on one port, and drains and closes the store on SIGTERM', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TEAMS_ALLOW_UNAUTHENTICATED: 'true', PORT: '0', TLS_TRIAGE_DB: join(dir, 'main.db') };
    const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not started: ${log}`)), 15_000);
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const running = log.split('\n').map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg?: string; url?: string }) : {})).find((l) => l.msg === 'tls-triage is running');
        if (running?.url) {
          clearTimeout(timer);
          resolve(running.url.replace('0.0.0.0', '127.0.0.1'));
        }
      });
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).toMatch(/"msg":"stopped"/);
    expect(log).toMatch(/"adapters":\["teams"\]/);
  });

  it('refuses partial Slack credentials, naming what is missing', async () => {
    const r = await runNode([MAIN], { env: { SLACK_APP_TOKEN: 'xapp-1-A1-1-abc', TLS_TRIAGE_DB: join(dir, 'x.db') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config key slack\.botToken: SLACK_BOT_TOKEN \(slack\.botToken\) is required/);
    expect(r.stderr).not.toContain('xapp-1-A1-1-abc');
  });

  it('names the Slack URL and what it was doing when a start-up call fails', async () => {
    const closed = await closedPort();
    const apiUrl = `http://127.0.0.1:${closed}/api/`;
    const r = await runNode([MAIN], { env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: apiUrl, TLS_TRIAGE_DB: join(dir, 'slack.db') }, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Slack: checking SLACK_BOT_TOKEN failed: auth.test at ${apiUrl}auth.test could not be reached`);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/internal error|WebAPIRequestError/);
    expect(r.stderr).not.toContain('xoxb-test-token');
  });

  it('refuses Teams with both an app id and unauthenticated mode', async () => {
    const r = await runNode([MAIN], { env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'pw', TEAMS_ALLOW_UNAUTHENTICATED: 'true' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/teams\.allowUnauthenticated: TEAMS_ALLOW_UNAUTHENTICATED=true switches authentication off/);
  });
});
