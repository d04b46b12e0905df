// Scores the diagnosis on the mined public corpus (test/fixtures/logs/public/*.jsonl, or files given):
//   npx tsx scripts/corpus/score.ts [--misses] [FILE.jsonl ...]
// Prints cause / team accuracy per file and per stack, the confident wrong-team answers, and with
// --misses every miss. The test (test/rules/logs/public-corpus.test.ts) holds the floor.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDiagnoser } from '../../rules/index.js';
import { isValidation, loadPublicCorpus, scoreCorpus, type ScoredRecord } from '../../test/helpers/public-corpus.js';

const args = process.argv.slice(2);
const showMisses = args.includes('--misses');
const showAll = args.includes('--all');
let files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  const dir = join(process.cwd(), 'test/fixtures/logs/public');
  files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f));
}
// A fifth of the records (by a hash of URL and text) is kept aside while rules are written: its misses
// are never printed, so its figure says how rules written from the rest carry over to unseen text.
const split = args.find((a) => a.startsWith('--split='))?.slice(8) ?? 'all';
const records = loadPublicCorpus(files).filter((r) => split === 'all' || (split === 'val') === isValidation(r));
const scored = await scoreCorpus(createDiagnoser(), records);

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
function table(title: string, key: (r: ScoredRecord) => string): void {
  const groups = new Map<string, ScoredRecord[]>();
  for (const r of scored) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  console.log(`\n${title}`);
  for (const [k, rs] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${k.padEnd(28)} n=${String(rs.length).padStart(4)}  cause ${pct(rs.filter((r) => r.causeOk).length, rs.length).padStart(6)}  team ${pct(rs.filter((r) => r.teamOk).length, rs.length).padStart(6)}  confident-wrong ${rs.filter((r) => r.confidentWrong).length}`);
  }
}
table('per file', (r) => r.record.file);
table('per stack', (r) => r.record.stack);
const all = scored.length;
console.log(`\nall: n=${all} cause ${pct(scored.filter((r) => r.causeOk).length, all)} team ${pct(scored.filter((r) => r.teamOk).length, all)} confident-wrong ${scored.filter((r) => r.confidentWrong).length} noise-as-TLS ${scored.filter((r) => r.record.cause === 'unknown' && r.got.cause !== 'unknown').length}`);
for (const r of scored) {
  if (isValidation(r.record) && !args.includes('--show-val')) continue;
  if (r.confidentWrong || (showMisses && (!r.causeOk || !r.teamOk)) || showAll) {
    console.log(`\n${r.confidentWrong ? 'CONFIDENT-WRONG' : 'miss'} ${r.record.file}:${r.record.index} [${r.record.program}] want ${r.record.cause}/${r.record.team}${r.record.alsoAcceptable.length ? ` (or ${r.record.alsoAcceptable.map((a) => `${a.cause}/${a.team}`).join(', ')})` : ''} got ${r.got.cause}/${r.got.team} vantage ${r.got.vantage}`);
    console.log(`  ${r.record.text.split('\n').slice(0, 6).map((l) => l.slice(0, 220)).join('\n  ')}`);
  }
}
