import { parseIntent } from '../../bot/intent.js';
import type { Message } from '../../bot/types.js';
import type { FileRef } from './files.js';
import { cleanSlackText, mentions, probeShorthand } from './markup.js';

// Slack events → the neutral Message. Which events are answered, and which are left to another
// event of the same message: a message mentioning the bot arrives both as `app_mention` and as
// `message`; only app_mention answers it (in channels; direct messages have no app_mention).

/** The fields of message and app_mention events this adapter reads. */
export interface SlackMessageEvent {
  readonly type: string;
  readonly subtype?: string;
  readonly channel: string;
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly files?: readonly FileRef[];
}

export interface SlashCommandPayload {
  readonly channel_id: string;
  readonly user_id: string;
  readonly text?: string;
  readonly response_url: string;
}

// Plain messages, uploads, "also send to channel" thread replies, and bots (filtered by the bot
// layer's allow list). Edits, deletions, joins and the like are not someone telling us something.
const ANSWERED_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'bot_message', 'me_message']);

export type Routing = { answer: true; addressed: boolean } | { answer: false; why: string };

export function routeEvent(event: SlackMessageEvent, botUserId: string): Routing {
  const isDm = event.channel_type === 'im' || event.channel.startsWith('D');
  if (event.type === 'app_mention') {
    return isDm ? { answer: false, why: 'direct message: answered from its message event' } : { answer: true, addressed: true };
  }
  if (!ANSWERED_SUBTYPES.has(event.subtype)) return { answer: false, why: `subtype ${event.subtype}` };
  if (!isDm && mentions(event.text, botUserId)) return { answer: false, why: 'mentions the bot: answered from its app_mention event' };
  return { answer: true, addressed: isDm };
}

export function toMessage(event: SlackMessageEvent, options: { botUserId: string; addressed: boolean; eventId?: string }): Omit<Message, 'files'> {
  const fromBot = event.subtype === 'bot_message' || Boolean(event.bot_id);
  const cleaned = cleanSlackText(event.text ?? '', options.botUserId);
  // A bare "@tls-triage" asks what the bot does; with an upload it only points at the file.
  const said = cleaned.length === 0 && !event.files?.length ? 'help' : spoken(event.text ?? '', cleaned, options.botUserId);
  return {
    platform: 'slack',
    channel: event.channel,
    // A top-level message starts a thread under itself; a reply belongs to its thread.
    thread: event.thread_ts ?? event.ts,
    // Bots are named by bot id (B…), the id chat.allowBots lists.
    user: fromBot ? (event.bot_id ?? event.user ?? 'unknown-bot') : (event.user ?? 'unknown'),
    text: options.addressed ? said : cleaned,
    addressed: options.addressed,
    ...(fromBot ? { fromBot: true } : {}),
    ...(options.eventId ? { eventId: options.eventId } : {}),
  };
}

/** `/tls <text>`: no thread (Slack gives commands none), always addressed; bare `/tls` is help. */
export function commandMessage(command: SlashCommandPayload): Message {
  return { platform: 'slack', channel: command.channel_id, user: command.user_id, text: commandText(command.text), addressed: true };
}

/** What a `/tls` command asks, as the bot reads it. */
export function commandText(raw: unknown): string {
  const wire = typeof raw === 'string' ? raw : '';
  const text = spoken(wire, cleanSlackText(wire));
  return text.length > 0 ? text : 'help';
}

/** Text said to the bot: a probe request reads its link's target (the URL), anything else the labels. */
function spoken(wire: string, cleaned: string, botUserId?: string): string {
  const asProbe = probeShorthand(cleanSlackText(wire, botUserId, 'target'));
  return parseIntent(asProbe).kind === 'probe' ? asProbe : probeShorthand(cleaned);
}

/** The probe target when the text asks for a probe (for the "probing ..." acknowledgement). */
export function probeTarget(text: string): string | undefined {
  const match = /^probe\s+(\S+)$/i.exec(text.trim());
  return match?.[1];
}

/** The fields of a block_actions payload (a button click) this adapter reads. */
export interface SlackActionPayload {
  readonly user?: { readonly id?: string };
  readonly channel?: { readonly id?: string };
  readonly container?: { readonly channel_id?: string; readonly message_ts?: string; readonly thread_ts?: string };
  readonly message?: { readonly ts?: string; readonly thread_ts?: string };
  readonly actions?: readonly { readonly action_id?: string; readonly value?: string }[];
}

/**
 * A button under one of the bot's replies, as what the same person could have typed in its thread:
 * Details is `details`, Probe is `probe host:port` (same policy, limits and audit as /tls probe),
 * Right / Wrong cause is `feedback right|wrong` about the cause that reply showed.
 */
export function actionMessage(body: SlackActionPayload): Message | undefined {
  const action = body.actions?.[0];
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  const user = body.user?.id;
  if (!action?.action_id || !channel || !ts || !user) return undefined;
  const value = action.value ?? '';
  const said: Record<string, string | undefined> = {
    details: 'details',
    probe: /^\S{1,300}$/.test(value) ? `probe ${value}` : undefined,
    'feedback-right': 'feedback right',
    'feedback-wrong': 'feedback wrong',
  };
  const text = said[action.action_id];
  if (!text) return undefined;
  return {
    platform: 'slack',
    channel,
    // The reply the button is on lives in the incident's thread (or starts one under itself).
    thread: body.message?.thread_ts ?? body.container?.thread_ts ?? ts,
    user,
    text,
    addressed: true,
    ...(action.action_id.startsWith('feedback') && value ? { clickedCause: value } : {}),
  };
}
