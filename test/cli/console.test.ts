import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runNode } from '../helpers/cli.js';
import { readFixture } from '../helpers/fixtures.js';

// `npm start` without Slack/Teams credentials: the local console, scripted through standard input.
describe('local console (npm start without credentials)', () => {
  it('answers pastes and help through the bot layer, and ends at end of input', async () => {
    const script = ['help', '', readFixture('datapower/no-shared-cipher-osmd.txt'), '', 'nothing to see here', '', readFixture('datapower/red-herring-only-osmd.txt')].join('\n');
    const r = await runNode([join(ROOT, 'dist', 'adapters', 'main.js')], { input: script });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/paste TLS error lines/);
    const causes = [...r.stdout.matchAll(/^cause: (.+)$/gm)].map((m) => m[1]);
    expect(causes).toEqual(['no-shared-cipher', 'unknown', 'red-herring-only']);
    expect(r.stdout).toMatch(/!!! RED HERRING/);
  });

  it('quit ends the session', async () => {
    const r = await runNode([join(ROOT, 'dist', 'adapters', 'main.js')], { input: 'quit\ncurl: (60) SSL certificate problem: certificate has expired\n\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bye/);
    expect(r.stdout).not.toMatch(/cause:/);
  });
});
