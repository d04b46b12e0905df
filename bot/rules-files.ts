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
      if (!statSync(path).isDirectory()) throw new Error('not a directory');
      names = readdirSync(path).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      throw new TriageError('RULES_INVALID', `rules directory ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (names.length === 0) throw new TriageError('RULES_INVALID', `rules directory ${path} holds no .json rule file`);
    for (const name of names) files.push({ name: join(path, name), text: readFileSync(join(path, name), 'utf8') });
  }
  return files;
}
