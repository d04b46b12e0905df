import type { Activity, Attachment as BfAttachment } from 'botbuilder';
import type { Message } from '../../bot/types.js';

// A Teams message activity -> the neutral Message. Teams marks mentions as `<at>Name</at>` in the
// text plus a `mention` entity; the bot's own mention is removed (so `@tls-triage probe h:443`
// parses as a probe) and others become `@Name`. In a channel the conversation id carries the
// reply chain (`19:...@thread.tacv2;messageid=<root>`): that full id is the incident thread, the
// part before `;messageid=` the channel.

/** A file the message carries, to be downloaded before the bot sees it. */
export interface FileRef {
  readonly name: string;
  readonly url: string;
  /** Teams' file-consent downloads are pre-authorised URLs; other attachment URLs may want the bot's token. */
  readonly preauthorised: boolean;
}

export interface Incoming {
  /** Everything but the files' bytes. */
  readonly message: Message;
  readonly files: readonly FileRef[];
  readonly tenant?: string;
  /** Where replies go: the reply chain's conversation id. */
  readonly replyConversationId: string;
}

const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const MESSAGEID = ';messageid=';

interface MentionEntity {
  readonly type: string;
  readonly text?: string;
  readonly mentioned?: { readonly id?: string; readonly name?: string };
}

export function tenantOf(activity: Activity): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return activity.conversation?.tenantId ?? (typeof fromChannelData === 'string' ? fromChannelData : undefined);
}

export function toMessage(activity: Activity): Incoming | undefined {
  const conversationId = activity.conversation?.id;
  if (!conversationId || !activity.from?.id) return undefined;
  const type = activity.conversation.conversationType;
  const botId = activity.recipient?.id;
  const submitted = submittedAction(activity.value);
  const { text, mentioned } = submitted ? { text: submitted.text, mentioned: true } : cleanText(activity, botId);
  const channel = conversationId.includes(MESSAGEID) ? conversationId.slice(0, conversationId.indexOf(MESSAGEID)) : conversationId;
  // A channel post always belongs to a reply chain; Teams names it by the root message id.
  const thread = type === 'channel' && !conversationId.includes(MESSAGEID) && activity.id ? `${conversationId}${MESSAGEID}${activity.id}` : conversationId;
  const fromBot = activity.from.role === 'bot' || activity.from.id.startsWith('28:');
  const message: Message = {
    platform: 'teams',
    channel,
    thread,
    user: activity.from.aadObjectId ?? activity.from.id,
    text,
    // One-to-one is always spoken to the bot; a conversation without a type that is not a group
    // is one too (the Bot Framework Emulator's, for local development).
    addressed: mentioned || type === 'personal' || (!type && activity.conversation.isGroup !== true),
    ...(fromBot ? { fromBot: true } : {}),
    ...(activity.id ? { eventId: `teams:${conversationId}:${activity.id}` } : {}),
    ...(submitted?.cause ? { clickedCause: submitted.cause } : {}),
  };
  const tenant = tenantOf(activity);
  return { message, files: fileRefs(activity.attachments ?? []), replyConversationId: thread, ...(tenant ? { tenant } : {}) };
}

/**
 * An Action.Submit button of one of the bot's cards (render-diagnosis.ts SubmitData) arrives as a
 * message whose `value` is the button's data: it means what the same person could have typed in
 * the thread (`probe host:port`, `feedback wrong`).
 */
function submittedAction(value: unknown): { text: string; cause?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const data = value as { tlsTriage?: unknown; verdict?: unknown; cause?: unknown; target?: unknown };
  if (data.tlsTriage === 'feedback' && (data.verdict === 'right' || data.verdict === 'wrong')) {
    return { text: `feedback ${data.verdict}`, ...(typeof data.cause === 'string' ? { cause: data.cause.slice(0, 100) } : {}) };
  }
  if (data.tlsTriage === 'probe' && typeof data.target === 'string' && /^\S{1,300}$/.test(data.target)) return { text: `probe ${data.target}` };
  return undefined;
}

function cleanText(activity: Activity, botId: string | undefined): { text: string; mentioned: boolean } {
  let text = activity.text ?? '';
  if (text.trim().length === 0) text = htmlBody(activity.attachments ?? []);
  let mentioned = false;
  for (const entity of (activity.entities ?? []) as MentionEntity[]) {
    if (entity.type !== 'mention' || !botId || entity.mentioned?.id !== botId) continue;
    mentioned = true;
    const markup = entity.text ?? (entity.mentioned.name ? `<at>${entity.mentioned.name}</at>` : undefined);
    if (markup) text = text.split(markup).join(' ');
  }
  text = text.replace(/<at>([^<]*)<\/at>/g, '@$1').replace(/&nbsp;|\u00a0/g, ' ');
  // Only the ends: inner line breaks and indentation are part of a pasted log. trimEnd, not
  // /\s+$/: the regular expression retries from every space of a long run (quadratic).
  return { text: text.replace(/^[ \t]+/, '').trimEnd(), mentioned };
}

/** Rich messages can arrive with empty text and the content only as a text/html attachment. */
function htmlBody(attachments: readonly BfAttachment[]): string {
  const html = attachments.find((a) => a.contentType === 'text/html' && typeof a.content === 'string')?.content as string | undefined;
  if (!html) return '';
  return stripTags(html.replace(/<br\s*\/?>|<\/(p|div|pre|li)>/gi, '\n'))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Removes HTML tags but Teams' <at> mention markup, in one pass: a tag runs from "<" to the next
 * ">". (The regular expression /<[^>]+>/ rescans to the end of the text from every "<" that has
 * no ">" after it: 80 KB of "<" blocked the event loop for seconds.) Each character is looked
 * at a bounded number of times.
 */
export function stripTags(html: string): string {
  let out = '';
  let from = 0;
  for (let open = html.indexOf('<'); open !== -1; open = html.indexOf('<', from)) {
    const close = html.indexOf('>', open + 1);
    // No ">" after this "<": none after any later one either; the rest is text.
    if (close === -1) break;
    if (close === open + 1 || html.startsWith('at>', open + 1) || html.startsWith('/at>', open + 1)) {
      // "<>" is no tag, and mentions stay for cleanText; go on after this "<".
      out += html.slice(from, open + 1);
      from = open + 1;
      continue;
    }
    out += html.slice(from, open);
    from = close + 1;
  }
  return out + html.slice(from);
}

export function fileRefs(attachments: readonly BfAttachment[]): FileRef[] {
  const refs: FileRef[] = [];
  for (const a of attachments) {
    const content = a.content as { downloadUrl?: unknown } | undefined;
    if (a.contentType === FILE_DOWNLOAD_INFO && typeof content?.downloadUrl === 'string') {
      refs.push({ name: a.name ?? 'attachment', url: content.downloadUrl, preauthorised: true });
    } else if (a.contentUrl && a.contentType !== 'text/html' && !a.contentType.startsWith('application/vnd.microsoft.card.')) {
      refs.push({ name: a.name ?? 'attachment', url: a.contentUrl, preauthorised: false });
    }
  }
  return refs;
}
