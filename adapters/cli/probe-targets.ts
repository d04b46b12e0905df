import { readFileSync, statSync } from 'node:fs';
import { TriageError } from '../../bot/errors.js';

// The targets of one `tls-triage probe` run: the command line's, then a --targets file's (one per
// line, blank lines and # comments ignored), in that order. Bounded, so a wrong file (a log, a
// binary) is a usage error that names the limit, not minutes of probing.

export const MAX_TARGETS = 4096;
const MAX_TARGETS_FILE_BYTES = 1024 * 1024;

export function targetsFromFile(path: string): string[] {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_TARGETS_FILE_BYTES) throw new TriageError('INPUT_TOO_LARGE', `--targets ${path} has ${size} bytes, more than the ${MAX_TARGETS_FILE_BYTES} a target list may have`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof TriageError) throw error;
    throw new TriageError('INPUT_UNREADABLE', `cannot read --targets ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (text.includes('\0')) throw new TriageError('INPUT_BINARY', `--targets ${path} is binary, not a list of targets`);
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

export function probeTargets(positionals: readonly string[], files: readonly string[]): string[] {
  const targets = [...positionals, ...files.flatMap(targetsFromFile)];
  if (targets.length === 0) throw new TriageError('USAGE', 'probe needs a TARGET (host:port, host, https://host:port/, [v6]:port) or --targets FILE');
  if (targets.length > MAX_TARGETS) throw new TriageError('USAGE', `${targets.length} targets: one run probes at most ${MAX_TARGETS}`);
  return targets;
}

/** --concurrency: default 8, never above the policy's cap (probe.maxConcurrent). */
export function probeConcurrency(text: string | undefined, cap: number): { value: number; note?: string } {
  if (text === undefined) return { value: Math.min(8, cap) };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new TriageError('USAGE', `--concurrency must be a whole number from 1, not "${text}"`);
  if (n > cap) return { value: cap, note: `--concurrency ${n} lowered to ${cap}, the probe policy's cap (probe.maxConcurrent)` };
  return { value: n };
}
