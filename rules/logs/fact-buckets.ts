import { alertSideSignals } from './extract/alerts.js';
import { groupVantage, type ConnectionGroup } from './group.js';
import type { ScanRules } from './scan-rules.js';
import type { Vantage } from '../vocabulary.js';

// Where finished connections go: connections with identical facts share one bucket, and the rule
// engine runs once per bucket, not once per connection (a big log has thousands of connections
// that fail the same few ways).

/** Past this many distinct fact sets the input is pathological; further new ones are dropped. */
const MAX_BUCKETS = 10_000;
/** Connections kept per bucket as evidence. */
const EXAMPLES = 3;

/** The facts a rule sees: the vocabulary of rules/vocabulary.ts FACTS. */
export interface GroupFacts {
  signals: string[];
  vantage: Vantage;
  sources: string[];
  causalSignals: number;
}

/** Connections with identical facts share one bucket: the engine runs once per bucket. */
export interface FactBucket {
  readonly key: string;
  readonly facts: GroupFacts;
  count: number;
  /** The earliest connections seen with these facts (by first line), kept as evidence. */
  readonly examples: ConnectionGroup[];
}

export class FactBuckets {
  private readonly buckets = new Map<string, FactBucket>();
  // A group's facts are worked out once per vantage and composition (signals and sources in the
  // order the group met them, see group.ts), not sorted again for each connection.
  private readonly byComposition = new Map<Vantage, Map<string, { key: string; facts: GroupFacts }>>();
  private known = 0;

  constructor(private readonly rules: ScanRules) {}

  /** Counts a finished connection in its bucket. */
  fold(group: ConnectionGroup): void {
    const { key, facts } = this.keyed(group);
    const bucket = this.bucket(key, facts);
    if (!bucket) return;
    bucket.count += 1;
    keepEarliest(bucket.examples, group);
  }

  /** Adds a bucket of another scan (the later part of a split input). */
  merge(other: FactBucket): void {
    const bucket = this.bucket(other.key, other.facts);
    if (!bucket) return;
    bucket.count += other.count;
    for (const group of other.examples) keepEarliest(bucket.examples, group);
  }

  /** The facts a connection would be folded with. */
  factsOf(group: ConnectionGroup): GroupFacts {
    return this.keyed(group).facts;
  }

  /** The facts of the buckets so far. */
  facts(): GroupFacts[] {
    return [...this.buckets.values()].map((bucket) => bucket.facts);
  }

  /** First seen first, whatever order connections were folded in (two threads fold in another order). */
  ordered(): FactBucket[] {
    return [...this.buckets.values()].sort((a, b) => earliestLine(a) - earliestLine(b));
  }

  private keyed(group: ConnectionGroup): { key: string; facts: GroupFacts } {
    const vantage = groupVantage(group);
    let byVantage = this.byComposition.get(vantage);
    if (!byVantage) this.byComposition.set(vantage, (byVantage = new Map()));
    let known = byVantage.get(group.composition);
    if (!known) {
      const facts = toFacts(group, this.rules);
      known = { key: `${facts.vantage}|${facts.sources.join(',')}|${facts.signals.join(',')}`, facts };
      if (this.known < MAX_BUCKETS) {
        this.known += 1;
        byVantage.set(group.composition, known);
      }
    }
    return known;
  }

  /** The bucket for `key`, made if new; undefined past MAX_BUCKETS. */
  private bucket(key: string, facts: GroupFacts): FactBucket | undefined {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) return undefined;
      bucket = { key, facts, count: 0, examples: [] };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

export function toFacts(group: ConnectionGroup, rules: ScanRules): GroupFacts {
  const vantage = groupVantage(group);
  const causalSignals = [...group.signals].filter((s) => (rules.signalRoles.get(s) ?? 'cause') === 'cause').length;
  const signals = [...new Set([...group.signals, ...alertSideSignals(group.signals, vantage)])].sort();
  return { signals, vantage, sources: [...group.sources].sort(), causalSignals };
}

/** A connection whose every causal signal is background noise (a health checker, a scanner): it never takes over a diagnosis. */
export function isBackground(facts: GroupFacts, rules: Pick<ScanRules, 'signalRoles' | 'backgroundSignals' | 'genericSignals'>): boolean {
  let causal = 0;
  for (const signal of facts.signals) {
    if ((rules.signalRoles.get(signal) ?? 'cause') !== 'cause' || signal.startsWith('alert-from-') || rules.genericSignals.has(signal)) continue;
    if (!rules.backgroundSignals.has(signal)) return false;
    causal += 1;
  }
  return causal > 0;
}

function earliestLine(bucket: FactBucket): number {
  return Math.min(...bucket.examples.map((g) => g.firstLine));
}

/** Keeps a bucket's examples to the earliest connections, whatever order they were folded in. */
function keepEarliest(examples: ConnectionGroup[], group: ConnectionGroup): void {
  if (examples.length < EXAMPLES) {
    examples.push(group);
    return;
  }
  let latest = 0;
  for (let i = 1; i < examples.length; i++) {
    if ((examples[i] as ConnectionGroup).firstLine > (examples[latest] as ConnectionGroup).firstLine) latest = i;
  }
  if (group.firstLine < (examples[latest] as ConnectionGroup).firstLine) examples[latest] = group;
}
