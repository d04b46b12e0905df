import type { Route } from '../../bot/types.js';
import { CAUSES, type Diagnosis, type OtherCause } from '../../rules/index.js';

// "Who acts" as one sentence, the same in every adapter: the team, the configured people to mention,
// and the party the evidence names ("Who acts: the client team (@tls-clients), for the Java client
// that wrote this log."). Each adapter passes how it shows a mention and how it escapes text.

export const TEAM_WORDS: Record<string, string> = {
  client: 'client team',
  server: 'server team',
  security: 'security team',
  network: 'network team',
  both: 'client and server teams together',
  none: 'nobody (nothing to fix)',
};

/** How an adapter writes a configured mention and escapes free text. */
export interface Wording {
  mention(target: string): string;
  text(words: string): string;
}

export const PLAIN: Wording = { mention: (t) => t, text: (w) => w };

/** The acting team in words; nobody acts on the red herring alone. */
export function actingTeamWords(d: Pick<Diagnosis, 'team' | 'redHerringOnly'>): string {
  return d.redHerringOnly ? 'nobody yet: collect the SSL library error lines first' : (TEAM_WORDS[d.team] ?? d.team);
}

/** The sentence after "Who acts: ", ending with a full stop. */
export function whoActs(d: Pick<Diagnosis, 'team' | 'owner' | 'redHerringOnly'>, route: Route | undefined, wording: Wording = PLAIN): string {
  if (d.redHerringOnly) return wording.text('nobody yet: collect the SSL library error lines first.');
  if (d.team === 'none') return wording.text('nobody: there is nothing to fix.');
  const team = wording.text(`the ${TEAM_WORDS[d.team] ?? d.team}`);
  const targets = route?.targets ?? [];
  const mentioned = targets.length === 0 ? '' : ` (${targets.map((t) => wording.mention(t)).join(' and ')})`;
  const party = d.owner ? wording.text(`, for ${d.owner}`) : '';
  return `${team}${mentioned}${party}.`;
}

/** One other cause the input shows: "red herring only on 2 connections", never "red-herring-only (none) x1". */
export function describeOther(o: Pick<OtherCause, 'cause' | 'team' | 'count'>): string {
  const where = o.count > 1 ? ` on ${o.count} connections` : '';
  if (o.cause === 'red-herring-only') return `DataPower's red herring alone ("peer did not send a certificate")${where}: not a cause by itself`;
  const who = o.team === 'none' ? '' : `, ${TEAM_WORDS[o.team] ?? o.team} to act`;
  return `${o.cause} (${CAUSES[o.cause].summary}${who})${where}`;
}

/** "Could also be: X (server team), check: ...; Y (...)": the alternatives in one line. */
export function alternativesLine(d: Pick<Diagnosis, 'alternatives'>, limit = 2): string | undefined {
  const shown = (d.alternatives ?? []).slice(0, limit);
  if (shown.length === 0) return undefined;
  return `Could also be: ${shown.map((a) => `${a.cause} (${TEAM_WORDS[a.team] ?? a.team}), check: ${a.check}`).join('; or ')}`;
}
