// A routing target (config `routing.*`) as Teams shows it. The same configuration may serve Slack
// too, so a target is a free string: a Teams mention is written the way Teams itself marks one,
// `<at id="AAD-object-id-or-UPN">Name</at>` for a person or `<at id="TAG-ID" type="tag">Name</at>`
// for a team tag; a Slack mention (`<!subteam^S123|@sre>`) shows its label; anything else is text.

export type TeamsTarget =
  | { readonly kind: 'mention'; readonly id: string; readonly name: string; readonly tag: boolean }
  | { readonly kind: 'text'; readonly text: string };

/** What Adaptive Cards need in `msteams.entities` for a `<at>Name</at>` in a TextBlock to notify. */
export interface MentionEntity {
  readonly type: 'mention';
  readonly text: string;
  readonly mentioned: { readonly id: string; readonly name: string; readonly type?: 'tag' };
}

const TEAMS_MENTION = /^<at\s+id="([^"]+)"(?:\s+type="(tag|person)")?\s*>([^<>]+)<\/at>$/i;
const SLACK_LABELLED = /^<[@#!][^|>]*\|([^>]+)>$/;

export function parseTarget(target: string): TeamsTarget {
  const trimmed = target.trim();
  const teams = TEAMS_MENTION.exec(trimmed);
  if (teams) return { kind: 'mention', id: teams[1] as string, name: (teams[3] as string).trim(), tag: teams[2]?.toLowerCase() === 'tag' };
  const slack = SLACK_LABELLED.exec(trimmed);
  if (slack) return { kind: 'text', text: (slack[1] as string).trim() };
  return { kind: 'text', text: trimmed };
}

export function mentionEntity(target: Extract<TeamsTarget, { kind: 'mention' }>): MentionEntity {
  return { type: 'mention', text: `<at>${target.name}</at>`, mentioned: { id: target.id, name: target.name, ...(target.tag ? { type: 'tag' as const } : {}) } };
}

/** The target as plain words (fallback text, logs of nothing secret). */
export function targetWords(target: string): string {
  const parsed = parseTarget(target);
  return parsed.kind === 'mention' ? `@${parsed.name}` : parsed.text;
}
