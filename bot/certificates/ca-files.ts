// CA files the operator configures (certificates.caFiles) so that certificates from a private CA
// verify: read once, checked at start-up so a wrong path stops the bot with the key named.
import { readFileSync } from 'node:fs';
import { hasPemCertificate } from './sniff.js';

/** Why a configured CA file cannot be used, or undefined when it can. */
export function caFileProblem(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (error as Error).message)}`;
  }
  return text.includes('-----BEGIN CERTIFICATE-----') ? undefined : `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`;
}

const cache = new Map<string, string[]>();

/** The PEM text of each file; a file that vanished since start-up is skipped, not fatal. */
export function readCaFiles(paths: readonly string[]): string[] {
  const key = paths.join('\n');
  const hit = cache.get(key);
  if (hit) return hit;
  const pems: string[] = [];
  for (const path of paths) {
    try {
      const text = readFileSync(path, 'utf8');
      if (hasPemCertificate(text)) pems.push(text);
    } catch {
      // checked at start-up (config.ts); a file removed later only loses its anchors
    }
  }
  if (cache.size > 8) cache.clear();
  cache.set(key, pems);
  return pems;
}
