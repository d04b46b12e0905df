import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';
import { LOG_FIXTURES } from '../../helpers/fixtures.js';
import { isValidation, loadPublicCorpus, scoreCorpus, type ScoredRecord } from '../../helpers/public-corpus.js';

// Error text real people pasted into public threads (test/fixtures/logs/public/README.md), each
// labelled from its own text. The figures are reported per source file and held as floors: a rule
// change that loses ground on real pastes fails here. The floors are the level reached, less a
// little; raise them when the rules get better.

const DIR = join(LOG_FIXTURES, 'public');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));
const records = loadPublicCorpus(FILES.map((f) => join(DIR, f)));
const scored = await scoreCorpus(createDiagnoser(), records);

const FLOORS: Readonly<Record<string, { cause: number; team: number }>> = {
  'microsoft-browsers.jsonl': { cause: 0.85, team: 0.85 },
  'libraries.jsonl': { cause: 0.85, team: 0.85 },
  'databases-middleware.jsonl': { cause: 0.85, team: 0.85 },
  'languages.jsonl': { cause: 0.85, team: 0.85 },
  'infra-tools.jsonl': { cause: 0.85, team: 0.85 },
  // Mined after the rules above were written; part of this one was never read before it was scored.
  'fresh-programs.jsonl': { cause: 0.78, team: 0.78 },
  'fresh-stacks.jsonl': { cause: 0.85, team: 0.88 },
  // The third round (README: first score unread, then learnt from).
  'tool-transcripts.jsonl': { cause: 0.88, team: 0.9 },
  'server-logs.jsonl': { cause: 0.87, team: 0.88 },
  'enterprise-suites.jsonl': { cause: 0.87, team: 0.88 },
  'dev-cloud-tools.jsonl': { cause: 0.9, team: 0.9 },
  // The fourth round, themed on where the rules were thinnest.
  'mobile-iot.jsonl': { cause: 0.85, team: 0.87 },
  'windows-localized.jsonl': { cause: 0.88, team: 0.88 },
  'ibm-mainframe.jsonl': { cause: 0.84, team: 0.85 },
  'mail-ftp-vpn.jsonl': { cause: 0.8, team: 0.82 },
  // The fifth round, the mainstream again (its first score is the better estimate for pastes in general).
  'kubernetes-cloud-native.jsonl': { cause: 0.92, team: 0.88 },
  'http-client-libraries.jsonl': { cause: 0.9, team: 0.9 },
  'database-broker-clients.jsonl': { cause: 0.87, team: 0.87 },
  'proxies-gateways.jsonl': { cause: 0.86, team: 0.86 },
  // The sixth round: browsers and CI, debug-level dumps, less common runtimes.
  'browsers-desktop-ci.jsonl': { cause: 0.9, team: 0.9 },
  'debug-dumps.jsonl': { cause: 0.74, team: 0.74 },
  'other-runtimes.jsonl': { cause: 0.84, team: 0.84 },
  // The seventh round: an unthemed sample taken in result order from generic queries.
  'sample-issues.jsonl': { cause: 0.85, team: 0.85 },
  'sample-pages.jsonl': { cause: 0.9, team: 0.9 },
  'sample-issues-2.jsonl': { cause: 0.86, team: 0.86 },
  'sample-logs.jsonl': { cause: 0.86, team: 0.88 },
  'sample-issues-3.jsonl': { cause: 0.88, team: 0.88 },
  'sample-incidents.jsonl': { cause: 0.87, team: 0.87 },
  'sample-everyday.jsonl': { cause: 0.8, team: 0.8 },
  'sample-by-era.jsonl': { cause: 0.86, team: 0.85 },
  'sample-error-strings.jsonl': { cause: 0.88, team: 0.88 },
  'sample-server-side.jsonl': { cause: 0.83, team: 0.86 },
  'sample-late.jsonl': { cause: 0.85, team: 0.85 },
};

function rate(rs: readonly ScoredRecord[], key: 'causeOk' | 'teamOk'): number {
  return rs.filter((r) => r[key]).length / rs.length;
}

describe('public corpus of real pastes', () => {
  it('holds at least 250 texts from at least 30 programs, each with its URL and a known cause', () => {
    expect(records.length).toBeGreaterThanOrEqual(250);
    expect(new Set(records.map((r) => r.program)).size).toBeGreaterThanOrEqual(30);
    for (const r of records) expect(r.url, `${r.file}:${r.index}`).toMatch(/^https?:\/\//);
  });

  it.each(FILES)('%s: cause and team accuracy stay above their floors', (file) => {
    const rs = scored.filter((r) => r.record.file === file);
    const floor = FLOORS[file] ?? { cause: 0.85, team: 0.85 };
    const cause = rate(rs, 'causeOk');
    const team = rate(rs, 'teamOk');
    console.log(`${file}: n=${rs.length} cause ${(100 * cause).toFixed(1)}% team ${(100 * team).toFixed(1)}%`);
    expect(cause).toBeGreaterThanOrEqual(floor.cause);
    expect(team).toBeGreaterThanOrEqual(floor.team);
  });

  it('the fifth first kept aside while rules were written stays close to the rest', () => {
    // A large gap would mean rules fitted to the wording of the texts they were written from.
    const held = scored.filter((r) => isValidation(r.record));
    expect(held.length).toBeGreaterThan(100);
    expect(rate(held, 'causeOk')).toBeGreaterThanOrEqual(0.78);
  });

  it('names a team the text cannot support on only a handful of texts', () => {
    // A confident wrong answer: a specific cause whose team no reading of the text supports. Held as
    // a rate since the corpus grows: at most 1 in 200 texts (10 of the first 1,090 was the old bound).
    const wrong = scored.filter((r) => r.confidentWrong).map((r) => `${r.record.file}:${r.record.index} ${r.got.cause}`);
    expect(wrong.length / records.length, wrong.join("\n")).toBeLessThanOrEqual(0.005);
  });

  it('answers noise (ordinary errors, HTTP 5xx, application traces) with no TLS cause on nearly all of it', () => {
    const noise = scored.filter((r) => r.record.cause === 'unknown');
    expect(noise.length).toBeGreaterThanOrEqual(50);
    const wrong = noise.filter((r) => r.got.cause !== 'unknown');
    expect(wrong.length / noise.length, wrong.map((r) => `${r.record.file}:${r.record.index}`).join(' ')).toBeLessThanOrEqual(0.12);
  });
});
