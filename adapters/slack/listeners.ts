import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Bot } from '../../bot/index.js';
import type { Message, ReplyChannel } from '../../bot/types.js';
import { commandChannel, threadChannel } from './channel.js';
import { downloadFiles } from './files.js';
import { actionMessage, commandMessage, commandText, probeTarget, routeEvent, toMessage, type SlackActionPayload, type SlackMessageEvent, type SlashCommandPayload } from './map.js';
import { escapeMrkdwn } from './markup.js';

// Bolt listeners: Slack events, /tls and the buttons of a reply → Messages for the bot. Slack wants its answer within 3
// seconds and a diagnosis (or a probe) can take longer, so nothing here waits for the bot: the
// request is acknowledged first (by the HTTP receiver before Bolt runs at all, or by Bolt over the
// socket) and the work goes to `track`, which runs it detached.

export interface ListenerDeps {
  readonly bot: Bot;
  readonly botToken: string;
  readonly botUserId: string;
  readonly logger: Logger;
  readonly maxFileBytes: number;
  readonly trustedOrigins: readonly string[];
  /** Runs work after the acknowledgement; the adapter waits for it on stop. */
  readonly track: (work: () => Promise<void>) => void;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  const { logger } = deps;

  const onMessageEvent = (event: SlackMessageEvent, eventId: string | undefined): void => {
    const routing = routeEvent(event, deps.botUserId);
    if (!routing.answer) {
      logger.debug({ channel: event.channel, type: event.type, why: routing.why }, 'slack event not answered');
      return;
    }
    const message = toMessage(event, { botUserId: deps.botUserId, addressed: routing.addressed, ...(eventId ? { eventId } : {}) });
    const out = threadChannel(app.client, event.channel, message.thread, logger);
    deps.track(() => handleWithFiles(message, event, out, deps, app));
  };

  app.event('app_mention', async ({ event, body }) => {
    onMessageEvent(event as unknown as SlackMessageEvent, eventIdOf(body));
  });
  app.event('message', async ({ event, body }) => {
    onMessageEvent(event as unknown as SlackMessageEvent, eventIdOf(body));
  });
  // An upload also arrives as a message (subtype file_share) that carries its thread and comment;
  // that message answers it, and this event for the same upload is only acknowledged.
  app.event('file_shared', async () => undefined);

  app.command('/tls', async ({ command, ack }) => {
    const payload = command as unknown as SlashCommandPayload;
    const message = commandMessage(payload);
    // In HTTP mode the receiver has sent this answer already and ack() does nothing; in Socket
    // Mode this is the answer.
    const answer = commandAck(payload);
    await (answer ? ack(answer) : ack());
    const out = commandChannel(payload.response_url, logger);
    deps.track(() => deps.bot.handle(message, out));
  });

  // The buttons under a diagnosis (render-diagnosis.ts ACTION): over the socket in Socket Mode, as a
  // signed interaction payload on /slack/events in HTTP mode. Each is what its thread could have typed.
  app.action(/^(?:details|probe|feedback-(?:right|wrong))$/, async ({ ack, body }) => {
    await ack();
    const message = actionMessage(body as unknown as SlackActionPayload);
    if (!message) {
      logger.debug({ type: (body as { type?: string }).type }, 'slack action not answered');
      return;
    }
    const out = threadChannel(app.client, message.channel, message.thread, logger);
    deps.track(() => deps.bot.handle(message, out));
  });

  app.error(async (error) => {
    logger.error({ err: error }, 'slack listener failed');
  });
}

/**
 * What Slack shows at once for a slash command: for a probe, which takes seconds, that it is under
 * way (Slack shows an error when nothing comes within 3 s); for anything else nothing, the reply
 * follows through response_url.
 */
export function commandAck(body: { readonly text?: unknown }): Record<string, unknown> | undefined {
  const target = probeTarget(commandText(body.text));
  return target ? { response_type: 'in_channel', text: `:mag: Probing ${escapeMrkdwn(target)} … the result follows here.` } : undefined;
}

function eventIdOf(body: unknown): string | undefined {
  const id = (body as { event_id?: unknown }).event_id;
  return typeof id === 'string' ? id : undefined;
}

async function handleWithFiles(message: Omit<Message, 'files'>, event: SlackMessageEvent, out: ReplyChannel, deps: ListenerDeps, app: App): Promise<void> {
  if (!event.files || event.files.length === 0 || message.fromBot) {
    await deps.bot.handle(message, out);
    return;
  }
  const { attachments, skipped } = await downloadFiles(event.files, {
    client: app.client,
    token: deps.botToken,
    maxBytes: deps.maxFileBytes,
    trustedOrigins: deps.trustedOrigins,
  });
  deps.logger.info({ channel: message.channel, files: event.files.length, downloaded: attachments.length, bytes: attachments.reduce((n, a) => n + a.bytes.length, 0), skipped: skipped.length }, 'slack files');
  // The bot layer reports unreadable files only to someone who spoke to it; the same rule here.
  if (message.addressed) {
    for (const s of skipped) await out.post({ kind: 'error', code: 'INPUT_UNREADABLE', text: `${s.name}: not read, ${s.reason}.` });
  }
  await deps.bot.handle(attachments.length > 0 ? { ...message, files: attachments } : message, out);
}
