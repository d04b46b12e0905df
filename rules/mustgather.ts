import { z } from 'zod';
import catalog from './catalog/mustgather.json' with { type: 'json' };
import { compilePattern, RuleFileError } from './engine/load.js';
import type { Diagnosis, Endpoint } from './types.js';
import { CAUSES, CAUSE_IDS, type CauseId } from './vocabulary.js';

/** Which incidents an item belongs to: DataPower ones, the others, or every one. */
export const CHECKLIST_SCOPES = ['datapower', 'other', 'any'] as const;
export type ChecklistScope = (typeof CHECKLIST_SCOPES)[number];

// The evidence checklist of an incident as data (catalog/mustgather.json): IBM's MustGather for SSL
// handshake failures when DataPower is involved, the equivalent items for other stacks (a
// -Djavax.net.debug log for Java, s_client -showcerts output, the server's error log, the chain
// file). Each item says how to collect it, which text or file kind shows a thread already holds it,
// and, per cause, which missing item would most likely change the diagnosis (asked for first).

/** Binary upload kinds the bot can recognise by their bytes (bot/file-kind.ts). */
export const FILE_KINDS = ['pcap', 'pcapng', 'der-certificate', 'datapower-export', 'private-key'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const itemSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'ids are lower-case words joined by dashes'),
    title: z.string().min(1).max(200),
    scope: z.enum(CHECKLIST_SCOPES),
    /** Only for incidents whose evidence one of these stacks wrote (a signature's source, e.g. java). */
    stacks: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/)).min(1).optional(),
    how: z.array(z.string().min(1).max(400)).min(1),
    /** How to collect a scope "any" item on DataPower, when that is the incident's product. */
    datapowerHow: z.array(z.string().min(1).max(400)).min(1).optional(),
    patterns: z.array(z.string().min(1).max(300)).default([]),
    fileKinds: z.array(z.enum(FILE_KINDS)).default([]),
    fromProbe: z.boolean().default(false),
    fromCausalLines: z.boolean().default(false),
    /** Holding this item shows DataPower is involved (its debug log, export, firmware version). */
    marksDataPower: z.boolean().default(false),
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
  readonly scope: ChecklistScope;
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
  /** Items a diagnosis of log lines stands in for (a failure diagnosed from real error lines of that stack). */
  fromDiagnosis(diagnosis: Diagnosis): string[];
  /**
   * The items that fit the incident's stacks, held or not, in the order that matters for this
   * cause; `<host>` and `<port>` in the instructions filled from the endpoint when the evidence names one.
   */
  checklist(held: ReadonlySet<string>, diagnosis: Pick<Diagnosis, 'cause' | 'context' | 'stacks' | 'endpoint'>): ChecklistEntry[];
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
  const byFlag = (flag: 'fromProbe' | 'fromCausalLines'): string[] => spec.items.filter((i) => i[flag]).map((i) => i.id);
  const datapowerItems = new Set(spec.items.filter((i) => i.marksDataPower).map((i) => i.id));
  const fits = (item: (typeof spec.items)[number], stacks: Stacks): boolean => {
    if (item.scope === 'datapower' && !stacks.datapower) return false;
    if (item.scope === 'other' && !stacks.other) return false;
    return !item.stacks || item.stacks.some((s) => stacks.named.has(s));
  };

  return {
    items: spec.items.map(({ id, title, how, scope }) => ({ id, title, how, scope })),
    fromText: (text) => detectors.filter((d) => d.regexes.some((r) => r.test(text))).map((d) => d.item.id),
    fromFile: (kind) => spec.items.filter((i) => i.fileKinds.includes(kind)).map((i) => i.id),
    fromProbe: () => byFlag('fromProbe'),
    fromDiagnosis(d) {
      if (CAUSES[d.cause].kind !== 'failure' || d.evidence.length === 0) return [];
      const stacks = stacksOf(d, new Set(), datapowerItems);
      return spec.items.filter((i) => i.fromCausalLines && fits(i, stacks)).map((i) => i.id);
    },
    checklist(held, diagnosis) {
      const ranked = order.get(diagnosis.cause) ?? [];
      const rank = (id: string): number => (ranked.includes(id) ? ranked.indexOf(id) : ranked.length);
      const stacks = stacksOf(diagnosis, held, datapowerItems);
      const fill = filler(diagnosis.endpoint);
      return spec.items
        .filter((item) => fits(item, stacks))
        .sort((a, b) => rank(a.id) - rank(b.id))
        .map((item) => {
          const how = stacks.datapower && item.datapowerHow ? item.datapowerHow : item.how;
          return { id: item.id, title: item.title, scope: item.scope, how: how.map(fill), held: held.has(item.id) };
        });
    },
  };
}

interface Stacks {
  readonly datapower: boolean;
  readonly other: boolean;
  readonly named: ReadonlySet<string>;
}

// What the evidence says about the products involved. Not TLS stacks: tls-triage's own evidence kinds.
const OWN_SOURCES = new Set(['probe', 'certificate', 'capture', 'datapower-export']);

/**
 * DataPower is involved when its lines, its export or an item only DataPower gives are in the incident;
 * another stack when another product wrote the evidence. With nothing to tell (no evidence yet, an
 * unknown paste, only a probe or certificates) both lists are shown, without stack-only items.
 */
function stacksOf(d: Pick<Diagnosis, 'context' | 'stacks'>, held: ReadonlySet<string>, datapowerItems: ReadonlySet<string>): Stacks {
  const named = new Set([...(d.stacks ?? []), ...(d.context?.source ? [d.context.source] : [])]);
  const datapower = named.has('datapower') || named.has('datapower-export') || [...held].some((id) => datapowerItems.has(id));
  const products = [...named].filter((s) => !OWN_SOURCES.has(s));
  const other = products.some((s) => s !== 'datapower');
  if (!datapower && !other) return { datapower: !named.has('probe'), other: true, named };
  return { datapower, other, named };
}

/** Fills `<host>:<port>`, `<host>` and `<port>` in an instruction when the endpoint is known. */
function filler(endpoint: Endpoint | undefined): (text: string) => string {
  if (!endpoint) return (text) => text;
  const host = endpoint.host;
  const hostPort = host.includes(':') ? `[${host}]:${endpoint.port}` : `${host}:${endpoint.port}`;
  return (text) => text.replaceAll('<host>:<port>', hostPort).replaceAll('<host>', host).replaceAll('<port>', String(endpoint.port));
}
