import { codeSafe } from './markup.js';

// The few Block Kit blocks tls-triage uses, and Slack's limits on them. A message over a limit is
// refused by Slack outright (invalid_blocks, msg_blocks_too_long), so the renderer shortens first
// and says so in the message rather than losing the reply.

interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
}
export interface HeaderBlock {
  type: 'header';
  text: TextObject & { type: 'plain_text' };
}
export interface ContextBlock {
  type: 'context';
  elements: TextObject[];
}
export interface DividerBlock {
  type: 'divider';
}
export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: TextObject & { type: 'plain_text' };
  value?: string;
  style?: 'primary' | 'danger';
}
export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: ButtonElement[];
}
export type SlackBlock = SectionBlock | HeaderBlock | ContextBlock | DividerBlock | ActionsBlock;

/** What chat.postMessage, chat.update and response_url take. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  headerText: 150,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  messageText: 40_000,
  /**
   * Sum of all text in the blocks. Slack documents no such total, but refuses with
   * msg_blocks_too_long from about 12-13k characters (slackapi/bolt-js #2509, #2867); this keeps
   * well clear of it.
   */
  blockText: 8000,
} as const;

/** Cuts text to `max` characters, ending with a note that says how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = (rest: number): string => `\n… (shortened for Slack: ${rest} more characters)`;
  const keep = Math.max(0, max - cut(text.length).length);
  return `${text.slice(0, keep)}${cut(text.length - keep)}`;
}

export function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

export function fields(entries: readonly string[]): SectionBlock {
  return { type: 'section', fields: entries.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.fieldText) })) };
}

export function header(plain: string): HeaderBlock {
  const text = plain.length > LIMITS.headerText ? `${plain.slice(0, LIMITS.headerText - 1)}…` : plain;
  return { type: 'header', text: { type: 'plain_text', text, emoji: true } };
}

export function context(mrkdwn: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.contextText) }] };
}

export const divider: DividerBlock = { type: 'divider' };

/** A button; its label and value cut to Slack's limits (a longer one makes Slack refuse the message). */
export function button(actionId: string, label: string, value?: string, style?: ButtonElement['style']): ButtonElement {
  const text = label.length > LIMITS.buttonText ? `${label.slice(0, LIMITS.buttonText - 1)}…` : label;
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text, emoji: true },
    ...(value !== undefined ? { value: value.slice(0, LIMITS.buttonValue) } : {}),
    ...(style ? { style } : {}),
  };
}

export function actions(elements: readonly ButtonElement[]): ActionsBlock {
  return { type: 'actions', elements: elements.slice(0, 25) };
}

/**
 * Lines in ``` code sections, each section under the 3000-character limit. At most `maxLines`
 * lines of at most `maxLineChars` each; what is left out is counted under the last section.
 */
export function codeSections(lines: readonly string[], opts: { maxLines: number; maxLineChars: number; what: string }): SlackBlock[] {
  const shown = lines.slice(0, opts.maxLines).map((l) => codeSafe(l.length > opts.maxLineChars ? `${l.slice(0, opts.maxLineChars)}…` : l));
  const budget = LIMITS.sectionText - 8; // the two fences and their newlines
  const blocks: SlackBlock[] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const line of shown) {
    if (chunk.length > 0 && size + line.length + 1 > budget) {
      blocks.push(section(`\`\`\`${chunk.join('\n')}\`\`\``));
      chunk = [];
      size = 0;
    }
    chunk.push(line.slice(0, budget));
    size += line.length + 1;
  }
  if (chunk.length > 0) blocks.push(section(`\`\`\`${chunk.join('\n')}\`\`\``));
  const hidden = lines.length - shown.length;
  if (hidden > 0) blocks.push(context(`… and ${hidden} more ${opts.what} not shown here ('status' in the thread, or the CLI, lists them all).`));
  return blocks;
}

function blockText(block: SlackBlock): number {
  switch (block.type) {
    case 'section':
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    case 'header':
      return block.text.text.length;
    case 'context':
      return block.elements.reduce((n, e) => n + e.text.length, 0);
    case 'divider':
      return 0;
    case 'actions':
      return block.elements.reduce((n, e) => n + e.text.text.length + (e.value?.length ?? 0), 0);
  }
}

/**
 * Keeps the message inside Slack's block count and total-text limits: blocks are kept in order
 * until one would break a limit (a long section is cut to what fits), then a visible note says the
 * reply was shortened, and the footer (the cause id) always stays last.
 */
export function fitBlocks(body: readonly SlackBlock[], footer: readonly SlackBlock[]): SlackBlock[] {
  const reserve = 2 + footer.length; // the note and the footer
  const notice = context(":scissors: This reply was shortened to fit Slack's message limits; 'status' in the thread (or the CLI) shows everything.");
  const textBudget = LIMITS.blockText - blockText(notice) - footer.reduce((n, b) => n + blockText(b), 0);
  const kept: SlackBlock[] = [];
  let used = 0;
  let cut = false;
  for (const block of body) {
    const size = blockText(block);
    if (kept.length + reserve > LIMITS.blocks || used + size > textBudget) {
      const room = textBudget - used;
      if (block.type === 'section' && block.text && room > 300 && kept.length + reserve <= LIMITS.blocks) {
        kept.push(shortenSection(block.text.text, room));
      }
      cut = true;
      break;
    }
    kept.push(block);
    used += size;
  }
  return [...kept, ...(cut ? [notice] : []), ...footer];
}

function shortenSection(text: string, room: number): SectionBlock {
  // A cut inside a code block would leave the fence open and turn the rest into code.
  const fenced = text.startsWith('```') && text.endsWith('```');
  const inner = fenced ? text.slice(3, -3) : text;
  const short = truncate(inner, room - (fenced ? 6 : 0));
  return section(fenced ? `\`\`\`${short}\`\`\`` : short);
}

export function fitText(text: string): string {
  return truncate(text, LIMITS.messageText);
}
