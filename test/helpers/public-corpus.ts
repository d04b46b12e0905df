import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Diagnoser, Diagnosis } from '../../rules/index.js';
import { LOG_FIXTURES } from './fixtures.js';

const PUBLIC_DIR = join(LOG_FIXTURES, 'public');

// The mined public corpus: verbatim error text people pasted into public threads, one JSON object
// per line with its URL and a label made from the text alone (test/fixtures/logs/public/README.md).

export interface Reading {
  readonly cause: string;
  readonly team: string;
}
export interface PublicRecord extends Reading {
  readonly file: string;
  readonly index: number;
  readonly program: string;
  readonly stack: string;
  readonly url: string;
  readonly text: string;
  readonly vantage: string;
  readonly alsoAcceptable: readonly Reading[];
  readonly note?: string;
}
export interface ScoredRecord {
  readonly record: PublicRecord;
  readonly got: Diagnosis;
  readonly causeOk: boolean;
  readonly teamOk: boolean;
  /** A specific cause with a team the text supports in no reading: the red herring's harm. */
  readonly confidentWrong: boolean;
}

// Causes that claim nothing specific: an honest "cannot tell" is never a confident wrong answer.
const GENERIC = new Set(['unknown', 'handshake-aborted', 'protocol-mismatch', 'red-herring-only']);

export function loadPublicCorpus(files: readonly string[]): PublicRecord[] {
  return files.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => {
        const raw = JSON.parse(line) as Omit<PublicRecord, 'file' | 'index'>;
        return { ...raw, alsoAcceptable: raw.alsoAcceptable ?? [], file: basename(path), index: index + 1 };
      }),
  );
}

export async function scoreCorpus(diagnoser: Diagnoser, records: readonly PublicRecord[]): Promise<ScoredRecord[]> {
  const out: ScoredRecord[] = [];
  for (const record of records) {
    const got = await diagnoser.diagnoseText(record.text);
    const readings = [record, ...record.alsoAcceptable];
    const causeOk = readings.some((r) => r.cause === got.cause);
    const teamOk = readings.some((r) => r.team === got.team);
    out.push({ record, got, causeOk, teamOk, confidentWrong: !GENERIC.has(got.cause) && !causeOk && !teamOk });
  }
  return out;
}

/** The public corpus files named, read from test/fixtures/logs/public/. */
export function loadPublicFiles(files: readonly string[]): PublicRecord[] {
  return loadPublicCorpus(files.map((f) => join(PUBLIC_DIR, f)));
}

/** The paste of the thread at `url` (the one holding `fragment` when a thread gave several). */
export function pasteOf(records: readonly PublicRecord[], url: string, fragment = ''): PublicRecord {
  const found = records.find((r) => r.url === url && r.text.includes(fragment));
  if (!found) throw new Error(`no record of ${url}${fragment ? ` holding ${fragment}` : ''}`);
  return found;
}

/** The fifth of the corpus kept aside while rules are written (score.ts --split=val). */
export function isValidation(record: Pick<PublicRecord, 'url' | 'text'>): boolean {
  return (createHash('sha1').update(`${record.url}\n${record.text}`).digest()[0] as number) % 5 === 0;
}

/** Whether a text names a TLS endpoint a person would probe (a URL with a host, curl's "Connected to", -connect, host=/port=). */
export function namesEndpoint(text: string): boolean {
  return /\bhttps:\/\/[A-Za-z0-9][A-Za-z0-9.-]{1,200}[A-Za-z0-9](?::\d{1,5})?[/"'\s]|Connected to \S+ \([^)]+\) port \d+|-connect \S+:\d+|host='[^']+', port=\d+/.test(text);
}

/** Next steps that run as pasted: a named endpoint, no host/port placeholder, no listen address. */
export function runnableSteps(d: Diagnosis): boolean {
  return d.endpoint !== undefined && !d.nextSteps.some((s) => /<host>|<port>|<host>:<port>|0\.0\.0\.0|\[::\]/.test(s));
}
