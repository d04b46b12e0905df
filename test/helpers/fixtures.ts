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

export function loadLogFixtures(): LogFixture[] {
  const manifests = [join(LOG_FIXTURES, 'manifest.json'), join(LOG_FIXTURES, 'datapower', 'manifest.json')];
  return manifests.filter(existsSync).flatMap((m) => JSON.parse(readFileSync(m, 'utf8')) as LogFixture[]);
}

export function readFixture(file: string): string {
  return readFileSync(join(LOG_FIXTURES, file), 'utf8');
}
