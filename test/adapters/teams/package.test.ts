import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run teams:package` end to end: the zip a Teams admin uploads, read back with unzip(1).

const run = promisify(execFile);
const BOT_ID = '4f1d5b7e-0c2a-4b8e-9a51-2f7c3d9e6b10';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function envWithout(name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env[name];
  return env;
}

async function packageZip(out: string, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return run('npm', ['run', '--silent', 'teams:package', '--', '--out', out], { env, cwd: process.cwd() });
}

/** Width, height and RGBA pixels of an 8-bit RGBA, non-interlaced PNG (what icons.ts writes). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8, 13)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

describe('npm run teams:package', () => {
  it('writes manifest.json, color.png and outline.png at the zip root with the bot, its commands and the RSC permission', async () => {
    const out = join(dir, 'teams-app.zip');
    const { stdout } = await packageZip(out, envWithout('TEAMS_APP_ID', { MicrosoftAppId: BOT_ID }));
    expect(stdout).toContain(`wrote ${out}`);
    const listing = (await run('unzip', ['-Z1', out])).stdout.trim().split('\n');
    expect(listing.sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    await run('unzip', ['-tq', out]);

    const extract = async (name: string): Promise<Buffer> => (await run('unzip', ['-p', out, name], { encoding: 'buffer' })).stdout;
    const manifest = JSON.parse((await extract('manifest.json')).toString('utf8'));
    expect(manifest).toMatchObject({
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json',
      manifestVersion: '1.19',
      version: JSON.parse(readFileSync('package.json', 'utf8')).version,
      icons: { color: 'color.png', outline: 'outline.png' },
      webApplicationInfo: { id: BOT_ID },
      authorization: { permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] } },
    });
    expect(manifest.id).toMatch(GUID);
    expect(manifest.id).not.toBe(BOT_ID);
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.accentColor).toMatch(/^#[0-9a-fA-F]{6}$/);
    for (const url of Object.values(manifest.developer).slice(1)) expect(url).toMatch(/^https:\/\//);
    const [bot] = manifest.bots;
    expect(manifest.bots).toHaveLength(1);
    expect(bot).toMatchObject({ botId: BOT_ID, scopes: ['team', 'groupChat', 'personal'], supportsFiles: true });
    expect(bot.commandLists.length).toBeLessThanOrEqual(3);
    for (const list of bot.commandLists) {
      expect(list.commands.map((c: { title: string }) => c.title)).toEqual(['probe', 'diagnose', 'help', 'status', 'summary']);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
    expect(bot.commandLists.flatMap((l: { scopes: string[] }) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);

    const color = decodePng(await extract('color.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(await extract('outline.png'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // Outline icon: transparent background, and every visible pixel white.
    const alphas: number[] = [];
    for (let i = 0; i < outline.rgba.length; i += 4) {
      const a = outline.rgba[i + 3] as number;
      alphas.push(a);
      if (a > 0) expect([outline.rgba[i], outline.rgba[i + 1], outline.rgba[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(alphas[0]).toBe(0);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(100);
    // Colour icon: opaque everywhere.
    for (let i = 3; i < color.rgba.length; i += 4) expect(color.rgba[i]).toBe(255);

    // Packaging again for the same bot gives the same Teams app id (an update, not a new app).
    const again = join(dir, 'again.zip');
    await packageZip(again, envWithout('TEAMS_APP_ID', { MicrosoftAppId: BOT_ID }));
    expect(JSON.parse((await run('unzip', ['-p', again, 'manifest.json'])).stdout).id).toBe(manifest.id);
  });

  it('fails with a clear message when MicrosoftAppId is unset or not a GUID', async () => {
    const missing = await packageZip(join(dir, 'missing.zip'), envWithout('MicrosoftAppId')).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 2 });
    expect((missing as { stderr: string }).stderr).toContain('MicrosoftAppId is not set');
    const wrong = await packageZip(join(dir, 'wrong.zip'), envWithout('TEAMS_APP_ID', { MicrosoftAppId: 'my-bot' })).catch((e: { code: number; stderr: string }) => e);
    expect(wrong).toMatchObject({ code: 2 });
    expect((wrong as { stderr: string }).stderr).toContain('must be the Azure Bot\'s Microsoft App ID (a GUID), got "my-bot"');
  });
});
