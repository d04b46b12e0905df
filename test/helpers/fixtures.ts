import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(dirname(fileURLToPath(import.meta.url))), 'fixtures');
export const LOG_FIXTURES = join(FIXTURES, 'logs');

/** One fixture of a test/fixtures/logs manifest.json: real output plus its ground truth. */
export interface LogFixture {
  file: string;
  cause: string;
  vantage?: 'server' | 'client';
  redHerring?: boolean;
  reconstructed?: boolean;
  alsoAcceptable?: string[];
  warnings?: string[];
  counts?: Record<string, number>;
  others?: { cause: string; count: number }[];
  software?: string;
  source?: string;
}

/** Every manifest: the main generator's, DataPower's and the other stacks' (scripts/fixtures/generate-stacks.sh). */
export function loadLogFixtures(): LogFixture[] {
  const manifests = ['', 'datapower', 'stacks'].map((dir) => ({ dir, path: join(LOG_FIXTURES, dir, 'manifest.json') }));
  return manifests
    .filter((m) => existsSync(m.path))
    .flatMap(({ dir, path }) =>
      (JSON.parse(readFileSync(path, 'utf8')) as LogFixture[]).map((f) => (dir && !f.file.startsWith(`${dir}/`) ? { ...f, file: `${dir}/${f.file}` } : f)),
    );
}

export function readFixture(file: string): string {
  return readFileSync(join(LOG_FIXTURES, file), 'utf8');
}
