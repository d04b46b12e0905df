import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { TriageError } from '../../../bot/errors.js';
import { FIXTURES } from '../../helpers/fixtures.js';

// Export fixtures are hand-written from shared/reference/datapower-export-format.md (see
// test/fixtures/exports/SOURCES.md); zips of them are built here with the `zip` command.

export const EXPORT_FIXTURES = join(FIXTURES, 'exports');

export function readExportFixture(file: string): string {
  return readFileSync(join(EXPORT_FIXTURES, file), 'utf8');
}

/** The OSC_PD_SSLError export with some of SSLError_SSLServer's protocol switches changed. */
export function oscWithProtocols(protocols: Partial<Record<'SSLv3' | 'TLSv1d0' | 'TLSv1d1' | 'TLSv1d2', 'on' | 'off'>>): string {
  let xml = readExportFixture('osc-pd-sslerror.xml');
  for (const [name, value] of Object.entries(protocols)) xml = xml.replace(new RegExp(`<${name}>o(?:n|ff)</${name}>`), `<${name}>${value}</${name}>`);
  return xml;
}

export interface TempDir {
  readonly dir: string;
  write(name: string, content: string | Buffer): string;
  /** Runs `zip` in the directory: zip(['-q', 'out.zip', 'export.xml']). Returns the zip's path. */
  zip(args: readonly string[]): string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'tls-triage-export-'));
  return {
    dir,
    write(name, content) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    zip(args) {
      execFileSync('zip', [...args], { cwd: dir, stdio: 'pipe' });
      const target = args.find((a) => a.endsWith('.zip'));
      if (!target) throw new Error('zip args name no .zip file');
      return join(dir, target);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A zip (deflated unless stored) holding the given text as export.xml. */
export function exportZip(t: TempDir, xml: string, options: { stored?: boolean; name?: string; member?: string } = {}): Buffer {
  const member = options.member ?? 'export.xml';
  t.write(member, xml);
  const zipName = options.name ?? `export-${Math.random().toString(36).slice(2)}.zip`;
  return readFileSync(t.zip(['-q', ...(options.stored ? ['-0'] : []), zipName, member]));
}

/** The TriageError `run` rejects with; fails the test when it resolves or throws anything else. */
export async function refusalOf(run: () => Promise<unknown>): Promise<TriageError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(TriageError);
    return error as TriageError;
  }
  throw new Error('expected the input to be refused');
}
