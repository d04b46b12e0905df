import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RuleFileInput } from '../rules/index.js';
import { TriageError } from './errors.js';

/** Reads an ops team's rule directories (every *.json file, sorted) for the pure rules loader. */
export function readRuleDirs(dirs: readonly string[], cwd: string = process.cwd()): RuleFileInput[] {
  const files: RuleFileInput[] = [];
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
    for (const name of names) files.push({ name: join(path, name), text: readFileSync(join(path, name), 'utf8') });
  }
  return files;
}

/** Why a folder cannot be used, in words ("does not exist", not "ENOENT"). */
export function folderProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? (error as Error).message})`;
}
