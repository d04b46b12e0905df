import type { Vantage } from './vocabulary.js';
import type { LineContext, LineHit } from './types.js';

// A connection's evidence. Lines with a connection key (DataPower tid, nginx *N, Apache client
// address...) are grouped per connection; lines without one form a single group for the paste.

export const UNTAGGED = 'paste';
const MAX_LINES_PER_GROUP = 20;

export interface ConnectionGroup {
  readonly key: string;
  readonly signals: Set<string>;
  readonly sources: Set<string>;
  votes: { server: number; client: number; datapower?: 'server' | 'client' };
  context: LineContext;
  /** The first lines of the group (bounded): the evidence a reply can quote. */
  readonly lines: LineHit[];
  causal: boolean;
  firstLine: number;
}

export function newGroup(key: string, firstLine: number): ConnectionGroup {
  return { key, signals: new Set(), sources: new Set(), votes: { server: 0, client: 0 }, context: {}, lines: [], causal: false, firstLine };
}

const CONTEXT_KEYS = ['source', 'object', 'domain', 'server', 'client', 'host', 'x509'] as const;

export function addHit(group: ConnectionGroup, hit: LineHit): void {
  for (const signal of hit.signals) group.signals.add(signal);
  const context = hit.context;
  if (context.source) group.sources.add(context.source);
  if (context.vantage) {
    group.votes[context.vantage] += 1;
    if (context.source === 'datapower' && context.object) group.votes.datapower ??= context.vantage;
  }
  // Values are cut from the hit's own line (decoded on its own, see scan.ts), so keeping them pins
  // one line at most, never a whole chunk of a big log.
  for (const key of CONTEXT_KEYS) {
    const value = context[key];
    if (value && !group.context[key]) group.context[key] = value;
  }
  if (hit.causal) group.causal = true;
  if (group.lines.length < MAX_LINES_PER_GROUP) group.lines.push(hit);
}

export function groupVantage(group: ConnectionGroup): Vantage {
  if (group.votes.datapower) return group.votes.datapower;
  if (group.votes.server > group.votes.client) return 'server';
  if (group.votes.client > group.votes.server) return 'client';
  return 'unknown';
}
