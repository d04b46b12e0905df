// How often next steps name the endpoint a paste names (issue: runnable next steps):
//   npx tsx scripts/corpus/endpoints.ts [--misses]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDiagnoser } from '../../rules/index.js';
import { loadPublicCorpus, namesEndpoint, runnableSteps } from '../../test/helpers/public-corpus.js';

const dir = join(process.cwd(), 'test/fixtures/logs/public');
const records = loadPublicCorpus(readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f)));
const d = createDiagnoser();
let n = 0;
let ok = 0;
for (const r of records) {
  if (r.cause === 'unknown' || !namesEndpoint(r.text)) continue;
  const got = await d.diagnoseText(r.text);
  if (got.cause === 'unknown') continue;
  n += 1;
  if (runnableSteps(got)) ok += 1;
  else if (process.argv.includes('--misses')) console.log(`${r.file}:${r.index} ${JSON.stringify(got.endpoint)} ${got.nextSteps.find((s) => /<[a-z' ]+>|0\.0\.0\.0/.test(s)) ?? ''}\n  ${r.text.slice(0, 200).replace(/\n/g, ' | ')}`);
}
console.log(`pastes naming an endpoint: ${n}; next steps runnable as pasted: ${ok} (${((100 * ok) / n).toFixed(1)}%)`);
