// Scores the diagnosis on the generated fixtures (test/fixtures/logs/manifest.json: real software run
// with one misconfiguration each, plus verbatim DataPower text), counting an accepted ambiguity as a
// miss: the figure the held-out generated corpus is judged by.
//   npx tsx scripts/corpus/score-fixtures.ts [--misses]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAUSES, createDiagnoser, type CauseId } from '../../rules/index.js';
import { loadLogFixtures } from '../../test/helpers/fixtures.js';

interface Entry { file: string; cause: CauseId; alsoAcceptable?: CauseId[] }
const GENERIC = new Set(['handshake-aborted', 'protocol-mismatch', 'unknown']);
const root = join(process.cwd(), 'test/fixtures/logs');
const entries = loadLogFixtures() as Entry[];
const diagnoser = createDiagnoser();
const rows: { file: string; want: string; got: string; causeOk: boolean; teamOk: boolean; calibrated: boolean; confidentWrong: boolean }[] = [];
for (const e of entries) {
  const d = await diagnoser.diagnoseText(readFileSync(join(root, e.file), 'utf8'));
  const causes = [e.cause, ...(e.alsoAcceptable ?? [])];
  const causeOk = causes.includes(d.cause);
  const teamOk = causes.some((c) => CAUSES[c].team === d.team);
  const calibrated = causeOk || (GENERIC.has(d.cause) && (d.alternatives ?? []).some((a) => causes.includes(a.cause)));
  rows.push({ file: e.file, want: e.cause, got: `${d.cause}/${d.team}`, causeOk, teamOk, calibrated, confidentWrong: !GENERIC.has(d.cause) && !causeOk && !teamOk });
}
const pct = (rs: typeof rows, k: 'causeOk' | 'teamOk' | 'calibrated'): string => `${((100 * rs.filter((r) => r[k]).length) / rs.length).toFixed(1)}%`;
const dp = rows.filter((r) => r.file.startsWith('datapower/'));
console.log(`fixtures n=${rows.length} cause ${pct(rows, 'causeOk')} team ${pct(rows, 'teamOk')} right-or-calibrated ${pct(rows, 'calibrated')} confident-wrong ${rows.filter((r) => r.confidentWrong).length}; datapower n=${dp.length} cause ${pct(dp, 'causeOk')} team ${pct(dp, 'teamOk')}`);
if (process.argv.includes('--misses')) for (const r of rows) if (!r.causeOk || !r.teamOk) console.log(`  ${r.confidentWrong ? 'CW ' : ''}${r.file}: want ${r.want} got ${r.got}`);
