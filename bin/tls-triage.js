#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'adapters', 'cli', 'bin.js');
if (!existsSync(entry)) {
  process.stderr.write('tls-triage: not built yet; run `npm ci` (or `npm run build`) in ' + root + '\n');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
