import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layout docs/architecture.md describes, checked: one room per evidence kind, rules/ pure,
// no import cycle, small files. A move that breaks one of these fails here, not in review.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['rules', 'bot', 'adapters'] as const;
const EVIDENCE_KINDS = /^(capture|certificate|export|probe|log|scan|listen)/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = LAYERS.flatMap((layer) => sourceFiles(join(ROOT, layer)));
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'(\.{1,2}\/[^']+)'/g;

/** Relative imports of a source file, as repository paths of .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] as string;
    if (!spec.endsWith('.js')) continue;
    out.push(relative(ROOT, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
  }
  return out;
}

describe('repository layout', () => {
  it('rules/ keeps at most 15 files at its top, none named after an evidence kind', () => {
    const top = readdirSync(join(ROOT, 'rules')).filter((n) => n.endsWith('.ts'));
    expect(top.length).toBeLessThanOrEqual(15);
    expect(top.filter((n) => EVIDENCE_KINDS.test(n))).toEqual([]);
  });

  it('every evidence kind of bot/ has its twin folder in rules/', () => {
    for (const kind of ['capture', 'certificates', 'export', 'probe', 'logs']) {
      expect(statSync(join(ROOT, 'bot', kind)).isDirectory(), `bot/${kind}`).toBe(true);
      expect(statSync(join(ROOT, 'rules', kind)).isDirectory(), `rules/${kind}`).toBe(true);
    }
  });

  it('no source file is over 400 lines (data tables *.data.ts excepted)', () => {
    const long = files
      .filter((f) => !f.endsWith('.data.ts'))
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it('rules/ is pure: no I/O modules, no imports from bot/ or adapters/', () => {
    const bad: string[] = [];
    for (const f of files.filter((f) => relative(ROOT, f).startsWith('rules/'))) {
      const text = readFileSync(f, 'utf8');
      if (/from '(node:)?(fs|net|tls|child_process|worker_threads)(\/promises)?'/.test(text)) bad.push(`${relative(ROOT, f)}: I/O module`);
      for (const target of importsOf(f)) if (!target.startsWith('rules/')) bad.push(`${relative(ROOT, f)} -> ${target}`);
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycle between source files', () => {
    const graph = new Map(files.map((f) => [relative(ROOT, f), importsOf(f)] as const));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
