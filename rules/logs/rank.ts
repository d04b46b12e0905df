import type { ConnectionGroup } from './group.js';
import { CAUSES, type CauseId } from '../vocabulary.js';
import type { DiagnosisEventParams } from '../types.js';

// Which cause leads when the input holds several. Not the most frequent one: a health checker's
// hundred plain-HTTP probes must not hide the one partner whose handshake the thread is about. In order:
//  1. failures before the red herring, the red herring before success lines;
//  2. strong evidence before weak: a specific cause on connections that are not background noise
//     (health checkers, scanners: `background` signals in the catalog) before background noise and
//     before a generic "the handshake was aborted";
//  3. the connections the input is about: the earliest strong failing connection and every connection
//     that joins it (same connection key, client address, peer or object) before unrelated ones;
//  4. then the most frequent, the more specific rule, the earliest.

/** Causes that claim nothing specific: they never outrank a specific cause. */
const GENERIC: ReadonlySet<CauseId> = new Set(['handshake-aborted']);

export interface CauseTally {
  cause: CauseId;
  params: DiagnosisEventParams;
  priority: number;
  count: number;
  examples: ConnectionGroup[];
  /** Every connection of this cause is background noise. */
  background: boolean;
}

export function rankTallies(tallies: readonly CauseTally[]): CauseTally[] {
  const focus = focusOf(tallies);
  const joined = (t: CauseTally): number => (focus && t.examples.some((g) => joins(g, focus)) ? 0 : 1);
  return [...tallies].sort(
    (a, b) =>
      kindRank(a) - kindRank(b) ||
      weakness(a) - weakness(b) ||
      joined(a) - joined(b) ||
      b.count - a.count ||
      b.priority - a.priority ||
      firstLine(a) - firstLine(b),
  );
}

function kindRank(t: CauseTally): number {
  return { failure: 0, 'red-herring': 1, success: 2, none: 3 }[CAUSES[t.cause].kind];
}
function weakness(t: CauseTally): number {
  return t.background || GENERIC.has(t.cause) ? 1 : 0;
}
function firstLine(t: CauseTally): number {
  return Math.min(...t.examples.map((g) => g.firstLine));
}

/** The earliest connection of the strongest failures: what the input is about. */
function focusOf(tallies: readonly CauseTally[]): ConnectionGroup | undefined {
  const failing = tallies.filter((t) => CAUSES[t.cause].kind === 'failure');
  const strongest = Math.min(...failing.map(weakness));
  let focus: ConnectionGroup | undefined;
  for (const t of failing) {
    if (weakness(t) !== strongest) continue;
    for (const g of t.examples) if (!focus || g.firstLine < focus.firstLine) focus = g;
  }
  return focus;
}

function joins(group: ConnectionGroup, focus: ConnectionGroup): boolean {
  if (group === focus || group.key === focus.key) return true;
  const a = group.context;
  const b = focus.context;
  return same(hostPart(a.client), hostPart(b.client)) || same(a.server, b.server) || same(a.object, b.object);
}
function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && a === b;
}
/** A client address without its port: one client opens many connections. */
function hostPart(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const bracketed = /^\[([^\]]+)\]/.exec(address);
  if (bracketed) return bracketed[1];
  const colons = address.split(':').length - 1;
  return colons === 1 ? address.slice(0, address.indexOf(':')) : address;
}
