// Scores another checkout's rules on a corpus file (before/after figures): npx tsx scripts/corpus/score-other.ts CHECKOUT FILE...
import { join } from 'node:path';
import { loadPublicCorpus, scoreCorpus } from '../../test/helpers/public-corpus.js';
const [checkout, ...files] = process.argv.slice(2);
const { createDiagnoser } = (await import(join(checkout as string, 'rules/index.ts'))) as typeof import('../../rules/index.js');
const scored = await scoreCorpus(createDiagnoser(), loadPublicCorpus(files));
const pct = (k: 'causeOk' | 'teamOk'): string => `${((100 * scored.filter((r) => r[k]).length) / scored.length).toFixed(1)}%`;
console.log(`${checkout}: n=${scored.length} cause ${pct('causeOk')} team ${pct('teamOk')} confident-wrong ${scored.filter((r) => r.confidentWrong).length} noise-as-TLS ${scored.filter((r) => r.record.cause === 'unknown' && r.got.cause !== 'unknown').length}`);
