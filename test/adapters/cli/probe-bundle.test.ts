import { existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, runNode } from '../../helpers/cli.js';

// The probe's start-up path: one CommonJS bundle and V8's code cache for it, written by the build
// (scripts/bundle-probe.mjs) and loaded by adapters/cli/load-bundle.ts. The cache is only worth
// having if V8 takes it, and the bundle must still reach the rule loader it leaves out.
const dir = mkdtempSync(join(tmpdir(), 'probe-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUNDLE = join(ROOT, 'dist', 'probe-cli.bundle.cjs');

describe('the bundled probe', () => {
  it('is built with a code cache that V8 accepts', async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    expect(existsSync(`${BUNDLE}.v8cache`)).toBe(true);
    const script = `const { loadCommonJsBundle } = await import(${JSON.stringify(join(ROOT, 'dist', 'adapters', 'cli', 'load-bundle.js'))});
const loaded = loadCommonJsBundle(${JSON.stringify(BUNDLE)});
process.stdout.write(loaded.cache + ' ' + typeof loaded.exports.runProbeCli);`;
    const r = await runNode(['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('used function');
  });

  it("reaches the rule loader it leaves out for an ops team's rule files, good and bad", async () => {
    const good = join(dir, 'good');
    const bad = join(dir, 'bad');
    mkdirSync(good);
    mkdirSync(bad);
    writeFileSync(join(good, 'extra.json'), JSON.stringify({ family: 'ops-extra', description: 'an extra signature', signatures: [{ id: 'ops-extra', signal: 'ops.extra', contains: ['ops extra words'], role: 'context' }], rules: [] }));
    writeFileSync(join(bad, 'broken.json'), JSON.stringify({ family: 'broken', signatures: [{ id: 3 }], rules: [] }));
    // Port 1 on loopback refuses at once: the probe runs and its rules are used, nothing waits.
    const ok = await runCli(['probe', '127.0.0.1:1', '--allow', '127.0.0.1', '--rules', good, '--json']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout).cause).toBe('connection-refused');
    const refused = await runCli(['probe', '127.0.0.1:1', '--allow', '127.0.0.1', '--rules', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${join(bad, 'broken.json')}: signatures[0].id`);
  });
});
