// Which messages of the stacks' own catalogues (mined from their sources) the rules read wrongly or
// not at all, each message alone: npx tsx scripts/corpus/catalogue-gaps.ts DIR [--all]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDiagnoser } from '../../rules/index.js';

interface Entry { text: string; code?: string | null; side: string; cause: string; team: string; alsoAcceptable?: { cause: string }[]; other_reading?: { cause: string }; primary_side?: string }
const dir = process.argv[2] ?? '/work/corpus/catalogues';
const d = createDiagnoser();
const GENERIC = new Set(['handshake-aborted', 'protocol-mismatch']);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
  let n = 0, ok = 0, silent = 0;
  const gaps: string[] = [];
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as Entry;
    if (['local-config', 'internal', 'not-a-failure', 'unknown'].includes(e.cause)) continue;
    const text = [e.code, e.text].filter(Boolean).join(' ');
    const got = await d.diagnoseText(e.text);
    const accept = new Set([e.cause, ...(e.alsoAcceptable ?? []).map((a) => a.cause), e.other_reading?.cause].filter(Boolean));
    n += 1;
    if (accept.has(got.cause) || (GENERIC.has(got.cause) && (got.alternatives ?? []).some((a) => accept.has(a.cause)))) ok += 1;
    else {
      if (got.cause === 'unknown') {
        silent += 1;
        if (process.argv.includes('--json')) console.log(JSON.stringify({ stack: file.replace('.jsonl', ''), ...e }));
      }
      gaps.push(`  ${got.cause.padEnd(22)} want ${e.cause.padEnd(22)} ${e.side.padEnd(6)} ${text.slice(0, 130)}`);
    }
  }
  if (!process.argv.includes('--json')) console.log(`${file}: ${ok}/${n} read right, ${silent} unknown`);
  if (process.argv.includes('--all')) console.log(gaps.join('\n'));
}
