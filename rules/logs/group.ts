import type { Vantage } from '../vocabulary.js';
import { fullContext, type LineContext, type LineHit } from '../types.js';

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
  readonly lines: GroupLine[];
  causal: boolean;
  firstLine: number;
  /**
   * The signals and sources in the order the group met them, as one string: what a fold looks its
   * facts up by (scan.ts), kept as they come in rather than rebuilt from the sets for each fold.
   */
  composition: string;
}

/** A line kept as evidence: only what a reply quotes, so the rest of the hit dies young. */
export interface GroupLine {
  readonly line: number;
  readonly text: string;
  readonly causal: boolean;
}

export function newGroup(key: string, firstLine: number): ConnectionGroup {
  return { key, signals: new Set(), sources: new Set(), votes: { server: 0, client: 0 }, context: fullContext(), lines: [], causal: false, firstLine, composition: '' };
}

// Called for every hit line of a big log: plain property reads, not a loop over key names (a keyed
// read over context objects of many shapes is several times slower).
export function addHit(group: ConnectionGroup, hit: LineHit): void {
  for (const signal of hit.signals) addSignal(group, signal);
  const context = hit.context;
  if (context.source) addSource(group, context.source);
  if (context.vantage === 'server') group.votes.server += 1;
  else if (context.vantage === 'client') group.votes.client += 1;
  if (context.vantage && context.source === 'datapower' && context.object) group.votes.datapower ??= context.vantage;
  // Values are cut from the hit's own line (decoded on its own, see scan.ts), so keeping them pins
  // one line at most, never a whole chunk of a big log.
  fillContext(group.context, context);
  if (hit.causal) group.causal = true;
  if (group.lines.length < MAX_LINES_PER_GROUP) group.lines.push({ line: hit.line, text: hit.text, causal: hit.causal });
}

function addSignal(group: ConnectionGroup, signal: string): void {
  if (group.signals.has(signal)) return;
  group.signals.add(signal);
  group.composition = extended(group.composition, '|', signal);
}
function addSource(group: ConnectionGroup, source: string): void {
  if (group.sources.has(source)) return;
  group.sources.add(source);
  group.composition = extended(group.composition, '#', source);
}

// Compositions are interned: every group that met the same signals and sources in the same order
// holds the same string, hashed once, so that folding thousands of connections at the end of a big
// log looks their facts up without building (and later collecting) a key string for each. Bounded:
// past the bound a composition is simply not shared.
const NEXT = new Map<string, Map<string, string>>();
const MAX_COMPOSITIONS = 10_000;
function extended(composition: string, kind: '|' | '#', item: string): string {
  const step = kind + item;
  let next = NEXT.get(composition);
  if (!next) {
    if (NEXT.size >= MAX_COMPOSITIONS) return composition + step;
    next = new Map();
    NEXT.set(composition, next);
  }
  let to = next.get(step);
  if (to === undefined) {
    to = composition + step;
    next.set(step, to);
  }
  return to;
}

/** Sets what `into` does not have yet from `from` (the first line to name a thing wins). */
function fillContext(into: LineContext, from: LineContext): void {
  if (from.source && !into.source) into.source = from.source;
  if (from.object && !into.object) into.object = from.object;
  if (from.domain && !into.domain) into.domain = from.domain;
  if (from.server && !into.server) into.server = from.server;
  if (from.client && !into.client) into.client = from.client;
  if (from.host && !into.host) into.host = from.host;
  if (from.x509 && !into.x509) into.x509 = from.x509;
}

export function groupVantage(group: ConnectionGroup): Vantage {
  if (group.votes.datapower) return group.votes.datapower;
  if (group.votes.server > group.votes.client) return 'server';
  if (group.votes.client > group.votes.server) return 'client';
  return 'unknown';
}

/** Adds a later stretch of the same connection (scanned apart, see scan.ts's join) to `group`. */
export function mergeGroup(group: ConnectionGroup, later: ConnectionGroup): void {
  for (const signal of later.signals) addSignal(group, signal);
  for (const source of later.sources) addSource(group, source);
  group.votes.server += later.votes.server;
  group.votes.client += later.votes.client;
  if (later.votes.datapower) group.votes.datapower ??= later.votes.datapower;
  fillContext(group.context, later.context);
  if (later.causal) group.causal = true;
  for (const hit of later.lines) if (group.lines.length < MAX_LINES_PER_GROUP) group.lines.push(hit);
  group.firstLine = Math.min(group.firstLine, later.firstLine);
}

/** Shifts a group's line numbers: a part of a split input counts its lines from 1. */
export function offsetLines(group: ConnectionGroup, offset: number): void {
  group.firstLine += offset;
  group.lines.forEach((hit, i) => (group.lines[i] = { ...hit, line: hit.line + offset }));
}
