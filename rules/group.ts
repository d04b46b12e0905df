import type { Vantage } from './vocabulary.js';
import type { LineContext, LineHit } from './types.js';
import { detach } from './detach.js';

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

export function addHit(group: ConnectionGroup, hit: LineHit): void {
  for (const signal of hit.signals) group.signals.add(signal);
  if (hit.context.source) group.sources.add(detach(hit.context.source));
  if (hit.context.vantage) {
    group.votes[hit.context.vantage] += 1;
    if (hit.context.source === 'datapower' && hit.context.object) group.votes.datapower ??= hit.context.vantage;
  }
  for (const [key, value] of Object.entries(hit.context) as [keyof LineContext, string][]) {
    if (key !== 'vantage' && key !== 'connection' && value && !group.context[key]) group.context[key] = detach(value);
  }
  if (hit.causal) group.causal = true;
  if (group.lines.length < MAX_LINES_PER_GROUP) group.lines.push({ ...hit, text: detach(hit.text) });
}

export function groupVantage(group: ConnectionGroup): Vantage {
  if (group.votes.datapower) return group.votes.datapower;
  if (group.votes.server > group.votes.client) return 'server';
  if (group.votes.client > group.votes.server) return 'client';
  return 'unknown';
}
