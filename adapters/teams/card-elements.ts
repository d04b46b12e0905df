import type { MentionEntity } from './mention.js';

// Adaptive Card 1.5 building blocks. Text that comes from logs, users or rules goes into
// RichTextBlock TextRuns, which Teams never reads as Markdown: a log line such as
// `ssl3_get_record:wrong_version_number` must not turn into italics. TextBlock (Markdown) is used
// only where a mention needs it.

export type CardElement = { readonly type: string } & Readonly<Record<string, unknown>>;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: '1.5';
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardElement[];
  readonly fallbackText?: string;
  readonly msteams?: { readonly width?: 'Full'; readonly entities?: readonly MentionEntity[] };
}

/** How much of each list and line a card shows; smaller budgets keep a card under Teams' size limit. */
export interface Budget {
  /** Items per list (evidence lines, other causes, timeline entries...). */
  readonly items: number;
  /** Characters per text item. */
  readonly chars: number;
}

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

interface RunStyle {
  readonly weight?: 'Bolder';
  readonly size?: 'Small' | 'Medium' | 'Large';
  readonly color?: 'Attention' | 'Warning' | 'Good' | 'Accent';
  readonly isSubtle?: boolean;
  readonly fontType?: 'Monospace';
}

export function run(text: string, style: RunStyle = {}): CardElement {
  return { type: 'TextRun', text, ...style };
}

/** One paragraph of literal text (no Markdown), built from runs or a single string. */
export function para(content: string | readonly CardElement[], style: RunStyle = {}, spacing?: 'None' | 'Small' | 'Medium'): CardElement {
  const inlines = typeof content === 'string' ? [run(content, style)] : content;
  return { type: 'RichTextBlock', inlines, ...(spacing ? { spacing } : {}) };
}

export function heading(text: string, size: 'Medium' | 'Large' = 'Medium'): CardElement {
  return para(text, { weight: 'Bolder', size }, 'Medium');
}

export function section(title: string, items: readonly CardElement[]): CardElement[] {
  return items.length === 0 ? [] : [para(title, { weight: 'Bolder' }, 'Medium'), ...items];
}

export function mono(text: string): CardElement {
  return para(text, { fontType: 'Monospace', size: 'Small' }, 'None');
}

export function box(style: 'attention' | 'warning' | 'accent' | 'good' | 'emphasis', items: readonly CardElement[]): CardElement {
  return { type: 'Container', style, bleed: true, items };
}

/** A Markdown TextBlock; callers pass only text they control (mention markup, fixed words). */
export function markdown(text: string): CardElement {
  return { type: 'TextBlock', text, wrap: true };
}

export function footer(text: string): CardElement {
  return { type: 'RichTextBlock', separator: true, spacing: 'Medium', inlines: [run(text, { fontType: 'Monospace', size: 'Small', isSubtle: true })] };
}

export function facts(pairs: readonly (readonly [string, string])[]): CardElement {
  return { type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) };
}

export function clip(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars)}… [${text.length - chars} more characters not shown]` : text;
}

/** The first `budget.items` of a list, then a note saying how many were left out. */
export function limited<T>(items: readonly T[], budget: Budget, show: (item: T, index: number) => CardElement, what: string): CardElement[] {
  const shown = items.slice(0, budget.items).map(show);
  const rest = items.length - shown.length;
  if (rest > 0) shown.push(para(`… and ${rest} more ${what} not shown here (Teams card size limit; the CLI shows everything).`, { isSubtle: true, size: 'Small' }, 'Small'));
  return shown;
}

export function card(body: readonly CardElement[], options: { fallbackText: string; actions?: readonly CardElement[]; entities?: readonly MentionEntity[] }): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body,
    ...(options.actions && options.actions.length > 0 ? { actions: options.actions } : {}),
    fallbackText: options.fallbackText,
    msteams: { width: 'Full', ...(options.entities && options.entities.length > 0 ? { entities: options.entities } : {}) },
  };
}
