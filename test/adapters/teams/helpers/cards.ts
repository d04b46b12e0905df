import type { ConnectorCall } from './connector.js';

// Reading what the bot sent: the Adaptive Card of an activity and all of its visible text.

export interface SentCard {
  readonly type: string;
  readonly version: string;
  readonly body: unknown[];
  readonly fallbackText?: string;
  readonly msteams?: { entities?: { type: string; text: string; mentioned: { id: string; name: string; type?: string } }[] };
  readonly actions?: { type: string; url?: string }[];
}

export function cardOf(call: ConnectorCall | undefined): SentCard {
  const attachments = (call?.body.attachments ?? []) as { contentType: string; content: SentCard }[];
  const first = attachments[0];
  if (!first || first.contentType !== 'application/vnd.microsoft.card.adaptive') throw new Error(`no adaptive card in ${JSON.stringify(call?.body).slice(0, 200)}`);
  return first.content;
}

/** Every TextRun / TextBlock / fact text of the card, one per line, in order. */
export function cardText(card: SentCard): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (n.type === 'RichTextBlock') {
      out.push((n.inlines as { text: string }[]).map((i) => i.text).join(''));
      return;
    }
    if ((n.type === 'TextRun' || n.type === 'TextBlock') && typeof n.text === 'string') out.push(n.text);
    if (Array.isArray(n.facts)) for (const f of n.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    for (const key of ['body', 'items', 'inlines', 'columns']) if (key in n) walk(n[key]);
  };
  walk(card.body);
  return out.join('\n');
}

/** The footer line (last text of the card), e.g. "cause: protocol-too-old". */
export function footerOf(card: SentCard): string {
  return cardText(card).split('\n').at(-1) ?? '';
}
