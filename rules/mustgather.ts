import { z } from 'zod';
import catalog from './catalog/mustgather.json' with { type: 'json' };
import { compilePattern, RuleFileError } from './engine/load.js';
import type { Diagnosis } from './types.js';
import { CAUSES, CAUSE_IDS, type CauseId } from './vocabulary.js';

// IBM's MustGather for SSL handshake failures as data: what each item is, how to collect it, which
// text or file kind shows a thread already holds it, and, per cause, which missing item would most
// likely change the diagnosis (asked for first).

/** Binary upload kinds the bot can recognise by their bytes (bot/file-kind.ts). */
export const FILE_KINDS = ['pcap', 'pcapng', 'der-certificate', 'datapower-export', 'private-key'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const itemSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'ids are lower-case words joined by dashes'),
    title: z.string().min(1).max(200),
    datapowerOnly: z.boolean(),
    how: z.array(z.string().min(1).max(400)).min(1),
    patterns: z.array(z.string().min(1).max(300)).default([]),
    fileKinds: z.array(z.enum(FILE_KINDS)).default([]),
    fromProbe: z.boolean().default(false),
    fromCausalLines: z.boolean().default(false),
  })
  .strict();
const mustGatherSchema = z
  .object({
    description: z.string().optional(),
    items: z.array(itemSchema).min(1),
    askFirst: z.array(z.object({ causes: z.array(z.string()).min(1), ask: z.array(z.string()).min(1) }).strict()),
  })
  .strict();

export interface MustGatherItem {
  readonly id: string;
  readonly title: string;
  readonly how: readonly string[];
  readonly datapowerOnly: boolean;
}

export interface ChecklistEntry extends MustGatherItem {
  readonly held: boolean;
}

export interface MustGather {
  readonly items: readonly MustGatherItem[];
  /** Items a pasted or uploaded text shows. */
  fromText(text: string): string[];
  fromFile(kind: FileKind): string[];
  fromProbe(): string[];
  /** Items a diagnosis of log lines stands in for (a failure diagnosed from real error lines). */
  fromDiagnosis(diagnosis: Diagnosis): string[];
  /** Every item, held or not, in the order that matters for this cause. */
  checklist(held: ReadonlySet<string>, diagnosis: Pick<Diagnosis, 'cause' | 'context'>): ChecklistEntry[];
}

export function loadMustGather(json: unknown = catalog, name = 'builtin:mustgather.json'): MustGather {
  const parsed = mustGatherSchema.safeParse(json);
  if (!parsed.success) {
    throw new RuleFileError(parsed.error.issues.map((i) => `${name}: ${i.path.join('.') || '(top level)'}: ${i.message}`));
  }
  const spec = parsed.data;
  const problems: string[] = [];
  const ids = new Set(spec.items.map((i) => i.id));
  if (ids.size !== spec.items.length) problems.push(`${name}: items: duplicate item id`);
  const detectors = spec.items.map((item, i) => ({
    item,
    regexes: item.patterns.map((p, j) => compilePattern(p, `${name}: items[${i}].patterns[${j}]`, problems, 'im')).filter((r): r is RegExp => r !== undefined),
  }));
  const order = new Map<CauseId, string[]>();
  spec.askFirst.forEach((entry, i) => {
    for (const id of entry.ask) if (!ids.has(id)) problems.push(`${name}: askFirst[${i}].ask: unknown item "${id}"`);
    for (const cause of entry.causes) {
      if (!(CAUSE_IDS as string[]).includes(cause)) problems.push(`${name}: askFirst[${i}].causes: unknown cause id "${cause}"`);
      else if (order.has(cause as CauseId)) problems.push(`${name}: askFirst[${i}].causes: "${cause}" is listed twice`);
      else order.set(cause as CauseId, entry.ask);
    }
  });
  if (problems.length > 0) throw new RuleFileError(problems);
  const items: MustGatherItem[] = spec.items.map(({ id, title, how, datapowerOnly }) => ({ id, title, how, datapowerOnly }));
  const byFlag = (flag: 'fromProbe' | 'fromCausalLines'): string[] => spec.items.filter((i) => i[flag]).map((i) => i.id);

  return {
    items,
    fromText: (text) => detectors.filter((d) => d.regexes.some((r) => r.test(text))).map((d) => d.item.id),
    fromFile: (kind) => spec.items.filter((i) => i.fileKinds.includes(kind)).map((i) => i.id),
    fromProbe: () => byFlag('fromProbe'),
    fromDiagnosis: (d) => (CAUSES[d.cause].kind === 'failure' && d.evidence.length > 0 ? byFlag('fromCausalLines') : []),
    checklist(held, diagnosis) {
      const ranked = order.get(diagnosis.cause) ?? [];
      const rank = (id: string): number => (ranked.includes(id) ? ranked.indexOf(id) : ranked.length);
      // Domain export and firmware version mean nothing when the evidence names another product.
      const source = diagnosis.context?.source;
      const elsewhere = source !== undefined && source !== 'datapower';
      return items
        .filter((item) => !(elsewhere && item.datapowerOnly))
        .sort((a, b) => rank(a.id) - rank(b.id))
        .map((item) => ({ ...item, held: held.has(item.id) }));
    },
  };
}
