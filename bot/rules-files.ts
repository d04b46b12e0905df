import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RuleFileInput } from '../rules/index.js';
import type { ProfileFileInput } from './probe/client-profiles.js';
import { TriageError } from './errors.js';

// An ops team's rule directories hold rule files and, beside them, client-profile files for
// `probe --as` (a .json file whose top level holds "clientProfiles"). Both are read here; the
// rule loader gets the rule files, the profile loader the profile files.

interface JsonFile {
  name: string;
  text: string;
  /** Parsed when it parses; the rule loader reports the files that do not. */
  json?: unknown;
}

function readJsonFiles(dirs: readonly string[], cwd: string): JsonFile[] {
  const files: JsonFile[] = [];
  for (const dir of dirs) {
    const path = resolve(cwd, dir);
    let names: string[];
    try {
      if (!statSync(path).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      names = readdirSync(path).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      throw new TriageError('RULES_INVALID', `rules directory ${path} ${folderProblem(error)}`);
    }
    if (names.length === 0) throw new TriageError('RULES_INVALID', `rules directory ${path} holds no .json rule file`);
    for (const name of names) {
      const text = readFileSync(join(path, name), 'utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      files.push({ name: join(path, name), text, ...(json !== undefined ? { json } : {}) });
    }
  }
  return files;
}

function isProfileFile(f: JsonFile): boolean {
  return typeof f.json === 'object' && f.json !== null && !Array.isArray(f.json) && 'clientProfiles' in f.json;
}

/** Reads an ops team's rule directories (every *.json rule file, sorted) for the pure rules loader. */
export function readRuleDirs(dirs: readonly string[], cwd: string = process.cwd()): RuleFileInput[] {
  return readJsonFiles(dirs, cwd).filter((f) => !isProfileFile(f)).map((f) => ({ name: f.name, text: f.text }));
}

/** The client-profile files of the same directories (bot/probe/client-profiles.ts validates them). */
export function readProfileFiles(dirs: readonly string[], cwd: string = process.cwd()): ProfileFileInput[] {
  return readJsonFiles(dirs, cwd).filter(isProfileFile).map((f) => ({ name: f.name, json: f.json }));
}

/** Why a folder cannot be used, in words ("does not exist", not "ENOENT"). */
export function folderProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? (error as Error).message})`;
}
